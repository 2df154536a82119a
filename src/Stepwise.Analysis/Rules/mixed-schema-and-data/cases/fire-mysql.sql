-- dialect: mysql
ALTER TABLE users ADD COLUMN display_name VARCHAR(100) NULL;
UPDATE users SET display_name = username;
