namespace Stepwise.Sql.Tests.Lexing;

/// <summary>Realistic migration files per dialect: the starting points of mutation fuzzing and of the
/// large-input test.</summary>
internal static class SeedCorpus
{
    public static readonly string[] PostgreSql =
    [
        """
        -- GOOD: Nullable column, no lock
        ALTER TABLE users ADD COLUMN avatar_url TEXT;
        -- GOOD: Column with default (Postgres 11+ is instant, no rewrite)
        ALTER TABLE users ADD COLUMN is_active BOOLEAN NOT NULL DEFAULT true;
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);
        UPDATE users SET display_name = username WHERE display_name IS NULL;
        ALTER TABLE orders DROP COLUMN legacy_status;
        """,
        """
        DO $$
        DECLARE
        batch_size INT := 10000;
        rows_updated INT;
        BEGIN
        LOOP
        UPDATE users
        SET normalized_email = LOWER(email)
        WHERE id IN (
        SELECT id FROM users
        WHERE normalized_email IS NULL
        LIMIT batch_size
        FOR UPDATE SKIP LOCKED
        );
        GET DIAGNOSTICS rows_updated = ROW_COUNT;
        RAISE NOTICE 'Updated % rows', rows_updated;
        EXIT WHEN rows_updated = 0;
        COMMIT;
        END LOOP;
        END $$;
        """,
        """
        BEGIN;
        ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL) NOT VALID;
        ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_not_null;
        ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
        COMMENT ON COLUMN accounts.email IS E'primary e-mail; can''t be \'empty\'';
        COMMIT;
        """,
        """
        CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
            LANGUAGE plpgsql AS $fn$
        BEGIN
            NEW.updated_at := now(); -- keep ; inside
            RETURN NEW;
        END;
        $fn$;
        CREATE TRIGGER trg BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
        """,
        """
        CREATE FUNCTION grade(score int) RETURNS text LANGUAGE sql
        BEGIN ATOMIC
            SELECT CASE WHEN score > 90 THEN 'A' WHEN score > 80 THEN 'B' ELSE 'C' END;
        END;
        CREATE RULE log_insert AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (NEW.id); NOTIFY t);
        /* multi /* nested */ comment ; */ SELECT U&'d\0061t\+000061', B'0101', X'1F', $1::int, 0x1F, 1_000, .5e-3;
        """,
        """"
        \set ON_ERROR_STOP on
        CREATE TABLE "Weird ""Name""" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data jsonb);
        SELECT data->>'a', data #> '{b,c}', data @> '{"x": 1}' FROM "Weird ""Name""" WHERE id = ANY($1);
        CREATE TABLE a (id int)
        --> statement-breakpoint
        CREATE TABLE b (id int);
        """",
    ];

    public static readonly string[] MySql =
    [
        """
        /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
        /*!40101 SET NAMES utf8mb4 */;
        # dump header
        CREATE TABLE `users` (
          `id` bigint unsigned NOT NULL AUTO_INCREMENT,
          `email` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
          PRIMARY KEY (`id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        INSERT INTO `users` VALUES (1,'a\'b@example.com'),(2,"c\"d");
        """,
        """
        DROP TRIGGER IF EXISTS users_bi;
        DELIMITER $$
        CREATE TRIGGER users_bi BEFORE INSERT ON users
        FOR EACH ROW
        BEGIN
          IF NEW.email IS NULL THEN
            SET NEW.email = '';
          END IF;
        END$$
        DELIMITER ;
        """,
        """
        DELIMITER //
        CREATE PROCEDURE `POMELO_BEFORE_DROP_PRIMARY_KEY`(IN `SCHEMA_NAME_ARGUMENT` VARCHAR(255))
        BEGIN
            DECLARE HAS_AUTO_INCREMENT_ID TINYINT(1);
            SELECT COUNT(*) INTO HAS_AUTO_INCREMENT_ID FROM `information_schema`.`COLUMNS`
            WHERE `TABLE_SCHEMA` = SCHEMA_NAME_ARGUMENT AND `Extra` = 'auto_increment';
        END //
        DELIMITER ;
        START TRANSACTION;
        ALTER TABLE `Blogs` ADD `Url` longtext CHARACTER SET utf8mb4 NULL;
        COMMIT;
        """,
        """
        CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)
        BEGIN
          DECLARE i INT DEFAULT 0;
          WHILE i < n DO SET i = i + 1; END WHILE;
          CASE n WHEN 1 THEN SELECT 'one'; ELSE SELECT 'many'; END CASE;
        END;
        SET @x := 1--1;
        SELECT @x, @@global.max_connections, ? FROM dual;
        CREATE USER 'app'@'%' IDENTIFIED BY 'secret';
        """,
    ];

    public static readonly string[] Sqlite =
    [
        """
        CREATE TABLE IF NOT EXISTS [order items] (id INTEGER PRIMARY KEY, `note` TEXT, "qty" INT DEFAULT 0);
        CREATE TRIGGER orders_au AFTER UPDATE ON orders
        FOR EACH ROW WHEN NEW.status <> OLD.status
        BEGIN
          INSERT INTO audit VALUES (NEW.id, CASE WHEN NEW.status = 'x' THEN 'cancelled' ELSE 'changed' END);
          UPDATE orders SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
        END;
        """,
        """
        PRAGMA foreign_keys = OFF;
        BEGIN TRANSACTION;
        CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, avatar BLOB DEFAULT x'00FF');
        INSERT INTO new_users SELECT id, email, NULL FROM users WHERE id > :min AND name LIKE ?1 OR tag = @t OR x = $v;
        DROP TABLE users;
        ALTER TABLE new_users RENAME TO users;
        COMMIT;
        PRAGMA foreign_keys = ON; /* a comment; with a semicolon */
        """,
    ];

    public static string[] For(SqlDialect dialect) => dialect switch
    {
        SqlDialect.MySql => MySql,
        SqlDialect.Sqlite => Sqlite,
        _ => PostgreSql,
    };
}
