-- Move the staged outcome rows that passed every check into outcomes.
INSERT INTO outcomes (source, source_id, crime_id, load_id, month, lsoa_code, ward_code, place, outcome_type)
SELECT $source, source_id, crime_id, $load_id, month, lsoa_code, ward_code, place, outcome_type
FROM pu_stage2
WHERE status = 'loaded'
ORDER BY rec;
