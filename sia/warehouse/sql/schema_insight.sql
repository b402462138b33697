-- Community insight: what people, councillors and officers told the partnership, and the
-- community tension reports. One table per source, loaded by sia.sources.insight.
-- None of these rows has an LSOA: they are placed by the ward and place the record names.
-- `month` is the first day of the month of `occurred_on` (the record's `date`).

-- One row per community engagement (Community Plus, detached youth, environment officers).
CREATE TABLE IF NOT EXISTS engagements (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    occurred_on DATE NOT NULL,
    lsoa_code VARCHAR,
    ward_code VARCHAR,
    place VARCHAR,
    engagement_id VARCHAR NOT NULL,
    team VARCHAR NOT NULL,
    organisation_type VARCHAR,
    individuals BIGINT,
    "groups" BIGINT,
    feeling VARCHAR,
    concerns VARCHAR[] NOT NULL,
    notes VARCHAR,
    strengths VARCHAR,
    locations VARCHAR
);

-- One row per ward meeting with councillors.
CREATE TABLE IF NOT EXISTS councillor_sessions (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    occurred_on DATE NOT NULL,
    lsoa_code VARCHAR,
    ward_code VARCHAR NOT NULL,
    place VARCHAR,
    session_id VARCHAR NOT NULL,
    councillors_attending BIGINT,
    concerns VARCHAR[] NOT NULL,
    praise VARCHAR,
    suggestions VARCHAR,
    reporting_routes_known VARCHAR
);

-- One row per place-based or theme session with officers.
CREATE TABLE IF NOT EXISTS officer_sessions (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    occurred_on DATE NOT NULL,
    lsoa_code VARCHAR,
    ward_code VARCHAR,
    place VARCHAR NOT NULL,
    session_id VARCHAR NOT NULL,
    theme VARCHAR,
    officers_attending BIGINT,
    issues VARCHAR[] NOT NULL
);

-- One row per community tension report.
CREATE TABLE IF NOT EXISTS tension_reports (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    occurred_on DATE NOT NULL,
    lsoa_code VARCHAR,
    ward_code VARCHAR,
    place VARCHAR,
    report_id VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    "trigger" VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    level INTEGER NOT NULL,
    summary VARCHAR,
    actions VARCHAR
);
