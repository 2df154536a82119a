-- dialect: mysql
-- expect: 2
-- migration: 0001_users
CREATE TABLE users (id INT PRIMARY KEY, age INT NULL, bio VARCHAR(50) NULL);
-- migration: 0002_widen
ALTER TABLE users MODIFY age BIGINT NULL;
-- 50 -> 100 characters crosses 255 bytes in utf8mb4: the length prefix grows
ALTER TABLE users MODIFY COLUMN bio VARCHAR(100) NULL;
