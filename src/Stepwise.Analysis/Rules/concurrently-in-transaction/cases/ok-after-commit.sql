BEGIN;
ALTER TABLE users ADD COLUMN nickname text;
COMMIT;
CREATE INDEX CONCURRENTLY idx_users_nickname ON users (nickname);
BEGIN;
UPDATE settings SET value = '1' WHERE key = 'x';
ROLLBACK;
DROP INDEX CONCURRENTLY idx_users_old;
