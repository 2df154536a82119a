CREATE TABLE audit_log (id bigint PRIMARY KEY, actor text, created_at timestamptz);
CREATE INDEX idx_audit_actor ON audit_log (actor);
-- text in comments is not a statement: CREATE INDEX idx ON users (x);
SELECT 'CREATE INDEX idx_x ON users (x)';
