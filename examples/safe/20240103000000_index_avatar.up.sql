-- GOOD: non-blocking build. CONCURRENTLY cannot run in a transaction: Stepwise runs this file outside one.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_avatar ON users (avatar_url) WHERE avatar_url IS NOT NULL;
