-- Records tagged with each concern, by voice, in the period and the previous one: for the
-- district (place NULL) and for each place. _insight_tags has one row per record and
-- concern: voice, record_id, place, in_period, concern_id, level.
SELECT 'district' AS level, NULL::VARCHAR AS place, concern_id, voice,
       count(*) FILTER (WHERE in_period) AS mentions,
       count(*) FILTER (WHERE NOT in_period) AS previous_mentions
FROM _insight_tags
GROUP BY concern_id, voice
UNION ALL
SELECT 'place', place, concern_id, voice,
       count(*) FILTER (WHERE in_period),
       count(*) FILTER (WHERE NOT in_period)
FROM _insight_tags
WHERE place IS NOT NULL
GROUP BY place, concern_id, voice
ORDER BY level, place, concern_id, voice
