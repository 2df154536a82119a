using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Cli.Commands;

/// <summary>`lint --database URL`: the table sizes of the live database, from catalog statistics only.</summary>
internal static class LintDatabase
{
    /// <summary>Every table's estimated rows and bytes; null after an error was written (bad URL, no connection,
    /// SQLite). Messages never carry the password.</summary>
    public static async Task<IReadOnlyList<TableSize>?> ReadSizesAsync(CliIo io, DatabaseTarget target, CancellationToken ct)
    {
        if (target.Dialect == SqlDialect.Sqlite)
        {
            io.Error.WriteLine("stepwise: lint --database reads table sizes from PostgreSQL or MySQL/MariaDB statistics; SQLite keeps none");
            return null;
        }

        var engine = StepwiseMigrations.Engine(target);
        await using (engine.ConfigureAwait(false))
        {
            try
            {
                await engine.ConnectAsync(ct).ConfigureAwait(false);
                if (engine.Ability<ITableSizes>() is not { } sizes)
                {
                    io.Error.WriteLine($"stepwise: {target.Redacted} cannot report table sizes");
                    return null;
                }

                return await sizes.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (EngineException e)
            {
                io.Error.WriteLine($"stepwise: cannot read table sizes from {target.Redacted}: {target.Scrub(e.Message)}");
                return null;
            }
        }
    }
}
