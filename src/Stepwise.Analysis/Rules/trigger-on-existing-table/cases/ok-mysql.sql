-- dialect: mysql
CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW INSERT INTO orders_audit (order_id) VALUES (NEW.id);
