-- Priority recommendations (sia prioritise), written by sia.prioritise.store.
-- `document` is the whole Recommendation as JSON (its `version` says which shape); one
-- row per priority in `priority_recommendations` repeats the status, score and rank.
CREATE TABLE IF NOT EXISTS prioritisations (
    prioritisation_id INTEGER PRIMARY KEY,
    assessment_id INTEGER,
    created_at TIMESTAMP NOT NULL,
    config_hash VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    document JSON NOT NULL
);

CREATE TABLE IF NOT EXISTS priority_recommendations (
    prioritisation_id INTEGER NOT NULL,
    priority_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    risk INTEGER,
    "rank" INTEGER,
    criteria VARCHAR[] NOT NULL
);

-- An analyst's decisions (sia override): kept, never changed or deleted. The decision
-- in force for a priority is its newest row.
CREATE TABLE IF NOT EXISTS priority_overrides (
    override_id INTEGER PRIMARY KEY,
    priority_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('high-focus', 'monitor', 'cross-cutting')),
    reason VARCHAR NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by VARCHAR NOT NULL CHECK (length(trim(decided_by)) > 0),
    decided_at TIMESTAMP NOT NULL,
    prioritisation_id INTEGER,
    recommended_status VARCHAR
);
