-- dialect: mysql
CREATE TABLE posts (id BIGINT NOT NULL, body TEXT, user_id BIGINT, age INT);
ALTER TABLE posts ADD PRIMARY KEY (id);
ALTER TABLE posts ADD FULLTEXT INDEX ft_posts_body (body);
ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE posts MODIFY age BIGINT;
