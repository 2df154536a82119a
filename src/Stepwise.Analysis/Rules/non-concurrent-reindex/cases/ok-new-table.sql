CREATE TABLE import_rows (id bigint PRIMARY KEY, payload jsonb);
CREATE INDEX idx_import_rows_payload ON import_rows USING gin (payload);
REINDEX TABLE import_rows;
REINDEX INDEX idx_import_rows_payload;
