-- BAD: validates every row under locks on both tables; and no index on orders.user_id
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
