-- BAD: schema and data in one migration, and one UPDATE over the whole live table
ALTER TABLE users ADD COLUMN normalized_email text;
UPDATE users SET normalized_email = LOWER(email);
