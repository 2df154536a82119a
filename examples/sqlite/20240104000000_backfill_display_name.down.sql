UPDATE users SET display_name = NULL WHERE id IN (SELECT id FROM users WHERE display_name IS NOT NULL ORDER BY id LIMIT 1000);
