using Npgsql;
using Stepwise.Analysis;
using Stepwise.Engines;
using Stepwise.Migrations;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Trace;
using Stepwise.PostgreSql;
using Stepwise.Sql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests.Trace;

/// <summary>The trace core on PostgreSQL: tables seeded as they appear (keys unique, foreign keys valid), each
/// statement traced as `up` runs it, lint findings judged and unreported effects found.</summary>
[Collection("postgres")]
public sealed class TraceRunnerPostgresTests(PostgresFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sw-trace-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Seeds_traces_and_merges_with_lint()
    {
        File.WriteAllText(Path.Combine(_dir, "0001_tables.up.sql"), """
            CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, name text, born date, active boolean NOT NULL, score numeric(10,2), created timestamptz NOT NULL DEFAULT now());
            CREATE TABLE orders (id uuid PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), code char(12) NOT NULL UNIQUE, qty int NOT NULL);
            """);
        File.WriteAllText(Path.Combine(_dir, "0002_change.up.sql"), """
            CREATE INDEX orders_qty ON orders (qty);
            ALTER TABLE orders ALTER COLUMN qty TYPE bigint;
            """);
        File.WriteAllText(Path.Combine(_dir, "0003_concurrent.up.sql"), """
            CREATE INDEX CONCURRENTLY users_name ON users (name);
            """);
        var (set, problems) = MigrationSet.Open(_dir, null);
        Assert.True(set is not null, string.Join("; ", problems));
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(nameof(Seeds_traces_and_merges_with_lint))).Database!;
        Assert.True(DatabaseTarget.TryParse(fixture.Server.UrlFor(database), out var target, out var error), error);
        await using var engine = new PostgresEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);

        var (statements, notes) = await TraceRunner.RunAsync(engine, [set.Versioned[0]], [.. set.Versioned.Skip(1)], 5000, null, CancellationToken.None);

        // the one thing not observed: what the CONCURRENTLY build (outside a transaction) scanned
        Assert.EndsWith("0003_concurrent.up.sql:1: ran outside a transaction: scanned tables are not known", Assert.Single(notes), StringComparison.Ordinal);
        Assert.Equal(5000L, await fixture.Server.ScalarAsync("SELECT count(*) FROM users", database));
        Assert.Equal(5000L, await fixture.Server.ScalarAsync("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id", database));
        Assert.Equal(3, statements.Count);
        Assert.Equal("ShareLock", Assert.Single(statements[0].Trace.Locks, l => l.Relation == "orders" && l.Mode == "ShareLock").Mode);
        Assert.Contains(statements[1].Rewrites, r => r.Relation == "orders" && !r.IsIndex);
        Assert.False(statements[2].InTransaction);
        Assert.Contains(statements[2].Trace.Locks, l => l.Relation == "users" && l.Mode == "ShareUpdateExclusiveLock");

        var sources = LintSources.Read([_dir], null, () => TextReader.Null, SqlDialect.PostgreSql);
        var findings = Linter.Lint(sources.Inputs, new LintOptions { Dialect = SqlDialect.PostgreSql }).Findings
            .Where(f => !f.Path.EndsWith("0001_tables.up.sql", StringComparison.Ordinal)).ToList();
        var (judged, unreported) = TraceMerge.Merge(statements, findings, (s, f) => Path.GetFullPath(s.Path) == Path.GetFullPath(f.Path) && s.Line == f.Start.Line);
        Assert.Contains(judged, j => j.Finding.Rule == "non-concurrent-index" && j.Verdict == TraceVerdict.Confirmed);
        Assert.Contains(judged, j => j.Finding.Rule == "changing-column-type" && j.Verdict == TraceVerdict.Confirmed);
        Assert.DoesNotContain(judged, j => j.Verdict == TraceVerdict.NotConfirmed);
        Assert.Empty(unreported);

        // without the finding, the rewrite is unreported
        var (_, missed) = TraceMerge.Merge(statements, [.. findings.Where(f => f.Rule != "changing-column-type")], (s, f) => s.Line == f.Start.Line && s.Path == f.Path);
        Assert.Same(statements[1], Assert.Single(missed).Statement);
    }
}
