CREATE TABLE import_batch (id bigint PRIMARY KEY, payload jsonb);
DROP TABLE import_batch;
