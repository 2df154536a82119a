-- BAD: integer -> bigint rewrites the table under ACCESS EXCLUSIVE
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
-- GOOD (not reported): varchar(50) -> varchar(100) is binary-coercible
ALTER TABLE users ALTER COLUMN username TYPE varchar(100);
