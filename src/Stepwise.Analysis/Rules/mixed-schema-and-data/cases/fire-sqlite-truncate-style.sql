-- dialect: sqlite
CREATE INDEX idx_events_kind ON events (kind);
DELETE FROM events;
