using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Stepwise.EntityFrameworkCore;

/// <summary><c>db.Database.LintMigrations()</c> and <c>db.Database.AssertMigrationsSafe()</c>, beside EF's
/// own <c>db.Database.Migrate()</c>.</summary>
public static class DatabaseFacadeExtensions
{
    public static EfLintReport LintMigrations(this DatabaseFacade database, EfLintOptions? options = null) =>
        StepwiseEf.LintMigrations(Context(database), options);

    public static EfLintReport AssertMigrationsSafe(this DatabaseFacade database, EfLintOptions? options = null) =>
        StepwiseEf.AssertMigrationsSafe(Context(database), options);

    private static Microsoft.EntityFrameworkCore.DbContext Context(DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.GetService<ICurrentDbContext>().Context;
    }
}
