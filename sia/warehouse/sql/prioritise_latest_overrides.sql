-- The decision in force per priority: its newest override.
SELECT override_id, priority_id, status, reason, decided_by, decided_at, recommended_status
FROM priority_overrides
QUALIFY row_number() OVER (PARTITION BY priority_id ORDER BY override_id DESC) = 1
ORDER BY priority_id
