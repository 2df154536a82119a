-- dialect: sqlite
ALTER TABLE "orders" RENAME TO "_orders_old";
CREATE TABLE "orders" ("id" INTEGER NOT NULL PRIMARY KEY, "total" DECIMAL NOT NULL);
INSERT INTO "orders" ("id", "total") SELECT "id", "total" FROM "_orders_old";
DROP TABLE "_orders_old";
