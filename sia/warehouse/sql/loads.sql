-- Every load, oldest first, with skipped counts folded in by reason.
SELECT
    l.load_id,
    l.file,
    l.sha256,
    l.source,
    l.format,
    l.loaded_at,
    l.rows_read AS "read",
    l.loaded,
    l.duplicates,
    l.skipped,
    l.rejected,
    l.first_month,
    l.last_month,
    coalesce(
        (SELECT map(list(s.reason ORDER BY s.reason), list(s.rows ORDER BY s.reason))
         FROM skips s WHERE s.load_id = l.load_id),
        MAP {}
    ) AS skipped_by_reason
FROM loads l
ORDER BY l.load_id
