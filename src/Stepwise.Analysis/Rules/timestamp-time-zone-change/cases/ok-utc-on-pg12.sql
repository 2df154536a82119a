-- pg-version: 12
-- migration: 0001_events
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL, seen_at timestamptz);
-- migration: 0002_tz
SET LOCAL timezone = 'UTC';
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;
SET TIME ZONE 'Etc/UTC';
ALTER TABLE events ALTER COLUMN seen_at TYPE timestamp;
