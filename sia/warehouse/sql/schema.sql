-- The warehouse: one DuckDB file per partnership. Created idempotently.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per file loaded: what was read and what became of every row.
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    rows_read BIGINT NOT NULL,
    loaded BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    skipped BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    first_month DATE,
    last_month DATE,
    CHECK (loaded + duplicates + skipped + rejected = rows_read)
);

-- Rows that were skipped, counted by reason (outside the partnership, no location).
CREATE TABLE IF NOT EXISTS skips (
    load_id INTEGER NOT NULL,
    reason VARCHAR NOT NULL,
    rows BIGINT NOT NULL
);

-- Rows that could not be loaded, each with the line, field and reason.
CREATE TABLE IF NOT EXISTS rejects (
    load_id INTEGER NOT NULL,
    line BIGINT,
    field VARCHAR,
    reason VARCHAR NOT NULL,
    raw VARCHAR
);

-- The fact table: one row per crime, incident, collision or report, from any source.
CREATE TABLE IF NOT EXISTS events (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    occurred_on DATE,
    lsoa_code VARCHAR,
    ward_code VARCHAR,
    place VARCHAR,
    category VARCHAR NOT NULL,
    subcategory VARCHAR,
    offence_code VARCHAR,
    outcome VARCHAR,
    location VARCHAR,
    longitude DOUBLE,
    latitude DOUBLE,
    flags VARCHAR[],
    attributes JSON
);

-- police.uk outcomes: what happened to each crime, month by month.
CREATE TABLE IF NOT EXISTS outcomes (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    crime_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    lsoa_code VARCHAR,
    ward_code VARCHAR,
    place VARCHAR,
    outcome_type VARCHAR NOT NULL
);

-- The partnership's areas, population and deprivation, from the shipped geography.
CREATE TABLE IF NOT EXISTS areas (
    area_type VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    area_name VARCHAR NOT NULL,
    parent_code VARCHAR
);

CREATE TABLE IF NOT EXISTS lsoa_lookup (
    lsoa_code VARCHAR NOT NULL,
    lsoa_name VARCHAR,
    lsoa_vintage INTEGER NOT NULL,
    ward_code VARCHAR,
    ward_name VARCHAR,
    place VARCHAR,
    district_code VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS population (
    area_type VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    lsoa_vintage INTEGER,
    year INTEGER NOT NULL,
    population DOUBLE NOT NULL,
    method VARCHAR
);

CREATE TABLE IF NOT EXISTS deprivation (
    lsoa_code VARCHAR NOT NULL,
    lsoa_vintage INTEGER NOT NULL,
    imd_year INTEGER NOT NULL,
    imd_score DOUBLE,
    imd_rank INTEGER,
    imd_decile INTEGER,
    crime_score DOUBLE,
    crime_rank INTEGER,
    crime_decile INTEGER
);
