-- Distinct patient reporters and comments per symptom (approved patient comments, affirmed mentions).
SELECT category, reporters, comments
FROM v_symptom_reporters
ORDER BY reporters DESC, category;
