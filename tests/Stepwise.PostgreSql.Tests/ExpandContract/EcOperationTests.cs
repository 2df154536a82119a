using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>Each expand/contract operation on a real PostgreSQL, through <see cref="EcScenarioRunner"/>.</summary>
[Collection("postgres")]
public sealed class EcOperationTests(PostgresFixture fixture)
{
    private readonly PostgresTarget _target = new(fixture);

    [Fact]
    public Task Rename_column_with_indexes_unique_check_default_and_not_null() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260101_rename",
        [
            "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL DEFAULT 'x', n int, CONSTRAINT a_len CHECK (length(a) < 100))",
            "CREATE INDEX t_a_idx ON t (a)",
            "CREATE INDEX t_a_part ON t (n) WHERE a <> ''",
            "CREATE INDEX t_a_expr ON t (lower(a))",
            "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)",
            "INSERT INTO t VALUES (1, 'r1', 1), (2, 'r2', 2)",
        ],
        [new EcRenameColumn("t", "a", "b")],
        ["ALTER TABLE t RENAME COLUMN a TO b"],
        [
            new("SELECT b FROM t WHERE id = 1", "r1"), // backfilled
            new("INSERT INTO t (id, a, n) VALUES (10, 'old10', 10)"), // old release
            new("SELECT b FROM t WHERE id = 10", "old10"),
            new("INSERT INTO t (id, b, n) VALUES (11, 'new11', 11)"), // new release, leaves out the NOT NULL old column
            new("SELECT a FROM t WHERE id = 11", "new11"),
            new("INSERT INTO t (id) VALUES (12)"), // neither: the default
            new("SELECT a || b FROM t WHERE id = 12", "xx"),
            new("UPDATE t SET a = 'old10u' WHERE id = 10"),
            new("SELECT b FROM t WHERE id = 10", "old10u"),
            new("UPDATE t SET b = 'new11u' WHERE b = 'new11'"),
            new("SELECT a FROM t WHERE id = 11", "new11u"),
            new("SELECT count(*) FROM t WHERE a IS DISTINCT FROM b", "0"),
            new("DELETE FROM t WHERE a = 'old10u'"),
            new("DELETE FROM t WHERE b = 'new11u'"),
            new("SELECT count(*) FROM t", "3"),
        ],
        ["t"]), nameof(Rename_column_with_indexes_unique_check_default_and_not_null));

    [Fact]
    public Task Change_column_type_with_cast_and_with_using() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260102_retype",
        [
            "CREATE TABLE o (id serial PRIMARY KEY, q integer NOT NULL DEFAULT 0, s text, CONSTRAINT q_pos CHECK (q >= 0))",
            "CREATE INDEX o_q_idx ON o (q)",
            "INSERT INTO o (q, s) VALUES (1, ' 5'), (2, NULL), (3, '')",
        ],
        [new EcChangeColumnType("o", "q", "bigint", null), new EcChangeColumnType("o", "s", "integer", "nullif(trim(s), '')::integer")],
        ["ALTER TABLE o ALTER COLUMN q TYPE bigint", "ALTER TABLE o ALTER COLUMN s TYPE integer USING nullif(trim(s), '')::integer"],
        [
            new("SELECT \"_sw_20260102_retype_s\" FROM o WHERE q = 1", "5"), // backfilled through USING
            new("INSERT INTO o (id, q, s) VALUES (10, 7, '8')"), // both releases write the old type until contract
            new("SELECT \"_sw_20260102_retype_q\" + \"_sw_20260102_retype_s\" FROM o WHERE id = 10", "15"),
            new("UPDATE o SET q = 70, s = ' 80 ' WHERE id = 10"),
            new("SELECT \"_sw_20260102_retype_q\" + \"_sw_20260102_retype_s\" FROM o WHERE id = 10", "150"),
            new("INSERT INTO o (id) VALUES (11)"),
            new("SELECT \"_sw_20260102_retype_q\" FROM o WHERE id = 11", "0"),
            new("DELETE FROM o WHERE id = 11"),
            new("SELECT count(*) FROM o WHERE \"_sw_20260102_retype_q\" IS DISTINCT FROM q", "0"),
        ],
        ["o"]), nameof(Change_column_type_with_cast_and_with_using));

    [Fact]
    public Task Rename_table_leaves_an_updatable_view() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260103_rentab",
        [
            "CREATE TABLE a (id serial PRIMARY KEY, v text DEFAULT 'd')",
            "CREATE INDEX a_v_idx ON a (v)",
            "INSERT INTO a (v) VALUES ('r1')",
        ],
        [new EcRenameTable("a", "b")],
        ["ALTER TABLE a RENAME TO b"],
        [
            new("INSERT INTO a (v) VALUES ('old')"),
            new("SELECT count(*) FROM b WHERE v = 'old'", "1"),
            new("INSERT INTO b (v) VALUES ('new')"),
            new("SELECT count(*) FROM a WHERE v = 'new'", "1"),
            new("INSERT INTO a DEFAULT VALUES"),
            new("SELECT count(*) FROM b WHERE v = 'd'", "1"),
            new("UPDATE a SET v = 'old2' WHERE v = 'old'"),
            new("SELECT count(*) FROM b WHERE v = 'old2'", "1"),
            new("DELETE FROM a WHERE v = 'new'"),
            new("DELETE FROM b WHERE v = 'old2'"),
            new("SELECT count(*) FROM a", "2"),
        ],
        ["a"]), nameof(Rename_table_leaves_an_updatable_view));

    [Fact]
    public Task Set_not_null_through_a_validated_check() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260104_setnn",
        ["CREATE TABLE s (id int PRIMARY KEY, c text)", "INSERT INTO s VALUES (1, 'a')"],
        [new EcSetNotNull("s", "c")],
        ["ALTER TABLE s ALTER COLUMN c SET NOT NULL"],
        [
            new("INSERT INTO s VALUES (2, 'b')"),
            new("UPDATE s SET c = 'bb' WHERE id = 2"),
            new("SELECT c FROM s WHERE id = 2", "bb"),
            new("DELETE FROM s WHERE id = 2"),
            new("SELECT count(*) FROM pg_constraint WHERE conname = '_sw_20260104_setnn_c_nn'", "1"),
        ],
        ["s"]), nameof(Set_not_null_through_a_validated_check));

    [Fact]
    public Task Add_required_column_filled_for_old_rows_and_old_inserts() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260105_addreq",
        ["CREATE TABLE r (id int PRIMARY KEY, a int)", "INSERT INTO r VALUES (1, 1), (2, 2)"],
        [new EcAddRequiredColumn("r", "c", "integer", "a * 2", null), new EcAddRequiredColumn("r", "d", "text", "'z'", "'z'")],
        ["ALTER TABLE r ADD COLUMN c integer", "UPDATE r SET c = a * 2", "ALTER TABLE r ALTER COLUMN c SET NOT NULL", "ALTER TABLE r ADD COLUMN d text NOT NULL DEFAULT 'z'"],
        [
            new("SELECT sum(c) FROM r", "6"), // backfilled
            new("INSERT INTO r (id, a) VALUES (10, 4)"), // old release
            new("SELECT c || d FROM r WHERE id = 10", "8z"),
            new("INSERT INTO r (id, a, c, d) VALUES (11, 1, 99, 'n')"), // new release
            new("SELECT a FROM r WHERE id = 11", "1"),
            new("SELECT c FROM r WHERE id = 11", "99"),
            new("UPDATE r SET a = 5 WHERE id = 10"),
            new("DELETE FROM r WHERE id = 11"),
        ],
        ["r"]), nameof(Add_required_column_filled_for_old_rows_and_old_inserts));

    [Fact]
    public Task Drop_column_accepts_new_release_inserts_that_leave_it_out() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260106_dropcol",
        ["CREATE TABLE d (id int PRIMARY KEY, keep text, gone text NOT NULL)", "CREATE INDEX d_gone_idx ON d (gone)", "INSERT INTO d VALUES (1, 'k', 'g')"],
        [new EcDropColumn("d", "gone")],
        ["ALTER TABLE d DROP COLUMN gone"],
        [
            new("INSERT INTO d (id, keep, gone) VALUES (10, 'k', 'g')"), // old release
            new("INSERT INTO d (id, keep) VALUES (11, 'k')"), // new release leaves out the NOT NULL column
            new("UPDATE d SET keep = 'k2' WHERE id = 11"),
            new("SELECT gone FROM d WHERE id = 10", "g"),
            new("DELETE FROM d WHERE id = 10"),
            new("SELECT count(*) FROM d", "2"),
        ],
        ["d"]), nameof(Drop_column_accepts_new_release_inserts_that_leave_it_out));

    [Fact]
    public Task Drop_table_waits_for_contract() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260107_droptab",
        ["CREATE TABLE g (id int PRIMARY KEY)", "CREATE TABLE keep (id int PRIMARY KEY)", "INSERT INTO g VALUES (1)"],
        [new EcDropTable("g")],
        ["DROP TABLE g"],
        [new("INSERT INTO g VALUES (2)"), new("SELECT count(*) FROM g", "2"), new("DELETE FROM g WHERE id = 1")],
        ["g"]), nameof(Drop_table_waits_for_contract));

    [Fact]
    public Task Other_statements_run_in_their_safe_forms() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260108_stmts",
        ["CREATE TABLE parent (id int PRIMARY KEY)", "CREATE TABLE st (id int PRIMARY KEY, p int, v text, u int)", "INSERT INTO parent VALUES (1), (2)", "INSERT INTO st VALUES (1, 1, 'v', 1)"],
        [
            EcHarness.Statement("st", "CREATE INDEX ON st (v)"),
            EcHarness.Statement("st", "CREATE UNIQUE INDEX st_u_named ON st (u) WHERE u > 0"),
            EcHarness.Statement("st", "ALTER TABLE st ADD CONSTRAINT st_p_fk FOREIGN KEY (p) REFERENCES parent (id)"),
            EcHarness.Statement("st", "ALTER TABLE st ADD CHECK (v <> '')"),
            EcHarness.Statement("st", "ALTER TABLE st ADD FOREIGN KEY (u) REFERENCES parent"),
            EcHarness.Statement("st", "ALTER TABLE st ADD UNIQUE (u, v)"),
            EcHarness.Statement("st", "ALTER TABLE st ADD COLUMN z int DEFAULT 0, ALTER COLUMN v SET DEFAULT 'w'"),
            EcHarness.Statement("nt", "CREATE TABLE nt (id int PRIMARY KEY, s text)"),
        ],
        [
            "CREATE INDEX ON st (v)", "CREATE UNIQUE INDEX st_u_named ON st (u) WHERE u > 0",
            "ALTER TABLE st ADD CONSTRAINT st_p_fk FOREIGN KEY (p) REFERENCES parent (id)", "ALTER TABLE st ADD CHECK (v <> '')",
            "ALTER TABLE st ADD FOREIGN KEY (u) REFERENCES parent", "ALTER TABLE st ADD UNIQUE (u, v)",
            "ALTER TABLE st ADD COLUMN z int DEFAULT 0, ALTER COLUMN v SET DEFAULT 'w'", "CREATE TABLE nt (id int PRIMARY KEY, s text)",
        ],
        [new("INSERT INTO st (id, p, u) VALUES (2, 1, 2)"), new("SELECT v || z FROM st WHERE id = 2", "w0")],
        ["st", "parent"]), nameof(Other_statements_run_in_their_safe_forms));

    [Fact]
    public Task Change_type_of_a_unique_column_in_another_schema() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "20260109_schema",
        [
            "CREATE SCHEMA app",
            "CREATE TABLE app.acct (id int PRIMARY KEY, code int NOT NULL, CONSTRAINT acct_code_key UNIQUE (code))",
            "INSERT INTO app.acct VALUES (1, 10), (2, 20)",
        ],
        [new EcChangeColumnType("app.acct", "code", "bigint", null)],
        ["ALTER TABLE app.acct ALTER COLUMN code TYPE bigint"],
        [
            new("INSERT INTO app.acct VALUES (3, 30)"),
            new("SELECT \"_sw_20260109_schema_code\" FROM app.acct WHERE id = 3", "30"),
            new("UPDATE app.acct SET code = 31 WHERE id = 3"),
            new("SELECT \"_sw_20260109_schema_code\" FROM app.acct WHERE id = 3", "31"),
            new("SELECT count(*) FROM pg_proc WHERE proname = '_sw_20260109_schema_acct_sync' AND pronamespace = 'app'::regnamespace", "1"),
        ],
        ["app.acct"]), nameof(Change_type_of_a_unique_column_in_another_schema));
}
