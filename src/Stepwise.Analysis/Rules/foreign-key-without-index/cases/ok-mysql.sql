-- dialect: mysql
-- InnoDB creates an index for every foreign key itself
CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, FOREIGN KEY (user_id) REFERENCES users (id));
