CREATE TABLE import_batches (id bigint PRIMARY KEY, state text);
LOCK TABLE import_batches IN ACCESS EXCLUSIVE MODE;
