using Stepwise.Engines;
using Stepwise.Migrations.Schema;
using Stepwise.Migrations.Scratch;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests.Schema;

/// <summary>The schema readers against a real database: every kind of object is read, the same DDL on two
/// databases compares equal, and each kind of change is detected. One subclass per engine.</summary>
public abstract class SchemaReaderScenarios
{
    private static readonly ExecutionLimits Limits = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

    /// <summary>A new empty database.</summary>
    protected abstract Task<DatabaseTarget> NewDatabaseAsync(string test);

    /// <summary>Tables users/orders with every kind of object, plus objects the reader must leave out.</summary>
    protected abstract IReadOnlyList<string> FullSchema { get; }

    /// <summary>One change per kind: (statements, expected kind).</summary>
    protected abstract IReadOnlyList<(string Sql, SchemaChangeKind Kind)> Changes { get; }

    protected static async Task ExecuteAsync(DatabaseTarget target, IEnumerable<string> statements)
    {
        await using var engine = StepwiseMigrations.Engine(target);
        await engine.ConnectAsync(CancellationToken.None);
        foreach (var sql in statements)
        {
            await engine.Executor.ExecuteAsync(sql, Limits, CancellationToken.None);
        }
    }

    protected static async Task<SchemaSnapshot> ReadAsync(DatabaseTarget target)
    {
        await using var engine = StepwiseMigrations.Engine(target);
        await engine.ConnectAsync(CancellationToken.None);
        var reader = engine.Ability<ISchemaReader>();
        Assert.NotNull(reader);
        return await reader.ReadAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Every_kind_of_object_is_read_and_helper_tables_are_left_out()
    {
        var target = await NewDatabaseAsync(nameof(Every_kind_of_object_is_read_and_helper_tables_are_left_out));
        await ExecuteAsync(target, FullSchema);
        var snapshot = await ReadAsync(target);

        Assert.Equal(["orders", "users"], snapshot.Tables.Where(t => !t.IsView).Select(t => t.Name));
        var users = snapshot.Tables.Single(t => t.Name == "users");
        Assert.Equal(["id", "email", "status", "score"], users.Columns.Select(c => c.Name));
        Assert.False(users.Columns.Single(c => c.Name == "email").Nullable);
        Assert.True(users.Columns.Single(c => c.Name == "score").Nullable);
        Assert.NotNull(users.Columns.Single(c => c.Name == "status").Default);
        Assert.Contains(users.Indexes, i => i.Name == "users_score_idx" && i.Columns.SequenceEqual(["score"]));
        Assert.Contains(users.Constraints, c => c.Kind == ConstraintShapeKind.PrimaryKey && c.Columns.SequenceEqual(["id"]));
        Assert.Contains(users.Constraints, c => c.Kind == ConstraintShapeKind.Unique && c.Columns.SequenceEqual(["email"]));
        Assert.Contains(users.Constraints, c => c.Kind == ConstraintShapeKind.Check && c.Definition.Contains("score", StringComparison.Ordinal));
        var orders = snapshot.Tables.Single(t => t.Name == "orders");
        var fk = Assert.Single(orders.Constraints, c => c.Kind == ConstraintShapeKind.ForeignKey);
        Assert.Equal(["user_id"], fk.Columns);
        Assert.Equal("users", fk.References!.Table);
        Assert.Equal(["id"], fk.References.Columns);
        Assert.Single(orders.Triggers);
        Assert.DoesNotContain(snapshot.Tables, t => t.Name.StartsWith("stepwise_", StringComparison.Ordinal) || t.Name.StartsWith("_sw_", StringComparison.Ordinal) || t.Name == "schema_migrations");
    }

    [Fact]
    public async Task The_same_DDL_on_two_databases_compares_equal()
    {
        var a = await NewDatabaseAsync(nameof(The_same_DDL_on_two_databases_compares_equal) + "_a");
        var b = await NewDatabaseAsync(nameof(The_same_DDL_on_two_databases_compares_equal) + "_b");
        await ExecuteAsync(a, FullSchema);
        await ExecuteAsync(b, FullSchema);
        Assert.Empty(SchemaDiff.Compare(await ReadAsync(a), await ReadAsync(b)));
    }

    [Fact]
    public async Task Each_kind_of_change_is_detected()
    {
        var target = await NewDatabaseAsync(nameof(Each_kind_of_change_is_detected));
        await ExecuteAsync(target, FullSchema);
        foreach (var (sql, kind) in Changes)
        {
            var before = await ReadAsync(target);
            await ExecuteAsync(target, [sql]);
            var differences = SchemaDiff.Compare(before, await ReadAsync(target));
            Assert.True(differences.Any(d => d.Kind == kind), $"{sql}: expected {kind}, got [{string.Join("; ", differences)}]");
        }
    }
}

[Collection("postgres")]
public sealed class PostgresSchemaReaderTests(PostgresFixture fixture) : SchemaReaderScenarios
{
    protected override async Task<DatabaseTarget> NewDatabaseAsync(string test)
    {
        var cs = await fixture.CreateDatabaseAsync(test);
        var name = new Npgsql.NpgsqlConnectionStringBuilder(cs).Database!;
        Assert.True(DatabaseTarget.TryParse(fixture.Server.UrlFor(name), out var target, out var error), error);
        return target!;
    }

    [Fact]
    public async Task A_scratch_database_is_created_and_dropped_with_a_session_still_open_on_it()
    {
        Assert.True(DatabaseTarget.TryParse(fixture.Server.Url, out var server, out var error), error);
        var scratch = await ScratchDatabase.CreateAsync(server!, StepwiseMigrations.Engine, CancellationToken.None);
        Assert.Matches("^stepwise_scratch_[0-9a-f]{12}$", scratch.Name);
        await ExecuteAsync(scratch.Target, ["CREATE TABLE t (id int)"]);
        await using var lingering = StepwiseMigrations.Engine(scratch.Target);
        await lingering.ConnectAsync(CancellationToken.None);
        await scratch.DisposeAsync();
        Assert.Equal(0L, await fixture.Server.ScalarAsync($"SELECT count(*) FROM pg_database WHERE datname = '{scratch.Name}'"));
    }

    protected override IReadOnlyList<string> FullSchema =>
    [
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(300) NOT NULL UNIQUE, status mood DEFAULT 'ok', score integer CHECK (score >= 0))",
        "CREATE INDEX users_score_idx ON users (score) WHERE score > 10",
        "CREATE TABLE orders (id serial PRIMARY KEY, user_id bigint REFERENCES users (id) ON DELETE CASCADE, total numeric(10,2) NOT NULL DEFAULT 0)",
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
        "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
        "CREATE TABLE stepwise_migrations (version text PRIMARY KEY)",
        "CREATE TABLE _sw_1_users_copy (id int)",
        "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)",
    ];

    protected override IReadOnlyList<(string Sql, SchemaChangeKind Kind)> Changes =>
    [
        ("CREATE TABLE extra (id int)", SchemaChangeKind.TableAdded),
        ("DROP TABLE extra", SchemaChangeKind.TableRemoved),
        ("ALTER TABLE users ADD COLUMN nick text", SchemaChangeKind.ColumnAdded),
        ("ALTER TABLE users DROP COLUMN nick", SchemaChangeKind.ColumnRemoved),
        ("ALTER TABLE users ALTER COLUMN email TYPE varchar(400)", SchemaChangeKind.ColumnTypeChanged),
        ("ALTER TABLE orders ALTER COLUMN total DROP NOT NULL", SchemaChangeKind.ColumnNullabilityChanged),
        ("ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1", SchemaChangeKind.ColumnDefaultChanged),
        ("CREATE INDEX orders_total_idx ON orders (total)", SchemaChangeKind.IndexAdded),
        ("DROP INDEX users_score_idx", SchemaChangeKind.IndexRemoved),
        ("ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0)", SchemaChangeKind.ConstraintAdded),
        ("ALTER TABLE users DROP CONSTRAINT users_email_key", SchemaChangeKind.ConstraintRemoved),
        ("DROP TRIGGER orders_touch ON orders", SchemaChangeKind.TriggerRemoved),
        ("ALTER TYPE mood ADD VALUE 'ecstatic'", SchemaChangeKind.EnumValuesChanged),
    ];
}

[Collection("mariadb")]
public sealed class MariaDbSchemaReaderTests(MariaDbFixture fixture) : SchemaReaderScenarios
{
    protected override async Task<DatabaseTarget> NewDatabaseAsync(string test)
    {
        var cs = await fixture.CreateDatabaseAsync(test);
        var name = new MySqlConnector.MySqlConnectionStringBuilder(cs).Database;
        Assert.True(DatabaseTarget.TryParse(fixture.Server.UrlFor(name), out var target, out var error), error);
        return target!;
    }

    [Fact]
    public async Task A_scratch_database_is_created_and_dropped_with_a_session_still_open_on_it()
    {
        Assert.True(DatabaseTarget.TryParse(fixture.Server.UrlFor("mysql"), out var server, out var error), error);
        var scratch = await ScratchDatabase.CreateAsync(server!, StepwiseMigrations.Engine, CancellationToken.None);
        await ExecuteAsync(scratch.Target, ["CREATE TABLE t (id int)"]);
        await using var lingering = StepwiseMigrations.Engine(scratch.Target);
        await lingering.ConnectAsync(CancellationToken.None);
        await scratch.DisposeAsync();
        Assert.Equal(0L, Convert.ToInt64(await fixture.Server.ScalarAsync($"SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{scratch.Name}'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override IReadOnlyList<string> FullSchema =>
    [
        "CREATE TABLE users (id bigint AUTO_INCREMENT PRIMARY KEY, email varchar(300) NOT NULL, status enum('sad','ok','happy') DEFAULT 'ok', score int NULL, CONSTRAINT users_email_key UNIQUE (email), CONSTRAINT users_score_check CHECK (score >= 0))",
        "CREATE INDEX users_score_idx ON users (score)",
        "CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, user_id bigint NULL, total decimal(10,2) NOT NULL DEFAULT 0, CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)",
        "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.total = NEW.total",
        "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
        "CREATE TABLE stepwise_migrations (version varchar(50) PRIMARY KEY)",
        "CREATE TABLE _sw_1_users_copy (id int)",
        "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)",
    ];

    protected override IReadOnlyList<(string Sql, SchemaChangeKind Kind)> Changes =>
    [
        ("CREATE TABLE extra (id int)", SchemaChangeKind.TableAdded),
        ("DROP TABLE extra", SchemaChangeKind.TableRemoved),
        ("ALTER TABLE users ADD COLUMN nick text NULL", SchemaChangeKind.ColumnAdded),
        ("ALTER TABLE users DROP COLUMN nick", SchemaChangeKind.ColumnRemoved),
        ("ALTER TABLE orders MODIFY total decimal(12,2) NOT NULL DEFAULT 0", SchemaChangeKind.ColumnTypeChanged),
        ("ALTER TABLE orders MODIFY total decimal(12,2) NULL DEFAULT 0", SchemaChangeKind.ColumnNullabilityChanged),
        ("ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1", SchemaChangeKind.ColumnDefaultChanged),
        ("CREATE INDEX orders_total_idx ON orders (total)", SchemaChangeKind.IndexAdded),
        ("DROP INDEX users_score_idx ON users", SchemaChangeKind.IndexRemoved),
        ("ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0)", SchemaChangeKind.ConstraintAdded),
        ("ALTER TABLE users DROP CONSTRAINT users_score_check", SchemaChangeKind.ConstraintRemoved),
        ("DROP TRIGGER orders_touch", SchemaChangeKind.TriggerRemoved),
        ("ALTER TABLE users MODIFY status enum('sad','ok','happy','ecstatic') DEFAULT 'ok'", SchemaChangeKind.ColumnTypeChanged),
    ];
}

public sealed class SqliteSchemaReaderTests : SchemaReaderScenarios, IAsyncLifetime
{
    private readonly List<ScratchDatabase> _files = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var file in _files)
        {
            await file.DisposeAsync();
        }
    }

    protected override Task<DatabaseTarget> NewDatabaseAsync(string test)
    {
        var scratch = ScratchDatabase.CreateSqlite();
        _files.Add(scratch);
        return Task.FromResult(scratch.Target);
    }

    protected override IReadOnlyList<string> FullSchema =>
    [
        "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, status TEXT DEFAULT 'ok', score INTEGER CONSTRAINT users_score_check CHECK (score >= 0))",
        "CREATE INDEX users_score_idx ON users (score)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, total NUMERIC NOT NULL DEFAULT 0)",
        "CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN SELECT 1; END",
        "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100",
        "CREATE TABLE stepwise_migrations (version TEXT PRIMARY KEY)",
        "CREATE TABLE _sw_1_users_copy (id int)",
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, dirty INTEGER NOT NULL)",
    ];

    protected override IReadOnlyList<(string Sql, SchemaChangeKind Kind)> Changes =>
    [
        ("CREATE TABLE extra (id int)", SchemaChangeKind.TableAdded),
        ("DROP TABLE extra", SchemaChangeKind.TableRemoved),
        ("ALTER TABLE users ADD COLUMN nick TEXT", SchemaChangeKind.ColumnAdded),
        ("ALTER TABLE users DROP COLUMN nick", SchemaChangeKind.ColumnRemoved),
        ("CREATE INDEX orders_total_idx ON orders (total)", SchemaChangeKind.IndexAdded),
        ("DROP INDEX users_score_idx", SchemaChangeKind.IndexRemoved),
        ("DROP TRIGGER orders_touch", SchemaChangeKind.TriggerRemoved),
        ("CREATE TABLE t2 (a INTEGER NOT NULL, b TEXT DEFAULT 'x', CHECK (a > 0))", SchemaChangeKind.TableAdded),
    ];
}
