-- down
ALTER TABLE users DROP COLUMN IF EXISTS avatar_url;
