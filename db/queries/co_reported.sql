-- Symptoms reported together by the same person (approved patient comments, affirmed mentions).
WITH counted AS (
  SELECT DISTINCT m.reporter, m.category
  FROM v_symptom_mentions m
  JOIN v_comments c USING (comment_id)
  WHERE m.assertion = 'affirmed' AND c.role = 'patient' AND c.status = 'approved'
)
SELECT a.category AS symptom, b.category AS with_symptom, COUNT(*) AS reporters
FROM counted a JOIN counted b ON a.reporter = b.reporter AND a.category < b.category
GROUP BY a.category, b.category
ORDER BY reporters DESC, symptom, with_symptom;
