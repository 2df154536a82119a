CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_users_ref ON users (ref);
