-- Assessments: one row per stored Assessment (sia assess), written by sia.assessment.
-- `document` is the whole Assessment as JSON (its `version` says which shape); the
-- columns beside it repeat what is needed to find one without reading the JSON.
CREATE TABLE IF NOT EXISTS assessments (
    assessment_id INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    previous_start DATE NOT NULL,
    previous_end DATE NOT NULL,
    config_hash VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    document JSON NOT NULL,
    CHECK (period_end >= period_start)
);

-- The figures of each measure of an assessment, one row per area: the district row
-- (`area_type` = 'district') carries the trend and SPC too; place and ward rows carry
-- the counts, rate and direction. A measure whose source has no data has NULL counts.
CREATE TABLE IF NOT EXISTS assessment_measures (
    assessment_id INTEGER NOT NULL,
    priority_id VARCHAR NOT NULL,
    measure_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    area_type VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    "count" BIGINT,
    previous_count BIGINT,
    rate DOUBLE,
    change_ratio DOUBLE,
    change_p_value DOUBLE,
    direction VARCHAR,
    trend VARCHAR,
    trend_annual_change DOUBLE,
    trend_p_value DOUBLE,
    spc_variation_icon VARCHAR,
    spc_latest_status VARCHAR
);
