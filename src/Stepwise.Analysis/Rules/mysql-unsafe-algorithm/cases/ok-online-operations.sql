-- dialect: mysql
-- migration: 0001_users
CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20) NULL, status ENUM('new','active') NOT NULL, email VARCHAR(255) NULL);
-- migration: 0002_online
ALTER TABLE users ADD COLUMN nickname VARCHAR(30) NULL AFTER name;
ALTER TABLE users ADD INDEX idx_users_email (email), ADD UNIQUE KEY uq_users_nickname (nickname);
CREATE INDEX idx_users_name ON users (name);
ALTER TABLE users RENAME COLUMN nickname TO handle;
ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';
-- 20 -> 60 characters stays under 255 bytes in utf8mb4: INPLACE
ALTER TABLE users MODIFY name VARCHAR(60) NULL;
-- appending an ENUM member is INSTANT
ALTER TABLE users MODIFY status ENUM('new','active','banned') NOT NULL;
ALTER TABLE users DROP INDEX idx_users_email;
ALTER TABLE users DEFAULT CHARACTER SET utf8mb4;
