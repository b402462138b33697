-- Every insight record of months $first..$last as one shape, for tagging (sia.insight.summary).
-- voice: community (engagements), councillor, officer or tension; labels: the ids the
-- record lists (a tension report's category); text: the free text tagged besides them.
SELECT 'community' AS voice, source_id AS record_id, month, place, ward_code,
       concerns AS labels, notes AS text, NULL::INTEGER AS level
FROM engagements WHERE month BETWEEN $first AND $last
UNION ALL
SELECT 'councillor', source_id, month, place, ward_code, concerns, NULL, NULL
FROM councillor_sessions WHERE month BETWEEN $first AND $last
UNION ALL
SELECT 'officer', source_id, month, place, ward_code, issues, NULL, NULL
FROM officer_sessions WHERE month BETWEEN $first AND $last
UNION ALL
SELECT 'tension', source_id, month, place, ward_code, [category], summary, level
FROM tension_reports WHERE month BETWEEN $first AND $last
ORDER BY voice, record_id
