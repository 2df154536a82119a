using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>A journal row as the PostgreSQL tests read it back.</summary>
internal sealed record PgJournalRow(string Version, string State, int StatementsDone, int? FailedStatementIndex, string? FailedStatement, string? Error);

/// <summary>
/// One PostgreSQL test's world: a fresh database owned by the password user, a temp folder with a
/// `migrations` folder, and `stepwise` runs against it through the password URL. Every run is checked for
/// the password (it must never appear in any output).
/// </summary>
internal sealed class PgScenario : IDisposable
{
    private readonly PostgresFixture _fixture;

    private PgScenario(PostgresFixture fixture, string database)
    {
        _fixture = fixture;
        Database = database;
        Root = Directory.CreateTempSubdirectory("stepwise-pg-").FullName;
        Migrations = Path.Combine(Root, "migrations");
        Directory.CreateDirectory(Migrations);
    }

    public string Database { get; }

    /// <summary>The working folder of every `stepwise` run.</summary>
    public string Root { get; }

    public string Migrations { get; }

    public PostgresServer Server => _fixture.Server;

    /// <summary>What `--database` gets: the password user's URL.</summary>
    public string Url => Server.PasswordUrlFor(Database);

    public string SuperConnectionString => Server.ConnectionStringFor(Database);

    public static async Task<PgScenario> CreateAsync(PostgresFixture fixture, [CallerMemberName] string test = "")
    {
        var connectionString = await fixture.CreateDatabaseAsync(test);
        return new PgScenario(fixture, new NpgsqlConnectionStringBuilder(connectionString).Database!);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a killed child may still hold a file for a moment; the folder is in /tmp anyway
        }
    }

    public string Write(string fileName, string sql)
    {
        var path = Path.Combine(Migrations, fileName);
        File.WriteAllText(path, sql);
        return path;
    }

    public void Delete(string fileName) => File.Delete(Path.Combine(Migrations, fileName));

    /// <summary>`stepwise ARGS --database URL --dir migrations`, asserting the password is absent from its output.</summary>
    public async Task<ChildProcessResult> RunAsync(params string[] args)
    {
        var result = await Stepwise.RunAsync(Root, TimeSpan.FromSeconds(60), [.. args, "--database", Url, "--dir", Migrations]);
        AssertNoPassword(result, args[0]);
        return result;
    }

    /// <summary>As <see cref="RunAsync"/>, with another URL (wrong password, closed port …).</summary>
    public async Task<ChildProcessResult> RunWithUrlAsync(string url, params string[] args)
    {
        var result = await Stepwise.RunAsync(Root, TimeSpan.FromSeconds(60), [.. args, "--database", url, "--dir", Migrations]);
        AssertNoPassword(result, args[0]);
        return result;
    }

    public ChildProcessHandle Start(params string[] args) =>
        Stepwise.Start(Root, [.. args, "--database", Url, "--dir", Migrations]);

    /// <summary>Fails without ever printing the output (it would carry the password).</summary>
    public static void AssertNoPassword(ChildProcessResult result, string what, string password = PostgresServer.Password)
    {
        Assert.False(result.StandardOutput.Contains(password, StringComparison.Ordinal), $"the password appeared on stdout of `stepwise {what}`");
        Assert.False(result.StandardError.Contains(password, StringComparison.Ordinal), $"the password appeared on stderr of `stepwise {what}`");
        var escaped = Uri.EscapeDataString(password);
        Assert.False(result.StandardOutput.Contains(escaped, StringComparison.Ordinal) || result.StandardError.Contains(escaped, StringComparison.Ordinal), $"the URL-escaped password appeared in the output of `stepwise {what}`");
    }

    /// <summary>The lines `stepwise` addressed to the user as problems (progress lines start with ·, ✓, ✗ or spaces).</summary>
    public static List<string> ProblemLines(ChildProcessResult result) =>
        result.StandardError.Split('\n').Where(l => l.StartsWith("stepwise:", StringComparison.Ordinal)).ToList();

    public static string Describe(ChildProcessResult result) =>
        $"exit {result.ExitCode}\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}";

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(SuperConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public Task<bool> TableExistsAsync(string name) => ScalarAsync<bool>($"SELECT to_regclass('public.{name}') IS NOT NULL");

    /// <summary>The journal, or empty when stepwise never created it.</summary>
    public async Task<List<PgJournalRow>> JournalAsync()
    {
        await using var connection = await OpenAsync();
        var rows = new List<PgJournalRow>();
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('public.stepwise_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                return rows;
            }
        }

        await using var command = new NpgsqlCommand("SELECT version, state, statements_done, failed_statement_index, failed_statement, error FROM stepwise_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new PgJournalRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return rows;
    }

    /// <summary>Indexes left INVALID (by a failed or interrupted CREATE INDEX CONCURRENTLY).</summary>
    public async Task<List<string>> InvalidIndexesAsync()
    {
        await using var connection = await OpenAsync();
        return await PgSchema.InvalidIndexesAsync(connection);
    }

    public async Task<PgSchema> SchemaAsync()
    {
        await using var connection = await OpenAsync();
        return await PgSchema.ReadAsync(connection);
    }

    /// <summary>Waits until stepwise's session on this database is executing a statement that starts with
    /// <paramref name="statement"/>; fails if the process ends first or it never shows within 30 s.</summary>
    public async Task WaitForStepwiseStatementAsync(ChildProcessHandle process, string statement)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database}' AND application_name = 'stepwise' AND state = 'active' AND query LIKE '{statement.Replace("'", "''", StringComparison.Ordinal)}%'") == 0)
        {
            Assert.False(process.HasExited, $"stepwise ended before it was seen running {statement}:\n{process.StandardError}");
            Assert.True(DateTime.UtcNow < deadline, "stepwise never ran " + statement);
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until no session of `stepwise` (application_name) is left on this database: after a
    /// kill -9 the server notices the dead client only when it next talks to it.</summary>
    public async Task WaitForStepwiseSessionsToEndAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = await ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database}' AND application_name = 'stepwise'");
            if (left == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{left} stepwise session(s) still open on the server {timeout.TotalSeconds:0} s after the process ended");
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// What the catalog says about the public schema, as sorted text lines: tables, columns, indexes (with their
/// validity), constraints. Two schemas are equal when their lines are. The journal table is left out.
/// </summary>
internal sealed record PgSchema(IReadOnlyList<string> Lines)
{
    private const string Query = """
        SELECT 'table ' || c.relname || ' ' || c.relkind::text
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> 'stepwise_migrations'
        UNION ALL
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '-')
          FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> 'stepwise_migrations'
        UNION ALL
        SELECT 'index ' || ic.relname || (CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END) || ': ' || pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = tc.relnamespace
         WHERE n.nspname = 'public' AND tc.relname <> 'stepwise_migrations'
        UNION ALL
        SELECT 'constraint ' || tc.relname || '.' || con.conname || ': ' || pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class tc ON tc.oid = con.conrelid JOIN pg_namespace n ON n.oid = tc.relnamespace
         WHERE n.nspname = 'public' AND tc.relname <> 'stepwise_migrations'
        """;

    public static readonly PgSchema Empty = new([]);

    public static async Task<PgSchema> ReadAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(Query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        lines.Sort(StringComparer.Ordinal);
        return new PgSchema(lines);
    }

    public static async Task<List<string>> InvalidIndexesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The same schema without INVALID indexes (what an interrupted CONCURRENTLY build leaves).</summary>
    public PgSchema WithoutInvalidIndexes() => new(Lines.Where(l => !(l.StartsWith("index ", StringComparison.Ordinal) && l.Contains(" INVALID: ", StringComparison.Ordinal))).ToList());

    public bool SameAs(PgSchema other) => Lines.SequenceEqual(other.Lines, StringComparer.Ordinal);

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var line in Lines)
        {
            sb.Append("  ").AppendLine(line);
        }

        return sb.ToString();
    }
}
