-- expect: 2
ALTER TABLE users ADD COLUMN api_key text UNIQUE;
ALTER TABLE legacy_events ADD COLUMN id bigint PRIMARY KEY;
