-- PostgreSQL 12+ adds enum values inside a transaction
ALTER TYPE order_status ADD VALUE 'refunded';
ALTER TYPE order_status ADD VALUE 'disputed' BEFORE 'refunded';
UPDATE orders SET note = 'refund requested' WHERE id = 1;
