CREATE INDEX users_display_name_idx ON users (display_name);
