-- expect: 1
-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- migration: 0002_reclaim
VACUUM FULL users;
