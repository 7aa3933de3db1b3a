-- Comments by moderation status and role.
SELECT status, role, COUNT(*) AS comments, COUNT(DISTINCT reporter) AS reporters
FROM v_comments
GROUP BY status, role
ORDER BY status, role;
