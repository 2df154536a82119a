-- data migration: nothing to undo
SELECT 1;
