-- dialect: mysql
-- mysql-version: mariadb-10.11
SET SESSION alter_algorithm = 'INSTANT';
ALTER TABLE users MODIFY age BIGINT NULL;
