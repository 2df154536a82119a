CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), created_at timestamptz);
CREATE INDEX idx_orders_user_created ON orders (user_id, created_at);
