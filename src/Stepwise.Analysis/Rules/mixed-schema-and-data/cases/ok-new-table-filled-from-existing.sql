-- rows are copied into the new table; no existing row changes
CREATE TABLE user_settings (user_id bigint PRIMARY KEY, theme text);
INSERT INTO user_settings (user_id, theme) SELECT id, 'light' FROM users;
