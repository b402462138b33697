-- Pairs of concerns tagged on one record in the period, with the records carrying both.
SELECT x.concern_id AS a, y.concern_id AS b, count(*) AS records
FROM _insight_tags x
JOIN _insight_tags y
  ON x.voice = y.voice AND x.record_id = y.record_id AND x.concern_id < y.concern_id
WHERE x.in_period
GROUP BY x.concern_id, y.concern_id
ORDER BY records DESC, a, b
