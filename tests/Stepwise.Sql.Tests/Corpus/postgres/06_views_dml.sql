-- Views, materialized views, CTEs and data changes (INSERT … ON CONFLICT, UPDATE … FROM, DELETE … USING, MERGE).
CREATE VIEW app.active_users AS
    SELECT id, email, full_name FROM app.users WHERE deleted_at IS NULL;

CREATE OR REPLACE VIEW app.account_summary (account_id, users, last_order) WITH (security_barrier = true) AS
SELECT a.id,
       (SELECT count(*) FROM app.users u WHERE u.account_id = a.id),
       (SELECT max(placed_at) FROM app.orders o WHERE o.account_id = a.id)
FROM app.accounts a
WITH LOCAL CHECK OPTION;

CREATE RECURSIVE VIEW app.numbers (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM app.numbers WHERE n < 100;

CREATE TEMP VIEW recent AS SELECT * FROM app.orders WHERE placed_at > now() - interval '1 day';

CREATE MATERIALIZED VIEW IF NOT EXISTS app.daily_revenue AS
SELECT date_trunc('day', placed_at) AS day, sum(total_cents) / 100.0 AS revenue
FROM app.orders
WHERE status = 'paid'
GROUP BY 1
WITH NO DATA;

CREATE MATERIALIZED VIEW app.plan_counts USING heap WITH (fillfactor = 100) AS
SELECT plan, count(*) FROM app.accounts GROUP BY plan WITH DATA;

REFRESH MATERIALIZED VIEW app.daily_revenue;
REFRESH MATERIALIZED VIEW CONCURRENTLY app.daily_revenue WITH DATA;
ALTER MATERIALIZED VIEW app.plan_counts RENAME TO plan_totals;
ALTER VIEW app.active_users RENAME COLUMN full_name TO name;
ALTER VIEW IF EXISTS app.recent OWNER TO app_owner;
DROP VIEW IF EXISTS app.recent, app.numbers CASCADE;
DROP MATERIALIZED VIEW app.plan_totals;

WITH RECURSIVE tree AS (
    SELECT id, parent_id, 1 AS depth, ARRAY[id] AS path FROM app.categories WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, c.parent_id, t.depth + 1, t.path || c.id
    FROM app.categories c JOIN tree t ON c.parent_id = t.id
    WHERE NOT c.id = ANY (t.path)
)
SEARCH DEPTH FIRST BY id SET ordercol
CYCLE id SET is_cycle USING cycle_path
SELECT * FROM tree ORDER BY ordercol;

WITH moved AS MATERIALIZED (
    DELETE FROM app.orders WHERE placed_at < '2020-01-01' RETURNING *
), counted AS NOT MATERIALIZED (
    SELECT count(*) AS n FROM moved
)
INSERT INTO app.orders_archive SELECT * FROM moved;

INSERT INTO app.accounts (slug, name) VALUES ('acme', 'Acme; Inc.'), ('o''reilly', 'O''Reilly');
INSERT INTO app.accounts (slug, name, plan) VALUES ('acme', 'Acme', 'pro')
ON CONFLICT (slug) DO UPDATE SET plan = EXCLUDED.plan, updated_at = now()
WHERE app.accounts.plan IS DISTINCT FROM EXCLUDED.plan
RETURNING id, (xmax = 0) AS inserted;
INSERT INTO app.kv AS t (k, v) VALUES ('a', 'b') ON CONFLICT ON CONSTRAINT kv_pkey DO NOTHING;
INSERT INTO app.kv (k, v) SELECT 'key-' || g, md5(g::text) FROM generate_series(1, 1000) AS g ON CONFLICT DO NOTHING;
INSERT INTO app.audit_log OVERRIDING SYSTEM VALUE VALUES (1, 'x', 'I', NULL, NULL, DEFAULT);
INSERT INTO app.kv DEFAULT VALUES;
INSERT INTO app.users (account_id, email) VALUES (1, $$dollar@example.com$$), (2, E'esc\'aped@example.com');

UPDATE app.users u
SET locale = a.settings ->> 'locale',
    updated_at = DEFAULT
FROM app.accounts a
WHERE a.id = u.account_id AND u.locale IS NULL
RETURNING u.id;
UPDATE app.orders SET (status, total_cents) = (SELECT 'paid', sum(amount) FROM app.line_items WHERE order_id = 7) WHERE id = 7;
UPDATE ONLY app.accounts SET seats = seats + 1 WHERE id = 42;
UPDATE app.users SET settings = jsonb_set(settings, '{theme}', '"dark"') WHERE id = ANY ($1);
UPDATE app.kv SET v = 'x' WHERE CURRENT OF kv_cursor;

DELETE FROM app.users u USING app.accounts a WHERE a.id = u.account_id AND a.deleted_at IS NOT NULL;
DELETE FROM app.kv WHERE k LIKE 'tmp;%' RETURNING k;
DELETE FROM ONLY app.events AS e WHERE e.at < now() - '30 days'::interval;

MERGE INTO app.accounts t
USING (VALUES ('acme', 'Acme')) AS s(slug, name)
ON t.slug = s.slug
WHEN MATCHED AND t.name <> s.name THEN UPDATE SET name = s.name
WHEN MATCHED THEN DO NOTHING
WHEN NOT MATCHED THEN INSERT (slug, name) VALUES (s.slug, s.name);

SELECT DISTINCT ON (account_id) account_id, id, placed_at
FROM app.orders
ORDER BY account_id, placed_at DESC
LIMIT 10 OFFSET 5;
SELECT count(*) FILTER (WHERE status = 'paid') AS paid, percentile_cont(0.5) WITHIN GROUP (ORDER BY total_cents)
FROM app.orders GROUP BY ROLLUP (account_id, status) HAVING count(*) > 1;
SELECT id, row_number() OVER w, lag(total_cents) OVER (PARTITION BY account_id ORDER BY placed_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM app.orders WINDOW w AS (PARTITION BY account_id ORDER BY id);
SELECT * FROM app.users u LEFT JOIN LATERAL (SELECT * FROM app.orders o WHERE o.user_id = u.id LIMIT 1) o ON true;
SELECT 'a' || 'b;' AS "x;y", $$;$$ AS dollar, E'\\' AS backslash, U&'\0041' AS unicode, B'101' AS bits, X'1F' AS hex;
SELECT * FROM app.users FOR UPDATE OF users SKIP LOCKED;
SELECT * FROM app.orders FOR NO KEY UPDATE NOWAIT;
SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4;
SELECT * INTO TEMP copy_of_users FROM app.users;
TABLE app.accounts;
VALUES (1, 'one;'), (2, 'two');
SELECT xmlelement(name foo, 'bar'), ARRAY(SELECT 1), '{1,2}'::int[] @> ARRAY[1], 3 !~~ '%;';
SELECT jsonb_path_query(settings, '$.items[*] ? (@.price > 10)') FROM app.accounts;
SELECT $1::text, $2, current_setting('search_path');
SELECT CASE WHEN status = 'paid' THEN 1 ELSE 0 END FROM app.orders;
SELECT (SELECT 1) + (2) * -3 / 4 % 5 ^ 6;
TRUNCATE app.kv;
TRUNCATE TABLE ONLY app.cache, app.kv RESTART IDENTITY CASCADE;
