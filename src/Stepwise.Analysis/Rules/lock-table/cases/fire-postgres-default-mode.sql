-- expect: 1
-- migration: 0001_orders
CREATE TABLE orders (id bigint PRIMARY KEY, status text);
-- migration: 0002_lock
LOCK TABLE orders;
UPDATE orders SET status = 'open' WHERE id = 1;
