-- expect: 2
DROP TABLE IF EXISTS audit_2019, audit_2020 CASCADE;
