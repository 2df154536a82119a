-- expect: 2
DELETE FROM sessions WHERE expires_at < now() - interval '30 days';
DELETE FROM audit_log;
