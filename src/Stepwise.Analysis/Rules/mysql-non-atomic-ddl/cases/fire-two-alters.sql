-- dialect: mysql
-- expect: 1
ALTER TABLE users ADD COLUMN avatar_url VARCHAR(255) NULL;
CREATE INDEX idx_users_avatar ON users (avatar_url);
ALTER TABLE users ADD COLUMN bio TEXT NULL;
