-- stepwise:no-transaction
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
INSERT INTO order_events (order_id, status) VALUES (1, 'refunded');
COMMIT;
