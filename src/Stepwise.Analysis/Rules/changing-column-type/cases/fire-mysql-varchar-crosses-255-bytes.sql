-- dialect: mysql
-- expect: 2
-- migration: 0001_orders
CREATE TABLE orders (id BIGINT PRIMARY KEY, code VARCHAR(60), note VARCHAR(100));
-- migration: 0002_longer
ALTER TABLE orders MODIFY COLUMN code VARCHAR(70);
ALTER TABLE orders CHANGE note remark TEXT;
