-- ... then VALIDATE (reads and writes continue), then SET NOT NULL skips its scan (PostgreSQL 12+).
ALTER TABLE users VALIDATE CONSTRAINT users_display_name_not_null;
ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_display_name_not_null;
