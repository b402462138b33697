-- Tension reports tagged with each concern: reports, mean and highest level, now and before.
SELECT concern_id,
       count(*) FILTER (WHERE in_period) AS reports,
       avg(level) FILTER (WHERE in_period) AS mean_level,
       max(level) FILTER (WHERE in_period) AS max_level,
       count(*) FILTER (WHERE NOT in_period) AS previous_reports,
       avg(level) FILTER (WHERE NOT in_period) AS previous_mean_level,
       max(level) FILTER (WHERE NOT in_period) AS previous_max_level
FROM _insight_tags
WHERE voice = 'tension'
GROUP BY concern_id
ORDER BY concern_id
