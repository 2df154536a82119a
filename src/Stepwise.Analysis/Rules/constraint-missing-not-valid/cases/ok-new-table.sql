CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint, amount numeric(12,2));
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE payments ADD CHECK (amount > 0);
