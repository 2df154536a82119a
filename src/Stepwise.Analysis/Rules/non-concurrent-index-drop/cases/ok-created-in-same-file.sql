-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- migration: 0002_rebuild
CREATE TABLE audit_log (id bigint PRIMARY KEY, actor text);
CREATE INDEX idx_audit_actor ON audit_log (actor);
DROP INDEX idx_audit_actor;
-- an index this file built on a live table has no readers yet
CREATE INDEX CONCURRENTLY idx_users_email_tmp ON users (email);
DROP INDEX idx_users_email_tmp;
