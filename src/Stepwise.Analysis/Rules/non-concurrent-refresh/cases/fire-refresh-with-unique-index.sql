-- expect: 1
-- migration: 0001_view
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
CREATE UNIQUE INDEX order_totals_user ON order_totals (user_id);
-- migration: 0002_refresh
REFRESH MATERIALIZED VIEW order_totals;
