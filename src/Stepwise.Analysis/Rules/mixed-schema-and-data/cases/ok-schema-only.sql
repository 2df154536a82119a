ALTER TABLE users ADD COLUMN display_name TEXT;
CREATE INDEX CONCURRENTLY idx_users_display_name ON users (display_name);
