-- dialect: mysql
-- the server refuses these rather than copying or blocking: the assertion is the safety net
ALTER TABLE users MODIFY age BIGINT NULL, ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE posts ADD FULLTEXT INDEX ft_posts_body (body), LOCK=NONE;
ALTER TABLE users ADD COLUMN nickname VARCHAR(30) NULL FIRST, ALGORITHM=INSTANT;
ALTER TABLE events ADD PRIMARY KEY (id), ALGORITHM=INPLACE;
CREATE FULLTEXT INDEX ft_posts_title ON posts (title) ALGORITHM=INPLACE LOCK=NONE;
