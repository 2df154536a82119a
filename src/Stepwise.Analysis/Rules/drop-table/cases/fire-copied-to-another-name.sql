-- rows copied, but the name the application uses is gone
CREATE TABLE accounts (id bigint PRIMARY KEY, email text);
INSERT INTO accounts (id, email) SELECT id, email FROM users;
DROP TABLE users;
