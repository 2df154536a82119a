using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.Tests.Planning;

/// <summary>The pure plan: files and journal rows in, statuses and steps (or the problems that stop a command) out.</summary>
public sealed class PlannerTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // ---- Statuses

    [Fact]
    public void Applied_with_an_unchanged_file_is_applied_and_a_file_without_a_row_is_pending()
    {
        var set = Stepwise("0001_users", "0002_orders");

        var statuses = Planner.Statuses(set, [Row(set, "0001")]);

        Assert.Equal([("0001", MigrationStatusKind.Applied), ("0002", MigrationStatusKind.Pending)], statuses.Select(s => (s.Version, s.State)));
        Assert.NotNull(statuses[0].Journal);
        Assert.Null(statuses[1].Journal);
        Assert.All(statuses, s => Assert.NotNull(s.File));
        Assert.False(Planner.NeedsAction(statuses));
        Assert.Empty(Planner.ValidationProblems(statuses));
    }

    [Fact]
    public void Applied_with_another_checksum_is_changed()
    {
        var set = Stepwise("0001_users");

        var statuses = Planner.Statuses(set, [Row(set, "0001", checksum: "feed")]);

        Assert.Equal(MigrationStatusKind.Changed, Assert.Single(statuses).State);
        Assert.True(Planner.NeedsAction(statuses));
        var changed = Assert.IsType<ChangedFile>(Assert.Single(Planner.ValidationProblems(statuses)));
        Assert.Equal(("0001", "feed", MigrationSet.Checksum(set.Versioned[0].Up)), (changed.Version, changed.Recorded, changed.Current));
    }

    [Fact]
    public void A_row_without_a_file_is_missing_when_applied_and_failed_otherwise()
    {
        var set = Stepwise("0001_users");

        var statuses = Planner.Statuses(set, [Row(set, "0001"), Orphan("0002", JournalState.Applied), Orphan("0003", JournalState.Failed)]);

        Assert.Equal(
            [("0001", MigrationStatusKind.Applied), ("0002", MigrationStatusKind.Missing), ("0003", MigrationStatusKind.Failed)],
            statuses.Select(s => (s.Version, s.State)));
        Assert.Null(statuses[1].File);
        Assert.Equal([typeof(MissingFile), typeof(EarlierFailure)], Planner.ValidationProblems(statuses).Select(p => p.GetType()));
    }

    [Fact]
    public void A_failed_row_is_failed()
    {
        var set = Stepwise("0001_users");

        var status = Assert.Single(Planner.Statuses(set, [Row(set, "0001", JournalState.Failed) with { FailedStatementIndex = 0, Error = "boom" }]));

        Assert.Equal(MigrationStatusKind.Failed, status.State);
        var failure = Assert.IsType<EarlierFailure>(Assert.Single(Planner.ValidationProblems([status])));
        Assert.Equal(("0001", "boom"), (failure.Version, failure.Entry.Error));
    }

    [Fact]
    public void A_running_row_is_running_while_another_runner_holds_the_lock_and_interrupted_otherwise()
    {
        var set = Stepwise("0001_users");
        IReadOnlyList<JournalEntry> journal = [Row(set, "0001", JournalState.Running, done: 1), Orphan("0002", JournalState.Running)];

        var held = Planner.Statuses(set, journal, lockHeldElsewhere: true);
        var free = Planner.Statuses(set, journal, lockHeldElsewhere: false);

        Assert.Equal([MigrationStatusKind.Running, MigrationStatusKind.Running], held.Select(s => s.State));
        Assert.False(Planner.NeedsAction(held));
        Assert.Equal([MigrationStatusKind.Failed, MigrationStatusKind.Failed], free.Select(s => s.State));
        Assert.True(Planner.NeedsAction(free));
    }

    [Fact]
    public void A_flyway_baseline_on_an_empty_database_stands_for_the_versions_up_to_it()
    {
        var set = Flyway("V1__a", "V2__b", "B2__base", "V3__c");

        var statuses = Planner.Statuses(set, []);

        Assert.Equal(
            [("1", MigrationStatusKind.Skipped), ("B2", MigrationStatusKind.Pending), ("2", MigrationStatusKind.Skipped), ("3", MigrationStatusKind.Pending)],
            statuses.Select(s => (s.Version, s.State)));
        var plan = Planner.PlanUp(set, [], null, allowOutOfOrder: false);
        Assert.Equal(["B2", "3"], plan.Steps.Select(s => MigrationSet.JournalVersion(s.Migration)));
    }

    [Fact]
    public void A_flyway_target_chooses_the_newest_baseline_up_to_it()
    {
        var set = Flyway("V1__a", "B1__one", "V2__b", "V3__c", "B3__three");

        var statuses = Planner.Statuses(set, [], targetVersion: "2");

        Assert.Equal(MigrationStatusKind.Pending, statuses.Single(s => s.Version == "B1").State);
        Assert.Equal(MigrationStatusKind.Skipped, statuses.Single(s => s.Version == "B3").State);
        Assert.Equal(MigrationStatusKind.Skipped, statuses.Single(s => s.Version == "1").State);
        Assert.Equal(MigrationStatusKind.Pending, statuses.Single(s => s.Version == "2").State);
    }

    [Fact]
    public void A_database_with_history_skips_flyway_baselines()
    {
        var set = Flyway("V1__a", "B2__base", "V2__b");

        var statuses = Planner.Statuses(set, [Row(set, "1")]);

        Assert.Equal(
            [("1", MigrationStatusKind.Applied), ("B2", MigrationStatusKind.Skipped), ("2", MigrationStatusKind.Pending)],
            statuses.Select(s => (s.Version, s.State)));
    }

    [Fact]
    public void A_changed_flyway_repeatable_is_pending_again_not_changed()
    {
        var set = Flyway("V1__a", "R__views");

        var statuses = Planner.Statuses(set, [Row(set, "1"), Row(set, "R__views", checksum: "old")]);

        Assert.Equal([("1", MigrationStatusKind.Applied), ("R__views", MigrationStatusKind.Pending)], statuses.Select(s => (s.Version, s.State)));
        Assert.Equal(["R__views"], Planner.PlanUp(set, [Row(set, "1"), Row(set, "R__views", checksum: "old")], null, false).Steps.Select(s => MigrationSet.JournalVersion(s.Migration)));
    }

    // ---- PlanUp

    [Fact]
    public void Up_runs_pending_migrations_in_order()
    {
        var set = Stepwise("0001_a", "0002_b", "0003_c");

        var plan = Planner.PlanUp(set, [Row(set, "0001")], null, allowOutOfOrder: false);

        Assert.Empty(plan.Problems);
        Assert.Equal([("0002", 0, false), ("0003", 0, false)], plan.Steps.Select(s => (s.Migration.Version, s.ResumeFrom, s.Resuming)));
        Assert.Equal(3, plan.Statuses.Count);
    }

    [Fact]
    public void Up_to_an_unknown_version_is_an_input_error()
    {
        var set = Stepwise("0001_a", "0002_b");

        var plan = Planner.PlanUp(set, [], "0009", allowOutOfOrder: false);

        var problem = Assert.IsType<UnknownVersion>(Assert.Single(plan.Problems));
        Assert.Equal("0009", problem.Version);
        Assert.True(problem.IsInputError);
        Assert.Empty(plan.Steps);
        Assert.Empty(plan.Statuses);
    }

    [Fact]
    public void Up_to_a_version_stops_there()
    {
        var set = Stepwise("0001_a", "0002_b", "0003_c", "0004_d");

        var plan = Planner.PlanUp(set, [Row(set, "0001")], "0003", allowOutOfOrder: false);

        Assert.Empty(plan.Problems);
        Assert.Equal(["0002", "0003"], plan.Steps.Select(s => s.Migration.Version));
    }

    [Fact]
    public void Up_to_a_version_written_without_leading_zeros_finds_it()
    {
        var set = Stepwise("0001_a", "0002_b", "0003_c");

        var plan = Planner.PlanUp(set, [], "2", allowOutOfOrder: false);

        Assert.Empty(plan.Problems);
        Assert.Equal(["0001", "0002"], plan.Steps.Select(s => s.Migration.Version));
    }

    [Fact]
    public void Up_stops_on_a_changed_file()
    {
        var set = Stepwise("0001_a", "0002_b");

        var plan = Planner.PlanUp(set, [Row(set, "0001", checksum: "old")], null, allowOutOfOrder: false);

        Assert.Equal("0001", Assert.IsType<ChangedFile>(Assert.Single(plan.Problems)).Version);
        Assert.False(plan.Problems[0].IsInputError);
        Assert.Empty(plan.Steps);
        Assert.Equal(2, plan.Statuses.Count);
    }

    [Fact]
    public void Up_stops_on_a_missing_file()
    {
        var set = Stepwise("0001_a", "0003_c");

        var plan = Planner.PlanUp(set, [Row(set, "0001"), Orphan("0002", JournalState.Applied)], null, allowOutOfOrder: false);

        Assert.Equal(new MissingFile("0002", "gone"), Assert.Single(plan.Problems));
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Up_stops_on_a_failed_migration()
    {
        var set = Stepwise("0001_a", "0002_b", "0003_c");

        var plan = Planner.PlanUp(set, [Row(set, "0001"), Row(set, "0002", JournalState.Failed, done: 1)], null, allowOutOfOrder: false);

        var failure = Assert.IsType<EarlierFailure>(Assert.Single(plan.Problems));
        Assert.Equal(("0002", 1), (failure.Version, failure.Entry.StatementsDone));
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Up_reports_a_changed_file_before_a_failure()
    {
        var set = Stepwise("0001_a", "0002_b");

        var plan = Planner.PlanUp(set, [Row(set, "0001", checksum: "old"), Row(set, "0002", JournalState.Failed)], null, allowOutOfOrder: false);

        Assert.IsType<ChangedFile>(Assert.Single(plan.Problems));
    }

    [Fact]
    public void Up_resumes_an_interrupted_migration_first()
    {
        var set = Stepwise("0001_a", "0002_b", "0003_c");

        var plan = Planner.PlanUp(set, [Row(set, "0001"), Row(set, "0002", JournalState.Running, done: 2)], null, allowOutOfOrder: false);

        Assert.Empty(plan.Problems);
        Assert.Equal([("0002", 2, true), ("0003", 0, false)], plan.Steps.Select(s => (s.Migration.Version, s.ResumeFrom, s.Resuming)));
    }

    [Fact]
    public void Up_refuses_a_pending_migration_older_than_the_newest_applied()
    {
        var set = Stepwise("0001_a", "0002_b", "0003_c", "0004_d");
        IReadOnlyList<JournalEntry> journal = [Row(set, "0001"), Row(set, "0003")];

        var refused = Planner.PlanUp(set, journal, null, allowOutOfOrder: false);
        var allowed = Planner.PlanUp(set, journal, null, allowOutOfOrder: true);

        Assert.Equal(new OutOfOrder("0002", "b"), Assert.Single(refused.Problems));
        Assert.Empty(refused.Steps);
        Assert.Empty(allowed.Problems);
        Assert.Equal(["0002", "0004"], allowed.Steps.Select(s => s.Migration.Version));
    }

    [Fact]
    public void Up_with_everything_applied_has_nothing_to_do()
    {
        var set = Stepwise("0001_a");

        var plan = Planner.PlanUp(set, [Row(set, "0001")], null, allowOutOfOrder: false);

        Assert.Empty(plan.Problems);
        Assert.Empty(plan.Steps);
    }

    // ---- PlanDown

    [Fact]
    public void Down_rolls_back_the_newest_count_applied_migrations_newest_first()
    {
        var set = Stepwise(withDowns: true, "0001_a", "0002_b", "0003_c", "0004_d");
        var statuses = Planner.Statuses(set, [Row(set, "0001"), Row(set, "0002"), Row(set, "0003")]);

        var plan = Planner.PlanDown(set, statuses, 2, null);

        Assert.Empty(plan.Problems);
        Assert.Equal(["0003", "0002"], plan.Steps.Select(s => s.Version));
    }

    [Fact]
    public void Down_includes_a_changed_migration_but_never_a_pending_or_failed_one()
    {
        var set = Stepwise(withDowns: true, "0001_a", "0002_b", "0003_c");
        var statuses = Planner.Statuses(set, [Row(set, "0001", checksum: "old"), Row(set, "0002", JournalState.Failed)]);

        var plan = Planner.PlanDown(set, statuses, 5, null);

        Assert.Equal(["0001"], plan.Steps.Select(s => s.Version));
    }

    [Fact]
    public void Down_to_a_version_rolls_back_everything_newer()
    {
        var set = Stepwise(withDowns: true, "0001_a", "0002_b", "0003_c");
        var statuses = Planner.Statuses(set, [Row(set, "0001"), Row(set, "0002"), Row(set, "0003")]);

        Assert.Equal(["0003", "0002"], Planner.PlanDown(set, statuses, 1, "0001").Steps.Select(s => s.Version));
        Assert.Equal(["0003", "0002", "0001"], Planner.PlanDown(set, statuses, 1, "0").Steps.Select(s => s.Version));
        Assert.Empty(Planner.PlanDown(set, statuses, 1, "0003").Steps);
    }

    [Fact]
    public void Down_to_an_unknown_version_is_an_input_error()
    {
        var set = Stepwise(withDowns: true, "0001_a");
        var statuses = Planner.Statuses(set, [Row(set, "0001")]);

        var plan = Planner.PlanDown(set, statuses, 1, "0042");

        var problem = Assert.IsType<UnknownVersion>(Assert.Single(plan.Problems));
        Assert.Equal("0042", problem.Version);
        Assert.True(problem.IsInputError);
        Assert.Empty(plan.Steps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Down_with_a_count_below_one_is_an_input_error(int count)
    {
        var set = Stepwise(withDowns: true, "0001_a");
        var statuses = Planner.Statuses(set, [Row(set, "0001")]);

        var plan = Planner.PlanDown(set, statuses, count, null);

        Assert.Equal(new InvalidCount(count), Assert.Single(plan.Problems));
        Assert.True(plan.Problems[0].IsInputError);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Down_without_a_down_file_rolls_back_nothing()
    {
        _dir.Write("0001_a.up.sql", "SELECT 1;\n").Write("0001_a.down.sql", "SELECT -1;\n").Write("0002_b.up.sql", "SELECT 2;\n");
        var set = Open();
        var statuses = Planner.Statuses(set, [Row(set, "0001"), Row(set, "0002")]);

        var plan = Planner.PlanDown(set, statuses, 2, null);

        Assert.Equal(new MissingDown("0002", "b"), Assert.Single(plan.Problems));
        Assert.False(plan.Problems[0].IsInputError);
        Assert.Empty(plan.Steps);
    }

    // ---- helpers

    private MigrationSet Stepwise(params string[] names) => Stepwise(false, names);

    private MigrationSet Stepwise(bool withDowns, params string[] names)
    {
        foreach (var name in names)
        {
            _dir.Write(name + ".up.sql", $"-- {name}\nSELECT 1;\n");
            if (withDowns)
            {
                _dir.Write(name + ".down.sql", $"-- undo {name}\nSELECT 0;\n");
            }
        }

        var set = Open();
        Assert.Equal(LayoutKind.Stepwise, set.Layout);
        return set;
    }

    private MigrationSet Flyway(params string[] names)
    {
        foreach (var name in names)
        {
            _dir.Write(name + ".sql", $"-- {name}\nSELECT 1;\n");
        }

        var set = Open();
        Assert.Equal(LayoutKind.Flyway, set.Layout);
        return set;
    }

    private MigrationSet Open()
    {
        var load = MigrationFolder.Load(_dir.Path);
        Assert.DoesNotContain(load.Problems, p => p.Severity == ProblemSeverity.Error);
        return MigrationSet.From(load);
    }

    /// <summary>A journal row for a migration of the set (by its journal version), with its file's checksum unless given.</summary>
    private static JournalEntry Row(MigrationSet set, string version, JournalState state = JournalState.Applied, int done = 0, string? checksum = null)
    {
        var m = set.Versioned.Concat(set.Repeatable).Single(m => MigrationSet.JournalVersion(m) == version);
        return new JournalEntry { Version = version, Name = m.Name, Checksum = checksum ?? MigrationSet.Checksum(m.Up), State = state, StatementsDone = done };
    }

    /// <summary>A journal row whose file is gone.</summary>
    private static JournalEntry Orphan(string version, JournalState state) =>
        new() { Version = version, Name = "gone", Checksum = "c0ffee", State = state };
}
