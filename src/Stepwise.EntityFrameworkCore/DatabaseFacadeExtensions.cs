using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Stepwise.EntityFrameworkCore;

/// <summary><c>db.Database.MigrateSafelyAsync()</c>, <c>db.Database.LintMigrations()</c> and
/// <c>db.Database.AssertMigrationsSafe()</c>, beside EF's own <c>db.Database.MigrateAsync()</c>.</summary>
public static class DatabaseFacadeExtensions
{
    /// <summary>Lints every migration of the context, in order, without touching the database (see <see cref="StepwiseEf.LintMigrations"/>).</summary>
    /// <param name="database">The context's <c>Database</c>.</param>
    /// <param name="options">Lint options; null for the defaults.</param>
    /// <exception cref="NotSupportedException">The provider is not PostgreSQL (Npgsql), SQLite or MySQL.</exception>
    public static EfLintReport LintMigrations(this DatabaseFacade database, EfLintOptions? options = null) =>
        StepwiseEf.LintMigrations(Context(database), options);

    /// <summary>Lints every migration of the context and throws <see cref="UnsafeMigrationException"/> when a finding fails
    /// (errors, and warnings with <see cref="EfLintOptions.FailOnWarnings"/>); otherwise returns the report (see <see cref="StepwiseEf.AssertMigrationsSafe"/>).</summary>
    /// <param name="database">The context's <c>Database</c>.</param>
    /// <param name="options">Lint options; null for the defaults.</param>
    public static EfLintReport AssertMigrationsSafe(this DatabaseFacade database, EfLintOptions? options = null) =>
        StepwiseEf.AssertMigrationsSafe(Context(database), options);

    /// <summary>
    /// Applies the pending EF Core migrations as EF's <c>MigrateAsync</c> does, with Stepwise's guarantees: the
    /// migration lock held by Stepwise's working session (one instance migrates, the others wait and then find
    /// nothing pending), lock_timeout on every statement with retries (exponential backoff, jitter) on a lock
    /// timeout, <c>suppressTransaction</c> statements (CONCURRENTLY) outside a transaction, and the lint gate
    /// (pending migrations with error findings are refused, nothing applied, unless
    /// <see cref="MigrateSafelyOptions.AllowUnsafe"/>). <c>__EFMigrationsHistory</c> gets the rows EF writes, in
    /// the migration's transaction, so <c>dotnet ef migrations list</c> and <c>GetAppliedMigrationsAsync()</c>
    /// agree. PostgreSQL (Npgsql) and SQLite (a file).
    /// <code>
    /// var result = await db.Database.MigrateSafelyAsync();
    /// if (result.Failure is { } f) logger.LogError("{Id} failed at statement {Index}: {Message}", f.MigrationId, f.StatementIndex, f.Message);
    /// // or: (await db.Database.MigrateSafelyAsync()).EnsureSuccess();
    /// </code>
    /// Database errors are returned in the result, never thrown; only cancellation throws.
    /// </summary>
    public static Task<MigrateSafelyResult> MigrateSafelyAsync(this DatabaseFacade database, MigrateSafelyOptions? options = null, CancellationToken cancellationToken = default) =>
        SafeMigrator.MigrateAsync(Context(database), options, cancellationToken);

    private static Microsoft.EntityFrameworkCore.DbContext Context(DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.GetService<ICurrentDbContext>().Context;
    }
}
