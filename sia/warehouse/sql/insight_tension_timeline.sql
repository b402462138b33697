-- Tension reports by week (starting Monday) and by month in months $start..$end: reports,
-- highest and mean level.
SELECT 'week' AS unit, date_trunc('week', occurred_on)::DATE AS start, count(*) AS reports,
       max(level) AS max_level, avg(level) AS mean_level
FROM tension_reports
WHERE month BETWEEN $start AND $end
GROUP BY 2
UNION ALL
SELECT 'month', month, count(*), max(level), avg(level)
FROM tension_reports
WHERE month BETWEEN $start AND $end
GROUP BY 2
ORDER BY unit, start
