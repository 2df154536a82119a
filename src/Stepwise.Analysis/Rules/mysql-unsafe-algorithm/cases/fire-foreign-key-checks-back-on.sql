-- dialect: mysql
-- expect: 1
SET FOREIGN_KEY_CHECKS = 0;
ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);
SET FOREIGN_KEY_CHECKS = 1;
ALTER TABLE orders ADD CONSTRAINT fk_orders_shop FOREIGN KEY (shop_id) REFERENCES shops (id);
