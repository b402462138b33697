-- Every override, oldest first; $priority_id NULL lists all priorities.
SELECT override_id, priority_id, status, reason, decided_by, decided_at, recommended_status
FROM priority_overrides
WHERE $priority_id IS NULL OR priority_id = $priority_id
ORDER BY override_id
