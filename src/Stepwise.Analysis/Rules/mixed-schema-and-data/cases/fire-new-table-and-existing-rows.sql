-- the new table is harmless, the UPDATE of existing rows is not undone by dropping it
CREATE TABLE user_flags (user_id bigint PRIMARY KEY, flag text);
UPDATE users SET flagged = false WHERE flagged IS NULL;
