CREATE TYPE mood AS ENUM ('sad', 'ok');
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
