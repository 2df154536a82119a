-- dialect: mysql
-- mysql-version: 8.0.35
ALTER TABLE users ADD COLUMN middle_name VARCHAR(50) NULL AFTER first_name, ADD COLUMN tenant_id INT NULL FIRST;
