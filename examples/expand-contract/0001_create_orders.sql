CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'new',
    total INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX orders_status ON orders (status);
INSERT INTO orders (id, status, total) VALUES (1, 'new', 10), (2, 'paid', 25), (3, 'shipped', 7);
