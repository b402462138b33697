-- Move every staged row that is not an exception into outcomes, with its ward and place.
INSERT INTO outcomes (source, source_id, crime_id, load_id, month, lsoa_code, ward_code, place, outcome_type)
SELECT
    $source, {source_id}, r.crime_id, $load_id, r.month, r.lsoa_code, l.ward_code, l.place,
    r.outcome_type
FROM (SELECT rowid - $base AS rec, * FROM pu_rows) r
ANTI JOIN pu_except e ON e.rec = r.rec
LEFT JOIN pu_numbered nb ON nb.rec = r.rec
LEFT JOIN pu_lsoas l ON l.lsoa_code = r.lsoa_code;
