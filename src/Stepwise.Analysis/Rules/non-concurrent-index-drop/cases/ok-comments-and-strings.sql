-- DROP INDEX idx_users_email;
SELECT 'DROP INDEX idx_users_email';
