-- Insight records held in the report's period ($start..$end, first days of months): for the
-- methodology section, whatever the insight summary holds.
SELECT 'engagement' AS source, count(*) AS records,
       count(DISTINCT ward_code) AS wards, coalesce(sum(individuals), 0) AS people
FROM engagements WHERE month BETWEEN $start AND $end
UNION ALL
SELECT 'councillor-session', count(*), count(DISTINCT ward_code),
       coalesce(sum(councillors_attending), 0)
FROM councillor_sessions WHERE month BETWEEN $start AND $end
UNION ALL
SELECT 'officer-session', count(*), count(DISTINCT ward_code),
       coalesce(sum(officers_attending), 0)
FROM officer_sessions WHERE month BETWEEN $start AND $end
UNION ALL
SELECT 'tension', count(*), count(DISTINCT ward_code), NULL
FROM tension_reports WHERE month BETWEEN $start AND $end
