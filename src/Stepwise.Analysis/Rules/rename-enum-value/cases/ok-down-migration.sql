-- down
-- migration: 0002_rename
ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';
-- migration: 0002_rename.down
ALTER TYPE order_status RENAME VALUE 'shipped' TO 'sent';
