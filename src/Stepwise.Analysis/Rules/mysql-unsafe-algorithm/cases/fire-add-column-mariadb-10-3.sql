-- dialect: mysql
-- mysql-version: mariadb-10.3
ALTER TABLE users ADD COLUMN tenant_id INT NULL FIRST;
