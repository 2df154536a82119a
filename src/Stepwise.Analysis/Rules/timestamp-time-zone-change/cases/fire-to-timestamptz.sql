-- expect: 2
-- migration: 0001_events
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL, seen_at timestamp with time zone);
-- migration: 0002_tz
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;
ALTER TABLE events ALTER COLUMN seen_at TYPE timestamp without time zone USING seen_at::timestamp;
