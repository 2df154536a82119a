CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id), deleted_at timestamptz);
CREATE INDEX idx_comments_live_post ON comments (post_id) WHERE deleted_at IS NULL;
