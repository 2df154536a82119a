using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.RealWorld;

/// <summary>False alarms and wrong messages seen on real projects' migration folders (issue 14, item 3 and 5).</summary>
public sealed class JudgementTests
{
    private static IReadOnlyList<Finding> Lint(LintOptions options, params string[] files) =>
        Linter.Lint([.. files.Select((text, i) => new LintInput(new SourceText(text, $"{i + 1:0000}_m.up.sql")))], options).Findings;

    private static IReadOnlyList<Finding> Lint(params string[] files) => Lint(new LintOptions(), files);

    [Fact]
    public void Updating_a_system_catalog_is_not_a_data_change_to_backfill()
    {
        var findings = Lint(
            "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
            "UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = 'users_email_idx'::regclass;\n" +
            "UPDATE pg_index SET indisready = true WHERE indexrelid = 'users_email_idx'::regclass;\n" +
            "DELETE FROM information_schema.sql_features;\nALTER TABLE users ADD COLUMN name text;\n");
        Assert.DoesNotContain(findings, f => f.Rule is "unbatched-data-change" or "mixed-schema-and-data");
    }

    [Fact]
    public void A_materialized_view_created_earlier_in_the_file_is_new()
    {
        var findings = Lint(
            "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, user_id bigint);",
            "CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id WITH NO DATA;\n" +
            "CREATE UNIQUE INDEX order_totals_user ON order_totals (user_id);\nREFRESH MATERIALIZED VIEW order_totals;\n" +
            "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;\n");
        Assert.Empty(findings);
    }

    [Fact]
    public void Relations_made_by_create_table_as_and_select_into_are_known_to_the_replay()
    {
        var findings = Lint(
            "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
            "CREATE TABLE orders_copy AS SELECT * FROM orders;\nSELECT id, total INTO orders_archive FROM orders;\n" +
            "CREATE INDEX orders_archive_total ON orders_archive (total);\nCREATE INDEX orders_copy_total ON orders_copy (total);\n",
            "ALTER TABLE orders_archive ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY orders_archive_note ON orders_archive (note);\n");
        Assert.Empty(findings);
    }

    [Fact]
    public void A_renamed_type_is_followed_and_never_named_as_both_old_and_new()
    {
        var findings = Lint(
            "CREATE TYPE status AS ENUM ('new', 'done');\nCREATE TABLE tasks (id bigint PRIMARY KEY, state status NOT NULL);",
            "ALTER TYPE status RENAME TO status_old;\nCREATE TYPE status AS ENUM ('new', 'doing', 'done');\n" +
            "ALTER TABLE tasks ALTER COLUMN state TYPE status USING state::text::status;\nDROP TYPE status_old;\n");
        var change = Assert.Single(findings, f => f.Rule == "changing-column-type");
        Assert.DoesNotContain("from status to status", change.Message, StringComparison.Ordinal);
        Assert.Contains("from status_old to status", change.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MariaDb_required_column_message_says_rows_get_the_implicit_default()
    {
        var options = new LintOptions { Dialect = SqlDialect.MySql, MySql = new MySqlTarget(true, new Version(10, 11)) };
        var findings = Lint(options, "CREATE TABLE users (id bigint PRIMARY KEY);", "ALTER TABLE users ADD COLUMN role varchar(20) NOT NULL;");
        var f = Assert.Single(findings, f => f.Rule == "adding-required-column");
        Assert.DoesNotContain("fails in strict mode", f.Message, StringComparison.Ordinal);
        Assert.Contains("MariaDB fills the existing rows with the type's implicit default", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mysql_non_atomic_ddl_advice_knows_stepwise_resumes_at_the_failed_statement()
    {
        var options = new LintOptions { Dialect = SqlDialect.MySql };
        var findings = Lint(options, "CREATE TABLE users (id bigint PRIMARY KEY);", "ALTER TABLE users ADD COLUMN a int NULL;\nALTER TABLE users ADD COLUMN b int NULL;\n");
        var f = Assert.Single(findings, f => f.Rule == "mysql-non-atomic-ddl");
        Assert.Contains("resumes at the failed statement", f.Help, StringComparison.Ordinal);
        Assert.DoesNotContain("re-running the migration fails on them", f.Message, StringComparison.Ordinal);
    }
}
