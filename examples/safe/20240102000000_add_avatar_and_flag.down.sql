ALTER TABLE users DROP COLUMN is_active;
ALTER TABLE users DROP COLUMN avatar_url;
