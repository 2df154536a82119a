using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Files that manage their own <c>BEGIN; … COMMIT;</c> (Django's <c>sqlmigrate</c> output, hand-written scripts)
/// on PostgreSQL: a failure inside the file's transaction rolls that transaction back, so the report names only
/// what really stays applied (statements before the BEGIN, or committed by an earlier COMMIT), the journal row
/// is failed (not left running) and repair resumes at the BEGIN of the failed transaction.
/// </summary>
[Collection("postgres")]
public sealed class SelfManagedTransactionPostgresTests(PostgresFixture fixture)
{
    private const string Failing = """
        CREATE TABLE before_tx (id integer PRIMARY KEY);
        BEGIN;
        CREATE TABLE inside_tx (id integer PRIMARY KEY);
        INSERT INTO inside_tx (id) VALUES (1);
        INSERT INTO no_such_table (id) VALUES (1);
        COMMIT;
        CREATE TABLE after_tx (id integer PRIMARY KEY);

        """;

    [Fact]
    public async Task A_failure_inside_the_files_transaction_reports_only_the_statements_before_its_BEGIN_as_applied()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_base.up.sql", "CREATE TABLE base (id integer PRIMARY KEY);\n");
        pg.Write("0002_own_tx.up.sql", Failing);

        var up = await pg.RunAsync("up");
        Assert.True(up.ExitCode == 1, PgScenario.Describe(up));
        Assert.Contains("statement 5 of 7", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("no_such_table", up.StandardError, StringComparison.Ordinal);
        // the truth: the file's transaction (statements 2–5) rolled back; only statement 1 stays applied
        Assert.DoesNotContain("Statements 1–4", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("statements 2–5 were rolled back", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("Statement 1 was applied and stays applied", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("resumes at statement 2", up.StandardError, StringComparison.Ordinal);

        Assert.True(await pg.TableExistsAsync("before_tx"));
        Assert.False(await pg.TableExistsAsync("inside_tx"));
        Assert.False(await pg.TableExistsAsync("after_tx"));
        var row = (await pg.JournalAsync()).Single(j => j.Version == "0002");
        Assert.Equal("failed", row.State);
        Assert.Equal(1, row.StatementsDone);
        Assert.Equal(4, row.FailedStatementIndex);
        Assert.Contains("no_such_table", row.FailedStatement, StringComparison.Ordinal);

        // fixed, repaired: resumes at the BEGIN (statement 2), not inside the rolled-back transaction
        pg.Write("0002_own_tx.up.sql", Failing.Replace("INSERT INTO no_such_table (id) VALUES (1);", "INSERT INTO inside_tx (id) VALUES (2);", StringComparison.Ordinal));
        var repair = await pg.RunAsync("repair");
        Assert.True(repair.ExitCode == 0, PgScenario.Describe(repair));
        Assert.Contains("resume at statement 2", repair.StandardOutput, StringComparison.Ordinal);

        var resumed = await pg.RunAsync("up");
        Assert.True(resumed.ExitCode == 0, PgScenario.Describe(resumed));
        Assert.Equal(2L, await pg.ScalarAsync<long>("SELECT count(*) FROM inside_tx"));
        Assert.True(await pg.TableExistsAsync("after_tx"));
        Assert.Equal("applied", (await pg.JournalAsync()).Single(j => j.Version == "0002").State);
    }

    [Fact]
    public async Task A_failure_in_a_second_transaction_keeps_the_committed_first_one_and_resumes_at_the_second_BEGIN()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        const string twoTransactions = """
            BEGIN;
            CREATE TABLE first_tx (id integer PRIMARY KEY);
            COMMIT;
            BEGIN;
            CREATE TABLE second_tx (id integer PRIMARY KEY);
            ALTER TABLE second_tx ADD COLUMN note text;
            ALTER TABLE missing ADD COLUMN note text;
            COMMIT;

            """;
        pg.Write("0001_two.up.sql", twoTransactions);

        var up = await pg.RunAsync("up");
        Assert.True(up.ExitCode == 1, PgScenario.Describe(up));
        Assert.Contains("statement 7 of 8", up.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Statements 1–6", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("statements 4–7 were rolled back", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("Statements 1–3 were applied and stay applied", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("resumes at statement 4", up.StandardError, StringComparison.Ordinal);

        Assert.True(await pg.TableExistsAsync("first_tx"));
        Assert.False(await pg.TableExistsAsync("second_tx"));
        var row = Assert.Single(await pg.JournalAsync());
        Assert.Equal("failed", row.State);
        Assert.Equal(3, row.StatementsDone);
        Assert.Equal(6, row.FailedStatementIndex);

        pg.Write("0001_two.up.sql", twoTransactions.Replace("ALTER TABLE missing", "ALTER TABLE first_tx", StringComparison.Ordinal));
        var repair = await pg.RunAsync("repair");
        Assert.True(repair.ExitCode == 0, PgScenario.Describe(repair));
        Assert.Contains("resume at statement 4", repair.StandardOutput, StringComparison.Ordinal);
        var resumed = await pg.RunAsync("up");
        Assert.True(resumed.ExitCode == 0, PgScenario.Describe(resumed));
        Assert.True(await pg.TableExistsAsync("second_tx"));
        Assert.Equal(1L, await pg.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'first_tx' AND column_name = 'note'"));
    }

    [Fact]
    public async Task A_django_style_file_wrapped_in_BEGIN_COMMIT_that_fails_applies_nothing_and_is_pending_again_after_repair()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        // as `manage.py sqlmigrate` prints it on PostgreSQL
        const string django = """
            BEGIN;
            --
            -- Create model Author
            --
            CREATE TABLE "shop_author" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
            --
            -- Add field nickname to book
            --
            ALTER TABLE "shop_book" ADD COLUMN "nickname" varchar(30) NULL;
            COMMIT;

            """;
        pg.Write("0001_initial.up.sql", django);

        var up = await pg.RunAsync("up");
        Assert.True(up.ExitCode == 1, PgScenario.Describe(up));
        Assert.Contains("statement 3 of 4", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("statements 1–3 were rolled back", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", up.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("stay applied", up.StandardError, StringComparison.Ordinal);
        Assert.False(await pg.TableExistsAsync("shop_author"));
        var row = Assert.Single(await pg.JournalAsync());
        Assert.Equal("failed", row.State);
        Assert.Equal(0, row.StatementsDone);
        Assert.Equal(2, row.FailedStatementIndex);

        var repair = await pg.RunAsync("repair");
        Assert.True(repair.ExitCode == 0, PgScenario.Describe(repair));
        Assert.Contains("pending again", repair.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await pg.JournalAsync());
    }
}
