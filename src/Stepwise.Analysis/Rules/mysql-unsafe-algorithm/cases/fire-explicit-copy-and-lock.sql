-- dialect: mysql
-- expect: 3
ALTER TABLE users ADD COLUMN nickname VARCHAR(30) NULL, ALGORITHM=COPY;
ALTER TABLE users ADD INDEX idx_users_nickname (nickname), LOCK=SHARED;
CREATE INDEX idx_users_email ON users (email) LOCK = EXCLUSIVE;
