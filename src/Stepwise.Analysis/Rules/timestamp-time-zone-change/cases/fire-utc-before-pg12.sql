-- pg-version: 11
-- expect: 1
-- migration: 0001_events
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL);
-- migration: 0002_tz
SET LOCAL timezone = 'UTC';
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;
