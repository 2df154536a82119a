-- migration: 0001_sessions
CREATE TABLE legacy_sessions (id bigint PRIMARY KEY, token text);
-- migration: 0002_drop
DROP TABLE legacy_sessions;
