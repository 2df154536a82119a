WITH batch AS (
  SELECT id FROM users WHERE normalized_email IS NULL ORDER BY id LIMIT 5000 FOR UPDATE SKIP LOCKED
)
UPDATE users SET normalized_email = lower(users.email)
FROM batch WHERE users.id = batch.id;
