CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id));
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
