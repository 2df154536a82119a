ALTER TABLE order_lines ADD COLUMN total numeric(12,2) GENERATED ALWAYS AS (price * quantity) STORED;
