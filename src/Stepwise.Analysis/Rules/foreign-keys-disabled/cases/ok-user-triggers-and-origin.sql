ALTER TABLE orders DISABLE TRIGGER USER;
ALTER TABLE orders DISABLE TRIGGER orders_audit;
ALTER TABLE orders ENABLE TRIGGER ALL;
SET session_replication_role = origin;
-- SET session_replication_role = replica;
SELECT 'ALTER TABLE orders DISABLE TRIGGER ALL';
