-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, role text);
-- migration: 0002_promote
UPDATE users SET role = 'admin' WHERE email = 'ops@example.com';
