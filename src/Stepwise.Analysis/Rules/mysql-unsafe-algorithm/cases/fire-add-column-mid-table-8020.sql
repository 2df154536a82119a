-- dialect: mysql
-- mysql-version: 8.0.20
-- before 8.0.29 INSTANT adds only as the last column
ALTER TABLE users ADD COLUMN middle_name VARCHAR(50) NULL AFTER first_name;
