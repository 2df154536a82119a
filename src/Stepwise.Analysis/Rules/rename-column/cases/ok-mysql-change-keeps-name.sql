-- dialect: mysql
-- CHANGE with the same name only restates the column; MODIFY never renames
ALTER TABLE users CHANGE username username VARCHAR(64) NOT NULL;
ALTER TABLE users MODIFY email VARCHAR(255) NULL;
-- renaming an index or a constraint is not renaming a column
ALTER TABLE users RENAME INDEX idx_a TO idx_b;
