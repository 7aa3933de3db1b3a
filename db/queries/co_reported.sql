-- Symptoms reported together by the same person (counted mentions: see v_counted_mentions).
WITH counted AS (
  SELECT DISTINCT reporter, category FROM v_counted_mentions
)
SELECT a.category AS symptom, b.category AS with_symptom, COUNT(*) AS reporters
FROM counted a JOIN counted b ON a.reporter = b.reporter AND a.category < b.category
GROUP BY a.category, b.category
ORDER BY reporters DESC, symptom, with_symptom;
