-- BAD: integer -> bigint rewrites the table under ACCESS EXCLUSIVE
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
-- GOOD (not reported): varchar(50) -> varchar(100) is binary-coercible (login was username, renamed earlier)
ALTER TABLE users ALTER COLUMN login TYPE varchar(100);
