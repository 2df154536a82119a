-- expect: 1
-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
-- migration: 0002_reindex
REINDEX INDEX idx_users_email;
