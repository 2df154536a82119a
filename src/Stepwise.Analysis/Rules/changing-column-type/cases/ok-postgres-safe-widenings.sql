-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50), title varchar(80), total numeric(10,2), addr cidr, seen timestamp(3));
-- migration: 0002_widen
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);
ALTER TABLE users ALTER COLUMN title TYPE text;
ALTER TABLE users ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE users ALTER COLUMN addr TYPE inet;
ALTER TABLE users ALTER COLUMN seen TYPE timestamp(6);
ALTER TABLE users ALTER COLUMN name TYPE varchar(120) USING name::varchar(120);
