-- Keys already in the warehouse from an earlier, overlapping file: counted as duplicates.
-- Only the months this file covers ($first to $last) are looked at.
INSERT INTO pu_except
SELECT r.rec, 'duplicate', NULL
FROM (
    SELECT r.rec, {source_id} AS source_id
    FROM (SELECT rowid - $base AS rec, * FROM pu_rows) r
    LEFT JOIN pu_numbered nb ON nb.rec = r.rec
    ANTI JOIN pu_except e ON e.rec = r.rec
) r
SEMI JOIN (
    SELECT source_id FROM {target}
    WHERE source = $source AND month BETWEEN $first AND $last
) t ON t.source_id = r.source_id;
