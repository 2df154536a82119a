-- DO blocks (batched backfills with COMMIT), triggers, event triggers, policies.
DO $$
DECLARE
    batch_size constant int := 5000;
    moved int;
BEGIN
    LOOP
        UPDATE app.users u
        SET locale = 'en'
        WHERE u.id IN (
            SELECT id FROM app.users
            WHERE locale IS NULL
            ORDER BY id
            LIMIT batch_size
            FOR UPDATE SKIP LOCKED
        );
        GET DIAGNOSTICS moved = ROW_COUNT;
        EXIT WHEN moved = 0;
        COMMIT;
        PERFORM pg_sleep(0.05);
    END LOOP;
END
$$;

DO LANGUAGE plpgsql $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'readonly') THEN
        CREATE ROLE readonly;
    END IF;
    EXECUTE 'GRANT USAGE ON SCHEMA app TO readonly; -- two statements in one string';
END
$do$;

DO $body$
DECLARE
    last_id bigint := 0;
    max_id bigint;
BEGIN
    SELECT coalesce(max(id), 0) INTO max_id FROM app.audit_log;
    WHILE last_id < max_id LOOP
        UPDATE app.audit_log SET at = coalesce(at, now())
        WHERE id > last_id AND id <= last_id + 10000;
        last_id := last_id + 10000;
        RAISE NOTICE 'progress: % / %; $body is fine', last_id, max_id;
        COMMIT;
    END LOOP;
END;
$body$ LANGUAGE plpgsql;

DO 'BEGIN RAISE NOTICE ''quoted DO; body''; END';

DO $$ BEGIN PERFORM 1; END $$;

DO $$
BEGIN
    ALTER TYPE app.order_status ADD VALUE IF NOT EXISTS 'refunded';
EXCEPTION WHEN duplicate_object THEN
    NULL;
END
$$;

CREATE TRIGGER users_touch
    BEFORE UPDATE ON app.users
    FOR EACH ROW
    EXECUTE FUNCTION app.touch_updated_at();

CREATE OR REPLACE TRIGGER users_audit
    AFTER INSERT OR UPDATE OR DELETE ON app.users
    FOR EACH ROW EXECUTE PROCEDURE app.trg_audit();

CREATE TRIGGER orders_status_change
    AFTER UPDATE OF status ON app.orders
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status <> 'draft;x')
    EXECUTE FUNCTION app.trg_audit();

CREATE TRIGGER orders_truncate AFTER TRUNCATE ON app.orders FOR EACH STATEMENT EXECUTE FUNCTION app.trg_audit();

CREATE TRIGGER accounts_transition
    AFTER UPDATE ON app.accounts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    EXECUTE FUNCTION app.trg_audit();

CREATE CONSTRAINT TRIGGER check_balance
    AFTER INSERT OR UPDATE ON app.accounts
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION app.check_balance('min;0', 'it''s');

CREATE TRIGGER v_instead INSTEAD OF INSERT ON app.active_users FOR EACH ROW EXECUTE FUNCTION app.insert_user();

ALTER TRIGGER users_touch ON app.users RENAME TO users_touch_updated;
DROP TRIGGER IF EXISTS users_touch_updated ON app.users;
DROP TRIGGER orders_truncate ON app.orders CASCADE;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION app.log_ddl();
ALTER EVENT TRIGGER log_ddl DISABLE;
DROP EVENT TRIGGER IF EXISTS log_ddl;

CREATE POLICY tenant_isolation ON app.users
    AS PERMISSIVE
    FOR ALL
    TO app_user
    USING (account_id = current_setting('app.account_id')::bigint)
    WITH CHECK (account_id = current_setting('app.account_id')::bigint);
CREATE POLICY read_own ON app.orders FOR SELECT USING (user_id = (SELECT id FROM app.users WHERE email = current_user));
ALTER POLICY read_own ON app.orders RENAME TO read_own_orders;
DROP POLICY IF EXISTS read_own_orders ON app.orders;

CREATE PUBLICATION app_pub FOR TABLE app.users, app.orders WITH (publish = 'insert, update');
ALTER PUBLICATION app_pub ADD TABLE app.accounts;
CREATE STATISTICS app.users_stats (ndistinct, dependencies) ON account_id, locale FROM app.users;
