-- expect: 1
-- Schema + data in one migration: the classic expand step done in one file
ALTER TABLE users ADD COLUMN display_name TEXT;
UPDATE users SET display_name = username WHERE display_name IS NULL;
UPDATE users SET display_name = '' WHERE username IS NULL;
