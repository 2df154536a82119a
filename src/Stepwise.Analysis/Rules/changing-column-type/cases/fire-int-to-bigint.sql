-- expect: 1
-- migration: 0001_orders
CREATE TABLE orders (id integer PRIMARY KEY, total numeric(10,2));
-- migration: 0002_bigint
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
