-- dialect: mysql
UPDATE orders SET status = 'archived' WHERE status = 'closed' ORDER BY id LIMIT 1000;
DELETE FROM sessions WHERE expires_at < NOW() LIMIT 5000;
