-- migration: 0001_orders
CREATE TABLE orders (id bigint PRIMARY KEY, legacy_status text);
-- migration: 0002_drop
-- stepwise:expand-contract
ALTER TABLE orders DROP COLUMN legacy_status;
