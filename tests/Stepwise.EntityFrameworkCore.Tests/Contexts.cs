using Microsoft.EntityFrameworkCore;

namespace Stepwise.EntityFrameworkCore.Tests;

public sealed class User
{
    public int Id { get; set; }

    public string Email { get; set; } = string.Empty;

    public string? Name { get; set; }
}

/// <summary>A context per migration history: EF finds a context's migrations by their [DbContext] attribute.
/// No database is opened: EF generates migration SQL from the migrations alone.</summary>
public abstract class TestContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public static T Postgres<T>()
        where T : TestContext =>
        Create<T>(new DbContextOptionsBuilder().UseNpgsql("Host=127.0.0.1;Database=stepwise_ef_lint"));

    public static T Sqlite<T>()
        where T : TestContext =>
        Create<T>(new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:"));

    /// <summary>A context on a real database (the apply tests).</summary>
    public static T Postgres<T>(string connectionString)
        where T : TestContext =>
        Create<T>(new DbContextOptionsBuilder().UseNpgsql(connectionString));

    /// <summary>A context on a SQLite file (the apply tests).</summary>
    public static T SqliteFile<T>(string path)
        where T : TestContext =>
        Create<T>(new DbContextOptionsBuilder().UseSqlite($"Data Source={path}"));

    private static T Create<T>(DbContextOptionsBuilder builder)
        where T : TestContext =>
        (T)Activator.CreateInstance(typeof(T), builder.Options)!;
}

public sealed class SafeContext(DbContextOptions options) : TestContext(options);

public sealed class PlainIndexContext(DbContextOptions options) : TestContext(options);

public sealed class RenameContext(DbContextOptions options) : TestContext(options);

public sealed class AlterTypeContext(DbContextOptions options) : TestContext(options);

public sealed class ConcurrentlyInTransactionContext(DbContextOptions options) : TestContext(options);

public sealed class SqlCommentSuppressedContext(DbContextOptions options) : TestContext(options);

public sealed class AttributeSuppressedContext(DbContextOptions options) : TestContext(options);

public sealed class UnusedAttributeContext(DbContextOptions options) : TestContext(options);

public sealed class SqliteRenameContext(DbContextOptions options) : TestContext(options);

public sealed class SqliteSafeContext(DbContextOptions options) : TestContext(options);
