-- dialect: sqlite
-- the table redefinition Prisma and Django emit: move aside, recreate, copy, drop
ALTER TABLE "User" RENAME TO "_User_old";
CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "name" TEXT);
INSERT INTO "User" ("id", "email", "name") SELECT "id", "email", "name" FROM "_User_old";
DROP TABLE "_User_old";
