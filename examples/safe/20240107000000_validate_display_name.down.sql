ALTER TABLE users ALTER COLUMN display_name DROP NOT NULL;
-- the up dropped the NOT VALID check once SET NOT NULL held; put it back as 20240106 left it (found by `stepwise verify`)
ALTER TABLE users ADD CONSTRAINT users_display_name_not_null CHECK (display_name IS NOT NULL) NOT VALID;
