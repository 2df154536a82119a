-- BAD: NOT NULL without default on existing table (fails on a non-empty table)
ALTER TABLE users ADD COLUMN role TEXT NOT NULL;
