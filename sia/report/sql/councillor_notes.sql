-- Councillors' praise and suggestions per ward in the report's period ($start..$end).
SELECT ward_code, place, occurred_on, councillors_attending, praise, suggestions
FROM councillor_sessions
WHERE month BETWEEN $start AND $end
ORDER BY ward_code, occurred_on
