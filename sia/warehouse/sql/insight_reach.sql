-- The reach table (SIA section 5.3) for months $start..$end: per place, engagements,
-- individuals and groups reached, and engagements with mosques and other faith groups.
SELECT place,
       count(*) AS engagements,
       coalesce(sum(individuals), 0) AS individuals,
       coalesce(sum("groups"), 0) AS groups,
       count(*) FILTER (WHERE organisation_type = 'mosque') AS mosques,
       count(*) FILTER (WHERE organisation_type = 'other_faith') AS other_faith
FROM engagements
WHERE month BETWEEN $start AND $end
GROUP BY place
ORDER BY place
