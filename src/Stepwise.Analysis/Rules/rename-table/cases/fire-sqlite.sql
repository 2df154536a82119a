-- dialect: sqlite
ALTER TABLE "users" RENAME TO "accounts";
