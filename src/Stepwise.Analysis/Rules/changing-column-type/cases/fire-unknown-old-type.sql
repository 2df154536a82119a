ALTER TABLE legacy_orders ALTER COLUMN amount TYPE numeric(14,2);
