-- migration: 0001_tables
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), created_at timestamptz);
CREATE INDEX idx_orders_user ON orders (user_id);
-- migration: 0002_replace
-- stepwise:no-transaction
CREATE INDEX CONCURRENTLY idx_orders_user_created ON orders (user_id, created_at);
DROP INDEX CONCURRENTLY idx_orders_user;
