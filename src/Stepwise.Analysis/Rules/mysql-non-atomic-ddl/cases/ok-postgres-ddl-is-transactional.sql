ALTER TABLE users ADD COLUMN avatar_url text;
ALTER TABLE users ADD COLUMN bio text;
