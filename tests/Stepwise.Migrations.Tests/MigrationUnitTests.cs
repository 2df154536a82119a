using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests;

/// <summary>How a migration file becomes a unit of work: one transaction or statement by statement, which
/// statements commit together with their progress record, and backfill files.</summary>
public sealed class MigrationUnitTests
{
    private static MigrationUnit Build(string up, SqlDialect dialect = SqlDialect.PostgreSql, string? down = null, bool buildDown = false, bool noTransaction = false)
    {
        var upScript = new MigrationScript { Path = "0007_change.up.sql", Text = up, NoTransaction = noTransaction };
        var downScript = down is null ? null : new MigrationScript { Path = "0007_change.down.sql", Text = down };
        var migration = new Migration { Version = "0007", Name = "change", OrderKey = VersionKey.Parse(LayoutKind.Stepwise, "0007"), Up = upScript, Down = downScript };
        return MigrationUnit.Build(migration, buildDown ? downScript! : upScript, dialect, 15);
    }

    [Fact]
    public void Plain_ddl_and_dml_run_in_one_transaction()
    {
        var unit = Build("ALTER TABLE t ADD COLUMN x int;\nUPDATE t SET x = 1 WHERE id < 100;\n");
        Assert.True(unit.InTransaction);
        Assert.Equal(2, unit.Statements.Count);
        Assert.Null(unit.Backfill);
        Assert.Null(unit.BackfillError);
    }

    [Fact]
    public void Beside_concurrently_the_other_statements_commit_with_their_progress_record()
    {
        var unit = Build("INSERT INTO audit VALUES (1);\nCREATE INDEX CONCURRENTLY t_x ON t (x);\nUPDATE t SET x = 0 WHERE x IS NULL AND id < 10;\n");
        Assert.False(unit.InTransaction);
        Assert.Contains("CONCURRENTLY", unit.NoTransactionReason, StringComparison.Ordinal);
        Assert.Equal([true, false, true], unit.JoinsTransaction);
        Assert.Equal([null, "t_x", null], unit.ConcurrentIndexNames);
    }

    [Fact]
    public void On_mysql_ddl_runs_alone_and_dml_between_ddl_joins_a_transaction()
    {
        var unit = Build("ALTER TABLE t ADD COLUMN x int;\nUPDATE t SET x = 1 WHERE id < 100;\nCREATE INDEX t_x ON t (x);\n", SqlDialect.MySql);
        Assert.False(unit.InTransaction);
        Assert.Equal([false, true, false], unit.JoinsTransaction);
    }

    [Theory]
    [InlineData(SqlDialect.PostgreSql, "BEGIN;\nUPDATE t SET x = 1 WHERE id < 10;\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n")]
    [InlineData(SqlDialect.MySql, "START TRANSACTION;\nUPDATE t SET x = 1 WHERE id < 10;\nCOMMIT;\n")]
    public void A_file_with_its_own_transactions_is_never_wrapped_in_another(SqlDialect dialect, string sql)
    {
        var unit = Build(sql, dialect);
        Assert.False(unit.InTransaction);
        Assert.All(unit.JoinsTransaction, Assert.False);
    }

    [Fact]
    public void No_transaction_directive_keeps_every_statement_on_its_own()
    {
        var unit = Build("UPDATE t SET x = 1 WHERE id < 10;\nUPDATE t SET x = 2 WHERE id < 20;\n", noTransaction: true);
        Assert.False(unit.InTransaction);
        Assert.All(unit.JoinsTransaction, Assert.False);
    }

    [Fact]
    public void A_backfill_file_becomes_a_spec_with_the_defaults()
    {
        var unit = Build("-- stepwise:backfill\nUPDATE users SET display_name = username WHERE display_name IS NULL;\n");
        var spec = Assert.IsType<BackfillSpec>(unit.Backfill);
        Assert.Equal(new BackfillSpec("0007_change", "users", "display_name = username", "display_name IS NULL", BackfillSpec.DefaultBatchSize, BackfillSpec.DefaultBatchTime, TimeSpan.Zero, BackfillSpec.DefaultLockTimeout), spec);
    }

    [Fact]
    public void Batch_size_alone_is_a_fixed_size_and_with_batch_time_a_starting_size()
    {
        var fixedSize = Build("-- stepwise:backfill batch-size=250\nUPDATE users SET a = 1;").Backfill!;
        Assert.Equal(250, fixedSize.BatchSize);
        Assert.Null(fixedSize.BatchTime);

        var adaptive = Build("-- stepwise:backfill batch-size=250 batch-time=1s sleep=50ms lock-timeout=3s name=mine\nUPDATE users SET a = 1;").Backfill!;
        Assert.Equal(new BackfillSpec("mine", "users", "a = 1", null, 250, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(3)), adaptive);
    }

    [Fact]
    public void A_down_backfill_has_its_own_checkpoint_name()
    {
        var down = Build("-- stepwise:backfill\nUPDATE users SET a = 1;", down: "-- stepwise:backfill\nUPDATE users SET a = NULL;", buildDown: true);
        Assert.Equal("0007_change.down", down.Backfill!.Name);
    }

    [Fact]
    public void A_malformed_backfill_file_carries_the_reason_and_no_spec()
    {
        var unit = Build("-- stepwise:backfill batch-size=lots\nUPDATE users SET a = 1;");
        Assert.Null(unit.Backfill);
        Assert.Contains("batch-size=lots", unit.BackfillError, StringComparison.Ordinal);
    }
}
