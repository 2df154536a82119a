-- the name comes back, the rows do not
DROP TABLE users;
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
