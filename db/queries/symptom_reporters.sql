-- Distinct patient reporters and comments per symptom (counted mentions: see v_counted_mentions).
SELECT category, reporters, comments
FROM v_symptom_reporters
ORDER BY reporters DESC, category;
