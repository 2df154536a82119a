-- migration: 0001_orders
-- stepwise:expand-contract
CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer NOT NULL);
-- migration: 0002_widen
-- the directive of an earlier file does not carry over
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
