-- dialect: mysql
-- migration: 0001_users
CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(60) NULL);
-- migration: 0002_require_email
ALTER TABLE users MODIFY email VARCHAR(60) NOT NULL;
