using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`stepwise` against a real MariaDB: exactly-once under concurrency, failures mid-migration
/// (DDL commits implicitly there), kill -9, and lock-wait retries.</summary>
[Collection("mariadb")]
public sealed class MariaDbRunnerTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-maria-");

    public void Dispose() => _folder.Dispose();

    private async Task<(string Name, string Url)> NewDatabaseAsync(string test)
    {
        var cs = await fixture.CreateDatabaseAsync(test);
        var name = new MySqlConnectionStringBuilder(cs).Database;
        return (name, fixture.Server.UrlFor(name));
    }

    private async Task<long> CountAsync(string sql, string database) =>
        Convert.ToInt64(await fixture.Server.ScalarAsync(sql, database), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> ColumnExistsAsync(string database, string table, string column) =>
        await CountAsync($"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '{database}' AND table_name = '{table}' AND column_name = '{column}'", database) == 1;

    [Fact]
    public async Task Eight_concurrent_up_processes_apply_each_migration_exactly_once()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Eight_concurrent_up_processes_apply_each_migration_exactly_once));
        _folder.Write("0001_events.up.sql", "CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(50) NOT NULL);\n");
        _folder.Write("0002_users.up.sql", "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100) NULL);\n");
        _folder.Write("0003_seed.up.sql", "INSERT INTO events (note) VALUES ('applied once');\n");
        _folder.Write("0004_user_name.up.sql", "ALTER TABLE users ADD COLUMN name VARCHAR(100) NULL;\n");
        _folder.Write("0005_orders.up.sql", "CREATE TABLE orders (id INT PRIMARY KEY, user_id INT NULL);\n");
        _folder.Write("0006_order_total.up.sql", "ALTER TABLE orders ADD COLUMN total INT NULL;\n");
        _folder.Write("0007_audit.up.sql", "CREATE TABLE audit (id INT PRIMARY KEY, what VARCHAR(50) NULL);\nCREATE TABLE audit2 (id INT PRIMARY KEY);\n");
        _folder.Write("0008_audit_when.up.sql", "ALTER TABLE audit ADD COLUMN happened_at DATETIME NULL;\n");
        _folder.Write("0009_more_events.up.sql", "INSERT INTO events (note) VALUES ('second row');\n");
        _folder.Write("0010_settings.up.sql", "CREATE TABLE settings (k VARCHAR(50) PRIMARY KEY, v VARCHAR(200) NULL);\n");

        var processes = Enumerable.Range(0, 8).Select(_ => _folder.Start("up", "--database", url)).ToList();
        try
        {
            var results = await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(TimeSpan.FromSeconds(60))));
            foreach (var r in results)
            {
                Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
            }

            // exactly one process applied anything; the rest found the database up to date
            Assert.Equal(1, results.Count(r => r.StandardOutput.Contains("applied 10 migration(s)", StringComparison.Ordinal)));
            Assert.Equal(7, results.Count(r => r.StandardOutput.Contains("nothing to apply", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var p in processes)
            {
                await p.DisposeAsync();
            }
        }

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM events WHERE note = 'applied once'", db));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM events", db));
        Assert.Equal(10, await CountAsync("SELECT COUNT(*) FROM stepwise_migrations WHERE state = 'applied'", db));
        Assert.Equal(10, await CountAsync("SELECT COUNT(*) FROM stepwise_migrations", db));
    }

    private const string FailingMigration = """
        CREATE TABLE accounts (id INT PRIMARY KEY, email VARCHAR(100) NULL);
        INSERT INTO accounts (id, email) VALUES (1, 'a@example.com');
        CREATE INDEX accounts_nickname ON accounts (nickname);
        ALTER TABLE accounts ADD COLUMN plan VARCHAR(20) NULL;

        """;

    [Fact]
    public async Task A_failed_statement_is_journaled_blocks_up_and_resumes_after_repair()
    {
        var (db, url) = await NewDatabaseAsync(nameof(A_failed_statement_is_journaled_blocks_up_and_resumes_after_repair));
        _folder.Write("0001_base.up.sql", "CREATE TABLE base (id INT PRIMARY KEY);\n");
        _folder.Write("0002_accounts.up.sql", FailingMigration);

        var up = await _folder.RunAsync("up", "--database", url);
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("statement 3", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("nickname", up.StandardError, StringComparison.Ordinal);

        // the journal names the failed statement (0-based index 2), its text and the server's error
        Assert.Equal("failed", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(2, await CountAsync("SELECT failed_statement_index FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(2, await CountAsync("SELECT statements_done FROM stepwise_migrations WHERE version = '0002'", db));
        var failedStatement = (string?)await fixture.Server.ScalarAsync("SELECT failed_statement FROM stepwise_migrations WHERE version = '0002'", db);
        Assert.Contains("CREATE INDEX accounts_nickname", failedStatement, StringComparison.Ordinal);
        var error = (string?)await fixture.Server.ScalarAsync("SELECT error FROM stepwise_migrations WHERE version = '0002'", db);
        Assert.Contains("nickname", error, StringComparison.Ordinal);
        Assert.Contains("1072", error, StringComparison.Ordinal); // ER_KEY_COLUMN_DOES_NOT_EXITS

        var status = await _folder.RunAsync("status", "--database", url, "--format", "json");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("\"state\": \"failed\"", status.StandardOutput, StringComparison.Ordinal);

        // up refuses, says which statement failed and what to do
        var again = await _folder.RunAsync("up", "--database", url);
        Assert.True(again.ExitCode == 1, LayoutFolder.Show(again));
        Assert.Contains("statement 3", again.StandardError, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX accounts_nickname", again.StandardError, StringComparison.Ordinal);
        Assert.Contains("stepwise repair", again.StandardError, StringComparison.Ordinal);

        // fix the file (statement 3 now adds the column), repair, up: resumes at statement 3
        _folder.Write("0002_accounts.up.sql", FailingMigration.Replace("CREATE INDEX accounts_nickname ON accounts (nickname);", "ALTER TABLE accounts ADD COLUMN nickname VARCHAR(30) NULL;", StringComparison.Ordinal));
        var repair = await _folder.RunAsync("repair", "--database", url);
        Assert.True(repair.ExitCode == 0, LayoutFolder.Show(repair));
        Assert.Contains("resume at statement 3", repair.StandardOutput, StringComparison.Ordinal);

        var resumed = await _folder.RunAsync("up", "--database", url);
        Assert.True(resumed.ExitCode == 0, LayoutFolder.Show(resumed));
        Assert.Contains("resuming 0002", resumed.StandardError, StringComparison.Ordinal);

        // statements 1-2 did not run again: still one row (a second INSERT would have failed on the key anyway)
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM accounts", db));
        Assert.True(await ColumnExistsAsync(db, "accounts", "nickname"));
        Assert.True(await ColumnExistsAsync(db, "accounts", "plan"));
        Assert.Equal("applied", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM stepwise_migrations WHERE failed_statement IS NOT NULL OR error IS NOT NULL", db));

        var validate = await _folder.RunAsync("validate", "--database", url);
        Assert.True(validate.ExitCode == 0, LayoutFolder.Show(validate));
    }

    [Fact]
    public async Task Kill_9_mid_migration_leaves_a_running_journal_row_and_up_resumes()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Kill_9_mid_migration_leaves_a_running_journal_row_and_up_resumes));
        _folder.Write("0001_first.up.sql", "CREATE TABLE first_table (id INT PRIMARY KEY);\n");
        _folder.Write("0002_slow.up.sql", """
            CREATE TABLE k1 (id INT PRIMARY KEY);
            CREATE TABLE k2 (id INT PRIMARY KEY);
            SELECT SLEEP(2);
            CREATE TABLE k3 (id INT PRIMARY KEY);

            """);

        await using (var up = _folder.Start("up", "--database", url))
        {
            // the progress line for statement 3 is printed after statements 1-2 were journaled
            await up.WaitForOutputAsync("[3/4]", TimeSpan.FromSeconds(30));
            up.Kill();
            var killed = await up.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ChildProcessResult.KilledExitCode, killed.ExitCode);
        }

        Assert.Equal("applied", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0001'", db));
        Assert.Equal("running", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(2, await CountAsync("SELECT statements_done FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'k3'", db));

        // the server finishes the killed client's SLEEP before it drops the session and its GET_LOCK; until then
        // `status` rightly shows the migration as running (another session holds the lock), after it as interrupted
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await fixture.Server.ScalarAsync($"SELECT IS_USED_LOCK('stepwise:{db}')", db) is not (null or DBNull))
        {
            Assert.True(DateTime.UtcNow < deadline, "the killed run's session kept the migration lock");
            await Task.Delay(50);
        }

        var status = await _folder.RunAsync("status", "--database", url, "--format", "json");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("\"state\": \"failed\"", status.StandardOutput, StringComparison.Ordinal);
        var validate = await _folder.RunAsync("validate", "--database", url);
        Assert.Equal(1, validate.ExitCode);
        Assert.Contains("was interrupted", validate.StandardError + validate.StandardOutput, StringComparison.Ordinal);

        var resumed = await _folder.RunAsync("up", "--database", url);
        Assert.True(resumed.ExitCode == 0, LayoutFolder.Show(resumed));
        Assert.Contains("resuming 0002", resumed.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'k3'", db));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM stepwise_migrations WHERE state = 'applied'", db));
    }

    [Fact]
    public async Task A_ddl_statement_the_server_finishes_after_kill_9_is_recognised_as_done_on_resume()
    {
        var (db, url) = await NewDatabaseAsync(nameof(A_ddl_statement_the_server_finishes_after_kill_9_is_recognised_as_done_on_resume));
        // a table big enough that a copying ALTER runs for a while after its client is gone
        await fixture.Server.ExecuteAsync("CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(200) NULL); INSERT INTO big SELECT seq, REPEAT('x', 200) FROM seq_1_to_200000", db);
        _folder.Write("0001_big_column.up.sql", """
            -- stepwise:ignore mysql-unsafe-algorithm the test needs a slow statement
            ALTER TABLE big ADD COLUMN extra INT NULL, ALGORITHM=COPY;
            CREATE TABLE after_big (id INT PRIMARY KEY);

            """);

        await using (var up = _folder.Start("up", "--database", url))
        {
            await up.WaitForOutputAsync("[1/2]", TimeSpan.FromSeconds(30));

            // kill once the server is copying rows (killed while still waiting for its lock, the ALTER is abandoned)
            var copying = System.Diagnostics.Stopwatch.StartNew();
            while (await CountAsync($"SELECT COUNT(*) FROM information_schema.processlist WHERE db = '{db}' AND state = 'copy to tmp table' AND info LIKE 'ALTER TABLE big%'", db) == 0)
            {
                Assert.True(copying.Elapsed < TimeSpan.FromSeconds(20), "the ALTER never started copying");
                await Task.Delay(20);
            }

            up.Kill();
            await up.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        // MariaDB goes on copying: the ALTER commits, but the journal still says nothing was done
        Assert.Equal("running", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0001'", db));
        Assert.True(await CountAsync("SELECT statements_done FROM stepwise_migrations WHERE version = '0001'", db) == 0, "the ALTER finished before the kill; make the table bigger");

        // the next up waits for the orphaned ALTER (lock timeouts, retries), sees the column exists, and goes on
        var resumed = await _folder.RunAsync("up", "--database", url);
        Assert.True(resumed.ExitCode == 0, LayoutFolder.Show(resumed));
        Assert.True(await ColumnExistsAsync(db, "big", "extra"));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'after_big'", db));
        Assert.Equal("applied", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0001'", db));
    }

    [Fact]
    public async Task When_the_lock_stays_taken_the_message_names_the_connection_that_holds_it()
    {
        var (db, url) = await NewDatabaseAsync(nameof(When_the_lock_stays_taken_the_message_names_the_connection_that_holds_it));
        _folder.Write("0001_first.up.sql", "CREATE TABLE first (id INT PRIMARY KEY);\n");
        await using var holder = new MySqlConnection(fixture.Server.ConnectionStringFor(db));
        await holder.OpenAsync();
        await using (var cmd = new MySqlCommand($"SELECT GET_LOCK('stepwise:{db}', 0)", holder))
        {
            Assert.Equal(1L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var up = await _folder.RunAsync("up", "--database", url, "--lock-wait", "1s");
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("holds the migration lock", up.StandardError, StringComparison.Ordinal);
        Assert.Contains($"server connection {holder.ServerThread}", up.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'first'", db));
    }

    [Fact]
    public async Task A_data_statement_between_ddl_statements_commits_together_with_its_progress_record()
    {
        var (db, url) = await NewDatabaseAsync(nameof(A_data_statement_between_ddl_statements_commits_together_with_its_progress_record));
        _folder.Write("0001_base.up.sql", "CREATE TABLE base (id INT PRIMARY KEY);\n");
        var first = await _folder.RunAsync("up", "--database", url);
        Assert.True(first.ExitCode == 0, LayoutFolder.Show(first));

        // the progress record after the INSERT cannot be written: as if the run died right after the INSERT
        await fixture.Server.ExecuteAsync("""
            CREATE TRIGGER journal_unavailable BEFORE INSERT ON stepwise_migrations FOR EACH ROW
            BEGIN
              IF NEW.version = '0002' AND NEW.state = 'running' AND NEW.statements_done = 2 THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'journal unavailable';
              END IF;
            END
            """, db);
        _folder.Write("0002_seed.up.sql", "CREATE TABLE seeded (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20) NOT NULL);\nINSERT INTO seeded (note) VALUES ('once');\nCREATE TABLE after_seed (id INT PRIMARY KEY);\n");

        var up = await _folder.RunAsync("up", "--database", url);
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("journal unavailable", up.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM seeded", db)); // rolled back with its record
        Assert.Equal(1, await CountAsync("SELECT statements_done FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(1, await CountAsync("SELECT failed_statement_index FROM stepwise_migrations WHERE version = '0002'", db));

        await fixture.Server.ExecuteAsync("DROP TRIGGER journal_unavailable", db);
        var repair = await _folder.RunAsync("repair", "--database", url);
        Assert.True(repair.ExitCode == 0, LayoutFolder.Show(repair));
        var resumed = await _folder.RunAsync("up", "--database", url);
        Assert.True(resumed.ExitCode == 0, LayoutFolder.Show(resumed));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM seeded", db));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'after_seed'", db));
        Assert.Equal("applied", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0002'", db));
    }

    [Fact]
    public async Task Up_retries_while_another_session_holds_a_metadata_lock_and_succeeds_after_release()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Up_retries_while_another_session_holds_a_metadata_lock_and_succeeds_after_release));
        _folder.Write("0001_items.up.sql", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50) NULL);\nINSERT INTO items (id, name) VALUES (1, 'one');\n");
        var first = await _folder.RunAsync("up", "--database", url);
        Assert.True(first.ExitCode == 0, LayoutFolder.Show(first));
        _folder.Write("0002_items_price.up.sql", "ALTER TABLE items ADD COLUMN price INT NULL;\n");

        // an application transaction that read the table holds a shared metadata lock until it ends
        await using var app = new MySqlConnection(fixture.Server.ConnectionStringFor(db));
        await app.OpenAsync();
        await using var tx = await app.BeginTransactionAsync();
        await using (var read = new MySqlCommand("SELECT COUNT(*) FROM items", app, tx))
        {
            Assert.Equal(1L, Convert.ToInt64(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var held = System.Diagnostics.Stopwatch.StartNew();
        await using var up = _folder.Start("up", "--database", url, "--lock-timeout", "1s");
        await up.WaitForOutputAsync("lock not granted", TimeSpan.FromSeconds(20));
        Assert.False(up.HasExited);
        Assert.False(await ColumnExistsAsync(db, "items", "price"));
        var remaining = TimeSpan.FromSeconds(5) - held.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        await tx.CommitAsync();
        var result = await up.WaitForExitAsync(TimeSpan.FromSeconds(40));
        Assert.True(result.ExitCode == 0, LayoutFolder.Show(result));
        Assert.Contains("retry", result.StandardError, StringComparison.Ordinal);
        Assert.True(await ColumnExistsAsync(db, "items", "price"));
        Assert.Equal("applied", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0002'", db));
    }
}
