-- pg-version: 11
-- expect: 1
-- migration: 0001_types
CREATE TYPE order_status AS ENUM ('pending', 'paid');
-- migration: 0002_refunded
ALTER TYPE order_status ADD VALUE 'refunded';
