-- migration: 0001_tables
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX idx_orders_user ON orders (user_id);
-- migration: 0002_fk
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
