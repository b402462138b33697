-- Engagements per place and recorded feeling (NULL: none recorded) in months $start..$end.
SELECT place, feeling, count(*) AS engagements
FROM engagements
WHERE month BETWEEN $start AND $end
GROUP BY place, feeling
ORDER BY place, feeling
