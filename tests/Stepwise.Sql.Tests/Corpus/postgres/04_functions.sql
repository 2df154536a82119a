-- Functions and procedures: dollar quotes with nested tags, $$ inside strings, SQL-standard bodies.
CREATE OR REPLACE FUNCTION app.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();  -- a comment; with a semicolon
    RETURN NEW;
END;
$$;

CREATE FUNCTION app.slugify(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $fn$ SELECT trim(both '-' from regexp_replace(lower($1), '[^a-z0-9]+', '-', 'g')) $fn$;

CREATE OR REPLACE FUNCTION app.exec_all(stmts text[]) RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = app, pg_temp
AS $outer$
DECLARE
    s text;
    q text := $q$SELECT '$$' || 'not the end' || $q$;
BEGIN
    FOREACH s IN ARRAY stmts LOOP
        EXECUTE s;
    END LOOP;
    EXECUTE $inner$
        UPDATE app.users SET note = 'it''s $$ fine; really' WHERE id IS NULL;
    $inner$;
    EXECUTE format($f$INSERT INTO %I VALUES (%L)$f$, 'log', 'x;y');
    RAISE NOTICE 'done: % statements; $outer is not a tag', array_length(stmts, 1);
END
$outer$;

CREATE FUNCTION app.add(a integer, b integer DEFAULT 0) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN a + b;

CREATE FUNCTION app.account_count(p_plan text) RETURNS bigint
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT count(*) FROM app.accounts WHERE plan = p_plan;
END;

CREATE OR REPLACE PROCEDURE app.archive_orders(cutoff timestamptz)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO app.orders_archive SELECT * FROM app.orders WHERE placed_at < cutoff;
    DELETE FROM app.orders WHERE placed_at < cutoff;
    UPDATE app.stats SET archived_at = now() WHERE name = 'orders;archive';
END;

CREATE FUNCTION app.case_in_atomic(x int) RETURNS text
LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN x > 0 THEN 'positive; yes' WHEN x < 0 THEN 'negative' ELSE 'zero' END;
END;

CREATE PROCEDURE app.nested_atomic()
LANGUAGE sql
BEGIN ATOMIC
    SELECT 1;
    SELECT CASE WHEN true THEN (SELECT CASE 1 WHEN 1 THEN 'a' END) END;
    INSERT INTO app.kv (k, v) VALUES ('end', 'END;');
END;

CREATE OR REPLACE FUNCTION app.get_user(p_id uuid, OUT email text, OUT name text)
LANGUAGE plpgsql STABLE AS '
BEGIN
    SELECT u.email, u.full_name INTO email, name FROM app.users u WHERE u.id = p_id;
    -- single-quoted body: quotes are doubled, ''like this''; and semicolons inside
END;
';

CREATE FUNCTION app.users_by_plan(p_plan text)
RETURNS TABLE (id uuid, email text)
LANGUAGE plpgsql ROWS 100 COST 50 AS $body$
BEGIN
    RETURN QUERY
        SELECT u.id, u.email::text
        FROM app.users u
        JOIN app.accounts a ON a.id = u.account_id
        WHERE a.plan = p_plan;
END;
$body$;

CREATE OR REPLACE FUNCTION app.variadic_sum(VARIADIC nums numeric[]) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$ SELECT sum(n) FROM unnest(nums) AS t(n) $$;

CREATE FUNCTION app.set_returning() RETURNS SETOF app.users
LANGUAGE sql AS $_$ SELECT * FROM app.users WHERE email LIKE '%$_%' $_$;

CREATE FUNCTION app.weird_tags() RETURNS text LANGUAGE plpgsql AS $a1$
DECLARE
    t text := $b$ contains $a$ and $a1 and $$ but not the closer $b$;
BEGIN
    RETURN t || $$;$$ || E'\';';
END $a1$;

CREATE OR REPLACE FUNCTION app.big_loop(n int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    i int := 0;
    total int := 0;
    r record;
BEGIN
    WHILE i < n LOOP
        i := i + 1;
        CONTINUE WHEN i % 2 = 0;
        total := total + i;
    END LOOP;
    FOR r IN SELECT id FROM app.accounts ORDER BY id LOOP
        PERFORM pg_sleep(0);
    END LOOP;
    FOR i IN REVERSE 10..1 BY 2 LOOP
        total := total - 1;
    END LOOP;
    IF total > 100 THEN
        RAISE EXCEPTION 'too big: %', total USING HINT = 'use; less';
    ELSIF total < 0 THEN
        RETURN 0;
    ELSE
        NULL;
    END IF;
    CASE WHEN total = 1 THEN RETURN 1; ELSE RETURN total; END CASE;
EXCEPTION
    WHEN division_by_zero OR numeric_value_out_of_range THEN
        RETURN -1;
    WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS total = PG_EXCEPTION_CONTEXT;
        RAISE;
END;
$$;

CREATE FUNCTION app.c_like() RETURNS int AS $$SELECT 1$$ LANGUAGE sql;

CREATE FUNCTION "app"."Fn;Name"("arg;1" int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1';

CREATE OR REPLACE FUNCTION app.trg_audit() RETURNS trigger
LANGUAGE plpgsql AS $trg$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO app.audit_log (table_name, op, old_row) VALUES (TG_TABLE_NAME, 'D', to_jsonb(OLD));
        RETURN OLD;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO app.audit_log (table_name, op, old_row, new_row)
        VALUES (TG_TABLE_NAME, 'U', to_jsonb(OLD), to_jsonb(NEW));
    ELSE
        INSERT INTO app.audit_log (table_name, op, new_row) VALUES (TG_TABLE_NAME, 'I', to_jsonb(NEW));
    END IF;
    RETURN NEW;
END
$trg$;

ALTER FUNCTION app.slugify(text) RENAME TO make_slug;
ALTER FUNCTION app.make_slug(text) SET search_path = public;
ALTER FUNCTION app.add(integer, integer) OWNER TO app_owner;
ALTER PROCEDURE app.archive_orders(timestamptz) SECURITY DEFINER;
DROP FUNCTION IF EXISTS app.c_like();
DROP PROCEDURE app.nested_atomic;
DROP FUNCTION app.add(int, int), app.variadic_sum(numeric[]) CASCADE;
CALL app.archive_orders(now() - interval '90 days');
CALL app.archive_orders(cutoff => '2024-01-01');
SELECT app.exec_all(ARRAY['SELECT 1', 'SELECT ''a;b''']);

CREATE AGGREGATE app.text_concat(text) (SFUNC = textcat, STYPE = text, INITCOND = '');

CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq, COMMUTATOR = OPERATOR(app.===));

CREATE CAST (text AS app.slug_type) WITH FUNCTION app.to_slug(text) AS ASSIGNMENT;

CREATE OR REPLACE FUNCTION app.unicode_body() RETURNS text LANGUAGE sql AS $ü$ SELECT 'naïve; café' $ü$;

CREATE FUNCTION app.dollar_in_ident() RETURNS int LANGUAGE sql AS $x$ SELECT 1 AS a$b $x$;
