-- adding a value, or renaming the type itself, breaks no running query
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'returned';
ALTER TYPE order_status RENAME TO order_state;
-- ALTER TYPE order_status RENAME VALUE 'a' TO 'b';
SELECT 'ALTER TYPE order_status RENAME VALUE ''a'' TO ''b''';
