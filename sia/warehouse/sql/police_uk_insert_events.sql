-- Move the staged street rows that passed every check into events.
INSERT INTO events (source, source_id, load_id, month, occurred_on, lsoa_code, ward_code, place,
                    category, subcategory, outcome, location, longitude, latitude, flags,
                    attributes)
SELECT
    $source,
    source_id,
    $load_id,
    month,
    NULL,
    lsoa_code,
    ward_code,
    place,
    category,
    NULL,
    outcome,
    location,
    longitude,
    latitude,
    NULL,
    CASE WHEN context IS NOT NULL THEN json_object('context', context) END
FROM pu_stage2
WHERE status = 'loaded'
ORDER BY rec;
