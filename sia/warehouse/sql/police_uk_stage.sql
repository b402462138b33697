-- Stage one police.uk file: parse every field, decide what becomes of each row.
-- {read_csv} is the read_csv(...) call built by the loader; {key_columns} the columns
-- whose content identifies a row that has no Crime ID; {kind_columns} the columns only
-- one of the two formats has. Values are bound as parameters:
--   $only_force  true when rows with no location are kept at district level
--   $source      the events source name
CREATE OR REPLACE TEMP TABLE pu_stage1 AS
SELECT
    nullif(trim("Crime ID"), '') AS crime_id,
    "Month" AS month_text,
    CASE WHEN regexp_full_match(trim("Month"), '[0-9]{{4}}-[0-9]{{2}}')
         THEN try_strptime(trim("Month") || '-01', '%Y-%m-%d')::DATE END AS month,
    nullif(trim("Longitude"), '') AS lon_text,
    nullif(trim("Latitude"), '') AS lat_text,
    nullif(trim("Location"), '') AS location,
    nullif(trim("LSOA code"), '') AS lsoa_code,
    {kind_columns},
    md5(concat_ws('|', {key_columns})) AS content_key
FROM {read_csv};

CREATE OR REPLACE TEMP TABLE pu_stage2 AS
WITH parsed AS (
    -- rec counts parsed rows from 0 in file order: the staged table keeps insertion order,
    -- and its row ids are consecutive from an offset (checked by the loader).
    SELECT
        s.rowid - (SELECT min(rowid) FROM pu_stage1) AS rec,
        s.*,
        try_cast(s.lon_text AS DOUBLE) AS longitude,
        try_cast(s.lat_text AS DOUBLE) AS latitude
    FROM pu_stage1 s
),
checked AS (
    SELECT
        p.*,
        CASE
            WHEN p.month IS NULL THEN 'Month'
            WHEN (p.lon_text IS NULL) <> (p.lat_text IS NULL) THEN
                CASE WHEN p.lon_text IS NULL THEN 'Longitude' ELSE 'Latitude' END
            WHEN p.lon_text IS NOT NULL AND (p.longitude IS NULL OR NOT isfinite(p.longitude)
                 OR p.longitude < -180 OR p.longitude > 180) THEN 'Longitude'
            WHEN p.lat_text IS NOT NULL AND (p.latitude IS NULL OR NOT isfinite(p.latitude)
                 OR p.latitude < -90 OR p.latitude > 90) THEN 'Latitude'
            WHEN p.lsoa_code IS NOT NULL AND NOT regexp_full_match(p.lsoa_code, '[EW]0[0-9]{{7}}')
                THEN 'LSOA code'
            {kind_checks}
        END AS bad_field
    FROM parsed p
),
placed AS (
    SELECT c.*, l.ward_code, l.place, (l.lsoa_code IS NOT NULL) AS in_partnership
    FROM checked c
    LEFT JOIN (
        SELECT DISTINCT ON (lsoa_code) lsoa_code, ward_code, place
        FROM lsoa_lookup ORDER BY lsoa_code, lsoa_vintage DESC
    ) l ON l.lsoa_code = c.lsoa_code
),
keyed AS (
    SELECT
        p.*,
        {source_id} AS source_id,
        CASE
            WHEN p.bad_field IS NOT NULL THEN 'rejected'
            WHEN p.lsoa_code IS NULL AND NOT $only_force THEN 'skipped:no-location'
            WHEN p.lsoa_code IS NOT NULL AND NOT p.in_partnership
                THEN 'skipped:outside-partnership'
            ELSE 'candidate'
        END AS pre_status
    FROM placed p
)
SELECT
    k.*,
    CASE
        WHEN k.pre_status <> 'candidate' THEN k.pre_status
        -- the same key earlier in this file, or already in the warehouse
        WHEN row_number() OVER (PARTITION BY k.source_id, k.pre_status ORDER BY k.rec) > 1
            THEN 'duplicate'
        WHEN k.source_id IN (SELECT {target_key} FROM {target} WHERE source = $source)
            THEN 'duplicate'
        ELSE 'loaded'
    END AS status
FROM keyed k;
