-- dialect: sqlite
-- the table rebuild Drizzle and Prisma emit for SQLite ALTERs: rows copied, name restored
PRAGMA foreign_keys=OFF;
CREATE TABLE `__new_users` (`id` integer PRIMARY KEY NOT NULL, `email` text NOT NULL, `name` text);
INSERT INTO `__new_users`("id", "email", "name") SELECT "id", "email", "name" FROM `users`;
DROP TABLE `users`;
ALTER TABLE `__new_users` RENAME TO `users`;
PRAGMA foreign_keys=ON;
