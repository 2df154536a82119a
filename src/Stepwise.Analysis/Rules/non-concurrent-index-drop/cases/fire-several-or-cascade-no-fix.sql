-- expect: 2
-- CONCURRENTLY takes one index and no CASCADE: reported, but not fixed mechanically
DROP INDEX idx_orders_a, idx_orders_b;
DROP INDEX idx_orders_c CASCADE;
