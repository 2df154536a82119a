-- migration: 0001_sessions
CREATE TABLE legacy_sessions (id bigint PRIMARY KEY);
-- migration: 0002_drop
-- stepwise:expand-contract
DROP TABLE legacy_sessions;
