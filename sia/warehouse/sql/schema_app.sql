-- Records typed into the web app, as `sia ingest app` last loaded them: one row per record
-- and the version loaded. An edit in the app raises the record's version, and the next
-- `sia ingest app` replaces the record's row with the new version; a record deleted in the
-- app is withdrawn from the warehouse.
CREATE TABLE IF NOT EXISTS app_records (
    source    VARCHAR NOT NULL,  -- the insight source, e.g. engagement, tension
    record_id VARCHAR NOT NULL,  -- the record's id column, app-<uuid>
    version   INTEGER NOT NULL,  -- the version last loaded (or rejected)
    load_id   BIGINT,            -- the load that holds it
    status    VARCHAR NOT NULL,  -- loaded or rejected
    PRIMARY KEY (source, record_id)
);
