-- What was raised in each ward and place in the report's period ($start..$end): one row per
-- voice, ward, place and concern label, with the records that raised it.
WITH raised AS (
    SELECT 'councillors' AS voice, ward_code, place, unnest(concerns) AS concern
    FROM councillor_sessions WHERE month BETWEEN $start AND $end
    UNION ALL
    SELECT 'communities', ward_code, place, unnest(concerns)
    FROM engagements WHERE month BETWEEN $start AND $end
    UNION ALL
    SELECT 'officers', ward_code, place, unnest(issues)
    FROM officer_sessions WHERE month BETWEEN $start AND $end
)
SELECT voice, ward_code, place, concern, count(*) AS records
FROM raised
GROUP BY ALL
ORDER BY voice, ward_code, place, records DESC, concern
