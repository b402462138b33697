-- Move every staged row that is not an exception into the target, with its ward and place.
INSERT INTO {target} ({columns})
SELECT
    {values}
FROM (SELECT rowid - $base AS rec, * FROM pu_rows) r
ANTI JOIN pu_except e ON e.rec = r.rec
LEFT JOIN pu_numbered nb ON nb.rec = r.rec
LEFT JOIN pu_placed pl ON pl.rec = r.rec
LEFT JOIN pu_lsoas l ON l.lsoa_code = coalesce(r.lsoa, pl.lsoa_code);
