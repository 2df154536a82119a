-- dialect: mysql
-- several changes in one ALTER are one atomic DDL statement
SET lock_wait_timeout = 5;
ALTER TABLE users ADD COLUMN avatar_url VARCHAR(255) NULL, ADD INDEX idx_users_avatar (avatar_url);
UPDATE users SET avatar_url = '' WHERE id = 1;
