-- dialect: mysql
-- expect: 3
ALTER TABLE posts ADD FULLTEXT INDEX ft_posts_body (body);
CREATE FULLTEXT INDEX ft_posts_title ON posts (title);
-- INPLACE prevents a copy, not the write lock a FULLTEXT build takes
ALTER TABLE places ADD SPATIAL INDEX sp_places_geo (geo), ALGORITHM=INPLACE;
