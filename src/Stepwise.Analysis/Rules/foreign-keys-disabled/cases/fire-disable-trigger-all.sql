-- expect: 1
ALTER TABLE orders DISABLE TRIGGER ALL;
INSERT INTO orders (id, user_id) SELECT id, user_id FROM legacy_orders;
ALTER TABLE orders ENABLE TRIGGER ALL;
