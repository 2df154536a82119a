CREATE TABLE import_rows (id integer PRIMARY KEY, payload text);
ALTER TABLE import_rows ALTER COLUMN id TYPE bigint;
ALTER TABLE import_rows ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
