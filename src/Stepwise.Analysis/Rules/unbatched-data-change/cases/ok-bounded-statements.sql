UPDATE users SET role = 'admin' WHERE id = 42;
UPDATE users SET role = 'member' WHERE id IN (7, 8, 9);
UPDATE orders SET total = 0 WHERE id >= 1000 AND id < 2000;
DELETE FROM events WHERE id BETWEEN 1 AND 50000;
UPDATE users SET normalized_email = lower(email)
WHERE id IN (SELECT id FROM users WHERE normalized_email IS NULL LIMIT 1000);
