-- stepwise:no-transaction
-- each statement commits on its own: the value is committed before it is used
ALTER TYPE order_status ADD VALUE 'refunded';
UPDATE orders SET status = 'refunded' WHERE id = 1;
BEGIN;
ALTER TYPE order_status ADD VALUE 'disputed';
COMMIT;
INSERT INTO order_events (order_id, status) VALUES (1, 'disputed');
