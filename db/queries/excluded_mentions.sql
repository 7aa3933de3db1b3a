-- What the counts leave out: mentions that are negated, feared/hypothetical or before the procedure.
SELECT category, assertion, COUNT(*) AS mentions, COUNT(DISTINCT reporter) AS reporters
FROM v_symptom_mentions
WHERE assertion <> 'affirmed'
GROUP BY category, assertion
ORDER BY category, assertion;
