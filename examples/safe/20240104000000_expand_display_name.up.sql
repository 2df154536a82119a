-- Expand/contract, step 1: add the new column (nullable). The app then writes both columns.
ALTER TABLE users ADD COLUMN display_name text;
