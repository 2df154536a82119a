-- dialect: mysql
ALTER TABLE users ADD UNIQUE KEY uk_users_email (email);
