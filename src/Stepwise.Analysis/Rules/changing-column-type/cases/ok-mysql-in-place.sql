-- dialect: mysql
-- migration: 0001_orders
CREATE TABLE orders (id BIGINT PRIMARY KEY, code VARCHAR(50), note VARCHAR(300), state ENUM('new', 'paid'), ref VARCHAR(20));
-- migration: 0002_in_place
ALTER TABLE orders MODIFY code VARCHAR(60);
ALTER TABLE orders MODIFY note VARCHAR(400) NOT NULL;
ALTER TABLE orders MODIFY state ENUM('new', 'paid', 'refunded');
-- a rename with the same type is rename-column's business
ALTER TABLE orders CHANGE ref reference VARCHAR(20);
