-- Stage one police.uk file in three steps, each a statement of its own.
-- Placeholders filled by the loader (SQL text, never values): {read_csv} the read_csv(...)
-- call; {kind_columns}/{kind_checks} the columns and checks of the street or outcomes
-- format; {key_columns} the columns hashed into a content key; {content_key_when} which
-- rows get one; {source_id} the key expression. Values are bound as parameters.

-- 1. Parse: every line DuckDB could read, typed, with the first bad field and its value.
--    The table keeps the file's order; rec = rowid - min(rowid) numbers rows from 0.
CREATE OR REPLACE TEMP TABLE pu_rows AS
WITH raw AS (
    SELECT
        nullif(trim("Crime ID"), '') AS crime_id,
        trim("Month") AS month_text,
        nullif(trim("Longitude"), '') AS lon_text,
        nullif(trim("Latitude"), '') AS lat_text,
        nullif("Location", '') AS location,
        nullif(trim("LSOA code"), '') AS lsoa_code,
        {kind_columns},
        CASE WHEN {content_key_when} THEN md5(concat_ws('|', {key_columns})) END AS content_key
    FROM {read_csv}
),
typed AS (
    SELECT
        raw.*,
        -- seven characters that parse as %Y-%m: exactly YYYY-MM
        CASE WHEN length(month_text) = 7
             THEN try_strptime(month_text, '%Y-%m')::DATE END AS month,
        try_cast(lon_text AS DOUBLE) AS longitude,
        try_cast(lat_text AS DOUBLE) AS latitude
    FROM raw
)
SELECT
    crime_id, month, longitude, latitude, location, lsoa_code, {kind_names}, content_key,
    CASE
        WHEN month IS NULL OR month < DATE '1900-01-01' OR month > DATE '2100-12-01'
            THEN {{'field': 'Month', 'value': month_text}}
        WHEN (lon_text IS NULL) <> (lat_text IS NULL) THEN
            CASE WHEN lon_text IS NULL THEN {{'field': 'Longitude', 'value': NULL}}
                 ELSE {{'field': 'Latitude', 'value': NULL}} END
        WHEN lon_text IS NOT NULL AND (longitude IS NULL OR NOT isfinite(longitude)
             OR longitude < -180 OR longitude > 180)
            THEN {{'field': 'Longitude', 'value': lon_text}}
        WHEN lat_text IS NOT NULL AND (latitude IS NULL OR NOT isfinite(latitude)
             OR latitude < -90 OR latitude > 90)
            THEN {{'field': 'Latitude', 'value': lat_text}}
        {kind_checks}
    END AS bad
FROM typed;

-- 2. The partnership's LSOAs (2021 codes win where a code is in both vintages).
CREATE OR REPLACE TEMP TABLE pu_lsoas AS
SELECT DISTINCT ON (lsoa_code) lsoa_code, ward_code, place
FROM lsoa_lookup
ORDER BY lsoa_code, lsoa_vintage DESC;

-- 3. Rows without a key (anti-social behaviour) are told apart by their order among
--    identical rows of the file. $base is min(rowid) of pu_rows.
CREATE OR REPLACE TEMP TABLE pu_numbered AS
SELECT rec, row_number() OVER (PARTITION BY content_key ORDER BY rec) AS n
FROM (SELECT rowid - $base AS rec, content_key FROM pu_rows
      WHERE crime_id IS NULL AND content_key IS NOT NULL AND bad IS NULL);

-- 4. The exceptions: every row that will not be loaded, with what becomes of it. Most rows
--    load, so this table stays small; rows not in it are loaded.
CREATE OR REPLACE TEMP TABLE pu_except AS
SELECT rec, status, value
FROM (
    SELECT
        r.rec,
        CASE
            WHEN r.bad IS NOT NULL THEN 'rejected'
            WHEN r.lsoa_code IS NULL AND NOT $only_force THEN 'skipped:no-location'
            WHEN r.lsoa_code IS NOT NULL AND l.lsoa_code IS NULL
                 AND NOT regexp_full_match(r.lsoa_code, '[EW]0[0-9]{{7}}') THEN 'rejected:lsoa'
            WHEN r.lsoa_code IS NOT NULL AND l.lsoa_code IS NULL
                THEN 'skipped:outside-partnership'
        END AS status,
        r.lsoa_code AS value
    FROM (SELECT rowid - $base AS rec, lsoa_code, bad FROM pu_rows) r
    LEFT JOIN pu_lsoas l ON l.lsoa_code = r.lsoa_code
)
WHERE status IS NOT NULL;

-- 5. The same key twice in the file: the first is kept. Keys are grouped by their hash
--    first, so only rows whose hash repeats are compared in full.
INSERT INTO pu_except
WITH candidates AS (
    SELECT r.rec, r.key
    FROM (SELECT rowid - $base AS rec, {file_key} AS key FROM pu_rows
          WHERE {file_key} IS NOT NULL) r
    ANTI JOIN pu_except e ON e.rec = r.rec
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
