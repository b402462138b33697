-- Move every staged row that is not an exception into events, with its ward and place.
INSERT INTO events (source, source_id, load_id, month, occurred_on, lsoa_code, ward_code, place,
                    category, subcategory, outcome, location, longitude, latitude, flags,
                    attributes)
SELECT
    $source,
    {source_id},
    $load_id,
    r.month,
    NULL,
    r.lsoa_code,
    l.ward_code,
    l.place,
    r.category,
    NULL,
    r.outcome,
    r.location,
    r.longitude,
    r.latitude,
    NULL,
    CASE WHEN r.context IS NOT NULL THEN json_object('context', r.context) END
FROM (SELECT rowid - $base AS rec, * FROM pu_rows) r
ANTI JOIN pu_except e ON e.rec = r.rec
LEFT JOIN pu_numbered nb ON nb.rec = r.rec
LEFT JOIN pu_lsoas l ON l.lsoa_code = r.lsoa_code;
