-- migration: 0001_events
CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp(3), name text);
-- migration: 0002_other
-- more precision is free; an expression is changing-column-type's to judge
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamp(6);
ALTER TABLE events ALTER COLUMN name TYPE varchar(20);
CREATE TABLE logs (at timestamp);
ALTER TABLE logs ALTER COLUMN at TYPE timestamptz;
