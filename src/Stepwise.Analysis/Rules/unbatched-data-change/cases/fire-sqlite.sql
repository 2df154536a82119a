-- dialect: sqlite
UPDATE users SET email = lower(email);
