-- expect: 1
-- migration: 0001_types
CREATE TYPE order_status AS ENUM ('new', 'sent');
CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);
-- migration: 0002_rename
ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';
