ALTER TABLE invoices ADD COLUMN customer_id bigint REFERENCES customers (id);
