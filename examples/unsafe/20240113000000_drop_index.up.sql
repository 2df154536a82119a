-- BAD: ACCESS EXCLUSIVE on users while the index is dropped
DROP INDEX idx_users_email;
