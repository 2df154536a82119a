namespace Stepwise.Engines.Conformance;

/// <summary>
/// A journal written by an earlier release keeps working: the previous release's exact DDL with rows in it is
/// ensured in place (rows kept, read back field by field), and a journal lacking a column of
/// <see cref="JournalSchema"/> gets it added.
/// </summary>
public abstract class JournalUpgradeConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Then = new(2024, 1, 2, 3, 4, 5, 123, TimeSpan.Zero);

    private string InsertOldRow(string version, bool failed) =>
        $"""
        INSERT INTO {JournalSchema.Table} (version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error)
        VALUES ('{version}', 'create users', '{new string('b', 64)}', '{(failed ? "failed" : "applied")}', {target.TimestampLiteral(Then)}, 42, 'alice', 3,
                {(failed ? "2, 'DROP TABLE nope', 'table \"nope\" does not exist'" : "NULL, NULL, NULL")})
        """;

    private static JournalEntry OldRow(string version, bool failed) => new()
    {
        Version = version,
        Name = "create users",
        Checksum = new string('b', 64),
        State = failed ? JournalState.Failed : JournalState.Applied,
        AppliedAt = Then,
        DurationMs = 42,
        AppliedBy = "alice",
        StatementsDone = 3,
        FailedStatementIndex = failed ? 2 : null,
        FailedStatement = failed ? "DROP TABLE nope" : null,
        Error = failed ? "table \"nope\" does not exist" : null,
    };

    [Fact]
    public async Task The_previous_releases_journal_is_upgraded_in_place_with_its_rows()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(The_previous_releases_journal_is_upgraded_in_place_with_its_rows));
        await db.ExecuteAsync(target.PreviousJournalDdl, InsertOldRow("20240101000000", failed: false), InsertOldRow("20240101000001", failed: true));
        var engine = await db.ConnectAsync();

        // the previous release's journal is schema version 1; ensuring it adds the later columns (2: plan)
        Assert.Equal(1, await engine.Journal.EnsureAsync(None));
        Assert.Contains("plan", await db.ColumnsAsync(JournalSchema.Table));
        Assert.Equal(JournalSchema.Version, await engine.Journal.EnsureAsync(None));

        var rows = await engine.Journal.ReadAsync(None);
        Assert.Equal([OldRow("20240101000000", false), OldRow("20240101000001", true)], rows);

        // and the new release writes to it, an expanded migration's plan included
        await engine.Journal.WriteAsync(JournalConformance.Full("20240101000001"), None);
        await engine.Journal.WriteAsync(OldRow("20240101000002", false) with { State = JournalState.Expanded, Plan = "{}" }, None);
        Assert.Equal(OldRow("20240101000002", false) with { State = JournalState.Expanded, Plan = "{}" }, (await engine.Journal.ReadAsync(None))[2] with { AppliedAt = Then });
        var after = await engine.Journal.ReadAsync(None);
        Assert.Equal(JournalConformance.Full("20240101000001"), after[1] with { AppliedAt = default });
        Assert.Equal(OldRow("20240101000000", false), after[0]);
    }

    [Fact]
    public async Task A_journal_missing_a_column_gets_it_added_and_keeps_its_rows()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_journal_missing_a_column_gets_it_added_and_keeps_its_rows));
        await db.ExecuteAsync(target.PreviousJournalDdl, InsertOldRow("1", failed: false), $"ALTER TABLE {JournalSchema.Table} DROP COLUMN error");
        Assert.DoesNotContain("error", await db.ColumnsAsync(JournalSchema.Table));
        var engine = await db.ConnectAsync();

        // before the upgrade (status, dry runs) the missing column reads as its default
        Assert.Equal([OldRow("1", false)], await engine.Journal.ReadAsync(None));

        Assert.True(await engine.Journal.EnsureAsync(None) < JournalSchema.Version);
        Assert.Contains("error", await db.ColumnsAsync(JournalSchema.Table));
        Assert.Equal(JournalSchema.Version, await engine.Journal.EnsureAsync(None));
        Assert.Equal([OldRow("1", false)], await engine.Journal.ReadAsync(None));

        var failed = OldRow("1", true) with { AppliedBy = "bob" };
        await engine.Journal.WriteAsync(failed, None);
        Assert.Equal(failed, (await engine.Journal.ReadAsync(None)).Single() with { AppliedAt = Then });
    }
}
