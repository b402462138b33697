-- Keys already in the warehouse from an earlier file of the same source: counted as
-- duplicates, whatever month they were filed under. The file's keys are few next to the
-- warehouse's, so the warehouse's keys are filtered against them first.
CREATE OR REPLACE TEMP TABLE pu_keys AS
SELECT r.rec, {source_id} AS source_id
FROM (SELECT rowid - $base AS rec, * FROM pu_rows) r
LEFT JOIN pu_numbered nb ON nb.rec = r.rec
ANTI JOIN pu_except e ON e.rec = r.rec;

INSERT INTO pu_except
SELECT k.rec, 'duplicate', NULL
FROM pu_keys k
SEMI JOIN (
    SELECT t.source_id FROM {target} t
    SEMI JOIN pu_keys k ON k.source_id = t.source_id
    WHERE t.source = $source
) t ON t.source_id = k.source_id;

DROP TABLE pu_keys;
