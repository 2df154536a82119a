-- migration: 0001_orders
CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer NOT NULL);
-- migration: 0002_widen
-- stepwise:expand-contract
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
