-- dialect: sqlite
DROP TABLE IF EXISTS "sessions";
