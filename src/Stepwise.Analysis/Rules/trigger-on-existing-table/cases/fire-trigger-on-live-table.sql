-- expect: 2
-- migration: 0001_orders
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
-- migration: 0002_audit
CREATE OR REPLACE FUNCTION audit_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO orders_audit (order_id) VALUES (NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_orders();
CREATE CONSTRAINT TRIGGER orders_check AFTER INSERT ON public.orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_orders();
