-- migration: 0001_archive
CREATE TABLE orders_archive (id bigint PRIMARY KEY, total numeric);
-- migration: 0002_move
ALTER TABLE orders_archive ADD COLUMN moved_at timestamptz;
INSERT INTO orders_archive (id, total, moved_at) SELECT id, total, now() FROM orders WHERE closed;
