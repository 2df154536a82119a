ALTER TABLE accounts ADD CONSTRAINT balance_positive CHECK (balance >= 0) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- ALTER TABLE users ADD UNIQUE (email);
SELECT 'ALTER TABLE users ADD UNIQUE (email)';
