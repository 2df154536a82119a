-- a literal reference row the migration defines is not a data migration
ALTER TABLE roles ADD COLUMN description text;
INSERT INTO roles (name, description) VALUES ('auditor', 'read-only access');
