-- reference rows: INSERT … VALUES is not a data migration
INSERT INTO users (id, email, username) VALUES (1, 'ada@example.com', 'ada'), (2, 'grace@example.com', 'grace');
