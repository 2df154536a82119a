-- expand: a nullable column (no rewrite); the application writes both columns from now on
ALTER TABLE users ADD COLUMN display_name TEXT;
