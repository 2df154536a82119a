namespace Stepwise.Engines.Conformance;

/// <summary>The journal store: created on first use, every field written and read back (nulls included), upserts
/// replace, deletes remove, and a row this release cannot read is refused.</summary>
public abstract class JournalConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A row with every optional field set.</summary>
    public static JournalEntry Full(string version) => new()
    {
        Version = version,
        Name = "add users table — ünïcödé",
        Checksum = new string('a', 64),
        State = JournalState.Failed,
        DurationMs = 9_876_543_210,
        AppliedBy = "alice@host",
        StatementsDone = 2,
        FailedStatementIndex = 2,
        FailedStatement = "ALTER TABLE users\n  ADD COLUMN email text -- it's 'quoted'",
        Error = "column \"email\" already exists (SQLSTATE 42701)",
        Plan = "{\"expand\":[{\"what\":\"add column \\\"ü\\\"\",\"kind\":\"Statements\",\"statements\":[\"SELECT 'x'\"]}]}",
    };

    /// <summary>A row with every optional field null or default.</summary>
    public static JournalEntry Bare(string version) => new()
    {
        Version = version,
        Name = "bare",
        Checksum = "c0ffee",
        State = JournalState.Applied,
    };

    /// <summary>The row as read back, with the time the database wrote checked against now and then ignored.</summary>
    public static JournalEntry WithoutTime(JournalEntry read, DateTimeOffset before)
    {
        // the database's clock writes applied_at; it is the same machine's clock here
        Assert.InRange(read.AppliedAt, before.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        return read with { AppliedAt = default };
    }

    [Fact]
    public async Task Reading_a_database_without_a_journal_gives_no_rows()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Reading_a_database_without_a_journal_gives_no_rows));
        var engine = await db.ConnectAsync();

        Assert.Empty(await engine.Journal.ReadAsync(None));
        Assert.Empty(await db.ColumnsAsync(JournalSchema.Table));
    }

    [Fact]
    public async Task Ensure_creates_the_journal_once_and_reports_the_version_found()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Ensure_creates_the_journal_once_and_reports_the_version_found));
        var engine = await db.ConnectAsync();

        Assert.Equal(0, await engine.Journal.EnsureAsync(None));
        Assert.Equal(JournalSchema.Version, await engine.Journal.EnsureAsync(None));
        Assert.Equal(JournalSchema.Columns.Select(c => c.Name), await db.ColumnsAsync(JournalSchema.Table));
        Assert.Empty(await engine.Journal.ReadAsync(None));
    }

    [Fact]
    public async Task Every_field_round_trips_including_nulls()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Every_field_round_trips_including_nulls));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        var before = DateTimeOffset.UtcNow;

        await engine.Journal.WriteAsync(Full("20240102030405"), None);
        await engine.Journal.WriteAsync(Bare("1"), None);
        await engine.Journal.WriteAsync(Bare("R__views") with { State = JournalState.Running, StatementsDone = 1 }, None);

        var rows = await engine.Journal.ReadAsync(None);
        Assert.Equal(["1", "20240102030405", "R__views"], rows.Select(r => r.Version)); // ordered by version
        Assert.Equal(Bare("1"), WithoutTime(rows[0], before));
        Assert.Equal(Full("20240102030405"), WithoutTime(rows[1], before));
        Assert.Equal(Bare("R__views") with { State = JournalState.Running, StatementsDone = 1 }, WithoutTime(rows[2], before));
    }

    [Fact]
    public async Task Writing_a_version_again_replaces_every_field()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Writing_a_version_again_replaces_every_field));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        var before = DateTimeOffset.UtcNow;

        await engine.Journal.WriteAsync(Full("7"), None);
        var replacement = Bare("7") with { Name = "renamed", Checksum = "other", DurationMs = 5 };
        await engine.Journal.WriteAsync(replacement, None);

        var row = Assert.Single(await engine.Journal.ReadAsync(None));
        Assert.Equal(replacement, WithoutTime(row, before)); // the failure fields are NULL again
        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM {JournalSchema.Table}"));
    }

    [Fact]
    public async Task Delete_removes_only_that_version_and_tolerates_a_missing_one()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Delete_removes_only_that_version_and_tolerates_a_missing_one));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        await engine.Journal.WriteAsync(Bare("1"), None);
        await engine.Journal.WriteAsync(Bare("2"), None);

        await engine.Journal.DeleteAsync("1", None);
        await engine.Journal.DeleteAsync("never-written", None);

        Assert.Equal(["2"], (await engine.Journal.ReadAsync(None)).Select(r => r.Version));
    }

    [Fact]
    public async Task A_row_with_an_unknown_state_is_refused_as_corrupt()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_row_with_an_unknown_state_is_refused_as_corrupt));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        await engine.Journal.WriteAsync(Bare("1"), None);
        await engine.Journal.WriteAsync(Bare("2"), None);
        await db.ExecuteAsync($"UPDATE {JournalSchema.Table} SET state = 'half-done' WHERE version = '2'");

        var ex = await Assert.ThrowsAsync<CorruptJournalException>(() => engine.Journal.ReadAsync(None));
        Assert.Equal("2", ex.Version);
        Assert.Contains("half-done", ex.Problem, StringComparison.Ordinal);

        // the session is still usable once the row is fixed
        await db.ExecuteAsync($"UPDATE {JournalSchema.Table} SET state = 'failed' WHERE version = '2'");
        Assert.Equal([JournalState.Applied, JournalState.Failed], (await engine.Journal.ReadAsync(None)).Select(r => r.State));
    }
}
