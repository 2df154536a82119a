using Stepwise.Sql.Syntax;

namespace Stepwise.Sql.Tests.Syntax;

public sealed class ParserTests
{
    private static ParsedScript Parse(string sql, SqlDialect dialect = SqlDialect.PostgreSql) => ParsedScript.Parse(new SourceText(sql, "t.sql"), dialect);

    private static T Single<T>(string sql, SqlDialect dialect = SqlDialect.PostgreSql)
        where T : Statement
    {
        var script = Parse(sql, dialect);
        Assert.Single(script.Statements);
        return Assert.IsType<T>(script.Statements[0]);
    }

    [Fact]
    public void Create_table_reads_columns_types_and_constraints()
    {
        var t = Single<CreateTableStatement>("""
            CREATE TABLE IF NOT EXISTS public.Users (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              "Email" character varying(255) NOT NULL UNIQUE,
              created timestamp with time zone DEFAULT now(),
              team_id int REFERENCES teams (id) ON DELETE CASCADE,
              score numeric(10, 2) CHECK (score >= 0),
              CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES teams (id)
            );
            """);
        Assert.Equal("users", t.Table.Key);
        Assert.True(t.IfNotExists);
        Assert.Equal(["id", "Email", "created", "team_id", "score"], t.Columns.Select(c => c.Name));
        Assert.Equal(IdentityKind.Always, t.Columns[0].Identity);
        Assert.True(t.Columns[0].PrimaryKey);
        Assert.Equal("varchar", t.Columns[1].Type!.Name);
        Assert.Equal(255, t.Columns[1].Type!.FirstArgument);
        Assert.True(t.Columns[1].NotNull);
        Assert.Equal("timestamptz", t.Columns[2].Type!.Name);
        Assert.Equal("now()", t.Columns[2].Default!.Text);
        Assert.Equal("numeric", t.Columns[4].Type!.Name);
        Assert.Equal(["10", "2"], t.Columns[4].Type!.Arguments);
        Assert.Contains(t.Constraints, c => c.Kind == ConstraintKind.ForeignKey && c.Name == "users_team_fk" && c.References!.Table.Key == "teams");
        Assert.Contains(t.Constraints, c => c.Kind == ConstraintKind.Check && c.Columns.SequenceEqual(["score"]));
        Assert.Contains(t.Constraints, c => c.Kind == ConstraintKind.Unique && c.Columns.SequenceEqual(["Email"]));
    }

    [Fact]
    public void Alter_table_reads_every_action_kind()
    {
        var a = Single<AlterTableStatement>("""
            ALTER TABLE ONLY users
              ADD COLUMN IF NOT EXISTS role text NOT NULL DEFAULT 'member',
              DROP COLUMN legacy CASCADE,
              ALTER COLUMN age TYPE bigint USING age::bigint,
              ALTER COLUMN email SET NOT NULL,
              ALTER email DROP NOT NULL,
              ALTER COLUMN flag SET DEFAULT false,
              ALTER COLUMN flag DROP DEFAULT,
              ADD CONSTRAINT users_age_check CHECK (age > 0) NOT VALID,
              VALIDATE CONSTRAINT users_other_check,
              DROP CONSTRAINT IF EXISTS users_old_check,
              ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx,
              SET TABLESPACE fast;
            """);
        Assert.Equal("users", a.Table.Key);
        Assert.Collection(a.Actions,
            x => Assert.Equal("role", Assert.IsType<AddColumnAction>(x).Column.Name),
            x => Assert.Equal("legacy", Assert.IsType<DropColumnAction>(x).Column),
            x => Assert.Equal("bigint", Assert.IsType<AlterColumnTypeAction>(x).NewType.Name),
            x => Assert.Equal("email", Assert.IsType<SetNotNullAction>(x).Column),
            x => Assert.Equal("email", Assert.IsType<DropNotNullAction>(x).Column),
            x => Assert.Equal("false", Assert.IsType<SetDefaultAction>(x).Default.Text),
            x => Assert.Equal("flag", Assert.IsType<DropDefaultAction>(x).Column),
            x => Assert.True(Assert.IsType<AddConstraintAction>(x).Constraint.NotValid),
            x => Assert.Equal("users_other_check", Assert.IsType<ValidateConstraintAction>(x).Name),
            x => Assert.True(Assert.IsType<DropConstraintAction>(x).IfExists),
            x => Assert.Equal("users_email_idx", Assert.IsType<AddConstraintAction>(x).Constraint.UsingIndex),
            x => Assert.Equal("SET TABLESPACE FAST", Assert.IsType<OtherAlterAction>(x).Keywords));
        var add = (AddColumnAction)a.Actions[0];
        Assert.True(add.IfNotExists);
        Assert.Equal("'member'", add.Column.Default!.Text);
    }

    [Fact]
    public void Action_spans_cover_the_action_text()
    {
        const string sql = "ALTER TABLE t ADD COLUMN a int NOT NULL, RENAME COLUMN b TO c;";
        var script = Parse(sql);
        var a = Assert.IsType<AlterTableStatement>(script.Statements[0]);
        Assert.Equal("ADD COLUMN a int NOT NULL", script.Source.ToString(a.Actions[0].Span));
        var rename = Assert.IsType<RenameColumnAction>(a.Actions[1]);
        Assert.Equal(("b", "c"), (rename.Column, rename.NewName));
        Assert.Equal("RENAME COLUMN b TO c", script.Source.ToString(rename.Span));
    }

    [Fact]
    public void Create_index_reads_flags_columns_and_predicate()
    {
        var script = Parse("create unique index concurrently if not exists idx_a on only public.t using btree (lower(email), created_at desc) include (x) where deleted_at is null;");
        var i = Assert.IsType<CreateIndexStatement>(script.Statements[0]);
        Assert.True(i.Unique && i.Concurrently && i.IfNotExists);
        Assert.Equal("idx_a", i.Name!.Key);
        Assert.Equal("t", i.Table.Key);
        Assert.Equal("btree", i.Method);
        Assert.Equal(["lower(email)", "created_at"], i.Columns);
        Assert.Equal("deleted_at is null", i.Where!.Text);
        Assert.Equal("index", script.Source.ToString(i.IndexKeyword));
    }

    [Fact]
    public void Drop_and_reindex_statements_are_typed()
    {
        var script = Parse("DROP INDEX CONCURRENTLY IF EXISTS a, b; DROP TABLE IF EXISTS x, y CASCADE; REINDEX (VERBOSE) TABLE CONCURRENTLY t; REINDEX INDEX i;");
        var drop = Assert.IsType<DropIndexStatement>(script.Statements[0]);
        Assert.True(drop.Concurrently && drop.IfExists);
        Assert.Equal(["a", "b"], drop.Indexes.Select(n => n.Key));
        Assert.Equal(["x", "y"], Assert.IsType<DropTableStatement>(script.Statements[1]).Tables.Select(n => n.Key));
        var r = Assert.IsType<ReindexStatement>(script.Statements[2]);
        Assert.True(r.Concurrently);
        Assert.Equal("TABLE", r.Target);
        Assert.False(Assert.IsType<ReindexStatement>(script.Statements[3]).Concurrently);
    }

    [Fact]
    public void Update_and_delete_read_table_set_columns_and_where()
    {
        var script = Parse("WITH x AS (SELECT 1) UPDATE ONLY users AS u SET a = 1, u.b = lower(c) FROM x WHERE u.id > 5 RETURNING *; DELETE FROM logs l WHERE created < now() - interval '1 day';");
        var u = Assert.IsType<UpdateStatement>(script.Statements[0]);
        Assert.Equal("users", u.Table.Key);
        Assert.Equal("u", u.Alias);
        Assert.Equal(["a", "b"], u.SetColumns);
        Assert.True(u.HasFrom);
        Assert.Equal("u.id > 5", u.Where!.Text);
        var d = Assert.IsType<DeleteStatement>(script.Statements[1]);
        Assert.Equal("logs", d.Table.Key);
        Assert.Equal("l", d.Alias);
        Assert.StartsWith("created <", d.Where!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_batching_do_block_is_one_statement_with_a_committing_loop()
    {
        const string sql = """
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
            """;
        var script = Parse(sql);
        var d = Assert.IsType<DoStatement>(Assert.Single(script.Statements));
        Assert.NotNull(d.Body);
        Assert.True(d.Body!.HasLoop);
        Assert.True(d.Body.HasCommit);
        var update = Assert.IsType<UpdateStatement>(d.Body.Statements[0]);
        Assert.Equal("users", update.Table.Key);
        Assert.Equal(1, update.Context!.LoopDepth);
        Assert.True(update.Context.BodyCommits);
        Assert.True(update.Context.Executes);
        Assert.StartsWith("UPDATE users", script.Source.ToString(update.Span), StringComparison.Ordinal);
        Assert.Contains(d.Body.Statements, s => s is TransactionStatement { Operation: TransactionOperation.Commit });
    }

    [Fact]
    public void Dynamic_sql_in_strings_is_not_a_statement()
    {
        var script = Parse("DO $$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN x'; END $$;");
        var d = Assert.IsType<DoStatement>(Assert.Single(script.Statements));
        Assert.True(d.Body!.HasDynamicSql);
        Assert.DoesNotContain(d.Body.Statements, s => s is AlterTableStatement);
    }

    [Fact]
    public void Function_bodies_are_known_not_to_run_during_the_migration()
    {
        var script = Parse("CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN UPDATE users SET a = 1; END $fn$;");
        var f = Assert.IsType<CreateFunctionStatement>(Assert.Single(script.Statements));
        Assert.Equal("plpgsql", f.Language);
        var inner = Assert.IsType<UpdateStatement>(Assert.Single(f.Body!.Statements));
        Assert.False(inner.Context!.Executes);
    }

    [Fact]
    public void Transactions_sets_vacuum_lock_and_types_are_typed()
    {
        var script = Parse("BEGIN; SET LOCAL lock_timeout = '1s'; VACUUM (FULL, VERBOSE) t; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; CREATE TYPE mood AS ENUM ('a', 'b'); ALTER TYPE mood ADD VALUE IF NOT EXISTS 'c' AFTER 'b'; COMMIT;");
        Assert.Equal(TransactionOperation.Begin, Assert.IsType<TransactionStatement>(script.Statements[0]).Operation);
        var set = Assert.IsType<SetStatement>(script.Statements[1]);
        Assert.Equal(("lock_timeout", "1s", true), (set.Name, set.Value, set.Local));
        Assert.True(Assert.IsType<VacuumStatement>(script.Statements[2]).Full);
        Assert.Equal("ACCESS EXCLUSIVE", Assert.IsType<LockTableStatement>(script.Statements[3]).Mode);
        Assert.Equal(["a", "b"], Assert.IsType<CreateTypeStatement>(script.Statements[4]).EnumValues);
        Assert.Equal("c", Assert.IsType<AlterTypeStatement>(script.Statements[5]).AddedValue);
        Assert.Equal(TransactionOperation.Commit, Assert.IsType<TransactionStatement>(script.Statements[6]).Operation);
    }

    [Fact]
    public void MySql_alter_reads_modify_change_algorithm_and_lock()
    {
        var a = Single<AlterTableStatement>("ALTER TABLE `users` MODIFY COLUMN `name` VARCHAR(100) NOT NULL, CHANGE `old` `new` INT UNSIGNED, ADD INDEX idx_a (a), DROP FOREIGN KEY fk_x, ALGORITHM=INPLACE, LOCK=NONE;", SqlDialect.MySql);
        Assert.Equal("INPLACE", a.Algorithm);
        Assert.Equal("NONE", a.Lock);
        var modify = Assert.IsType<AlterColumnTypeAction>(a.Actions[0]);
        Assert.Equal(("name", "varchar", (string?)null), (modify.Column, modify.NewType.Name, modify.NewName));
        var change = Assert.IsType<AlterColumnTypeAction>(a.Actions[1]);
        Assert.Equal(("old", "new"), (change.Column, change.NewName));
        Assert.Equal(ConstraintKind.Index, Assert.IsType<AddConstraintAction>(a.Actions[2]).Constraint.Kind);
        Assert.Equal(ConstraintKind.ForeignKey, Assert.IsType<DropConstraintAction>(a.Actions[3]).MySqlKind);
    }

    [Fact]
    public void MySql_rename_table_and_drop_index_on_table()
    {
        var script = Parse("RENAME TABLE a TO b, c TO d; DROP INDEX i ON t; CREATE FULLTEXT INDEX ft ON posts (body);", SqlDialect.MySql);
        var r = Assert.IsType<RenameTableStatement>(script.Statements[0]);
        Assert.Equal([("a", "b"), ("c", "d")], r.Renames.Select(x => (x.From.Key, x.To.Key)));
        Assert.Equal("t", Assert.IsType<DropIndexStatement>(script.Statements[1]).Table!.Key);
        Assert.True(Assert.IsType<CreateIndexStatement>(script.Statements[2]).FullText);
    }

    [Fact]
    public void Unknown_statements_are_opaque_with_exact_spans()
    {
        var script = Parse("  GRANT SELECT ON t TO app ; -- done\nCOMMENT ON TABLE t IS 'x;y'");
        Assert.Equal(2, script.Statements.Count);
        Assert.IsType<OpaqueStatement>(script.Statements[0]);
        Assert.Equal("GRANT SELECT ON t TO app", script.Source.ToString(script.Statements[0].Span));
        Assert.Equal("COMMENT ON TABLE t IS 'x;y'", script.Source.ToString(script.Statements[1].Span));
        Assert.Equal("GRANT SELECT ON", script.Statements[0].Keywords);
    }

    [Fact]
    public void Leading_comments_are_reachable_for_suppressions()
    {
        var script = Parse("SELECT 1;\n-- stepwise:ignore drop-column reason\nALTER TABLE t DROP COLUMN c;");
        var comments = script.LeadingComments(script.Statements[1]).Select(t => script.Source.ToString(t.Span)).ToList();
        Assert.Equal(["-- stepwise:ignore drop-column reason"], comments);
    }
}
