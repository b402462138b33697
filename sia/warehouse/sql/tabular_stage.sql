-- Stage one partner file. The loader fills the placeholders with SQL text built from the
-- format's declared columns (never with values); values are bound as parameters.

-- 1. Parse: every line DuckDB could read, typed, with its first bad field, the value found
--    there and the problem. The table keeps the file's order: rec = rowid - min(rowid)
--    numbers rows from 0 (the loader checks the row ids are consecutive).
CREATE OR REPLACE TEMP TABLE pu_rows AS
WITH raw AS (
    SELECT
        {raw_columns},
        {content_key} AS content_key
    FROM {read_csv}
),
typed AS (
    SELECT
        raw.*,
        {typed_columns}
    FROM raw
)
SELECT
    {kept},
    {lsoa} AS lsoa,
    content_key,
    {bad} AS bad
FROM typed;

-- 2. The partnership's LSOAs (2021 codes win where a code is in both vintages).
CREATE OR REPLACE TEMP TABLE pu_lsoas AS
SELECT DISTINCT ON (lsoa_code) lsoa_code, ward_code, place
FROM lsoa_lookup
ORDER BY lsoa_code, lsoa_vintage DESC;

-- 3. Rows without a key are told apart by their order among identical rows of the file.
--    $base is min(rowid) of pu_rows.
CREATE OR REPLACE TEMP TABLE pu_numbered AS
SELECT rec, row_number() OVER (PARTITION BY content_key ORDER BY rec) AS n
FROM (SELECT rowid - $base AS rec, content_key FROM pu_rows
      WHERE content_key IS NOT NULL AND bad IS NULL);

-- 4. The exceptions: every row that will not be loaded, with what becomes of it. Most rows
--    load, so this table stays small; a row not in it is loaded.
CREATE OR REPLACE TEMP TABLE pu_except AS
SELECT rec, status, value
FROM (
    SELECT
        r.rec,
        CASE
            WHEN r.bad IS NOT NULL THEN 'rejected'
            WHEN r.lsoa IS NOT NULL AND l.lsoa_code IS NULL
                 AND NOT regexp_full_match(r.lsoa, '[EW]0[0-9]{{7}}') THEN 'rejected:lsoa'
            WHEN r.lsoa IS NOT NULL AND l.lsoa_code IS NULL
                THEN 'skipped:outside-partnership'
            WHEN r.lsoa IS NULL AND pl.rec IS NOT NULL AND pl.lsoa_code IS NULL
                THEN 'skipped:outside-district'
            WHEN r.lsoa IS NULL AND pl.rec IS NOT NULL AND lp.lsoa_code IS NULL
                THEN 'skipped:outside-partnership'
            WHEN r.lsoa IS NULL AND pl.rec IS NULL AND NOT $keep_unlocated
                THEN 'skipped:no-location'
        END AS status,
        r.lsoa AS value
    FROM (SELECT rowid - $base AS rec, lsoa, bad FROM pu_rows) r
    LEFT JOIN pu_lsoas l ON l.lsoa_code = r.lsoa
    LEFT JOIN pu_placed pl ON pl.rec = r.rec
    LEFT JOIN pu_lsoas lp ON lp.lsoa_code = pl.lsoa_code
)
WHERE status IS NOT NULL;

-- 5. The same key twice in the file: the first is kept. Keys are grouped by their hash
--    first, so only rows whose hash repeats are compared in full.
INSERT INTO pu_except
WITH candidates AS (
    SELECT r.rec, {file_key} AS key
    FROM (SELECT rowid - $base AS rec, * FROM pu_rows) r
    ANTI JOIN pu_except e ON e.rec = r.rec
    WHERE {file_key} IS NOT NULL
),
repeated AS (
    SELECT hash(key) AS h FROM candidates GROUP BY 1 HAVING count(*) > 1
),
suspects AS (
    SELECT c.rec, c.key FROM candidates c SEMI JOIN repeated p ON hash(c.key) = p.h
)
SELECT s.rec, 'duplicate', NULL
FROM suspects s
JOIN (SELECT key, min(rec) AS first_rec FROM suspects GROUP BY key) f ON f.key = s.key
WHERE s.rec > f.first_rec;
