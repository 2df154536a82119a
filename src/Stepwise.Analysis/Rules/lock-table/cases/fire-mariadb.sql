-- dialect: mysql
-- mysql-version: mariadb-10.11
LOCK TABLE orders WRITE;
