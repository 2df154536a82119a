-- expect: 1
-- migration: 0001_tables
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE INDEX idx_orders_user ON orders (user_id);
-- migration: 0002_cleanup
DROP INDEX CONCURRENTLY idx_orders_user;
