-- expect: 1
-- migration: 0001_orders
CREATE TYPE order_status AS ENUM ('pending', 'paid');
CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);
-- migration: 0002_refunded
ALTER TYPE order_status ADD VALUE 'refunded';
UPDATE orders SET status = 'refunded' WHERE id = 42;
