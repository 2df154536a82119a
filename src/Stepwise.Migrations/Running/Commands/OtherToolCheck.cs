using Stepwise.Engines;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Running.Commands;

/// <summary>Before <c>up</c> runs anything on a database with no Stepwise journal: does another tool's history
/// table (any registered layout's, or a history-only tool's) record applied migrations? Then the folder would be
/// re-run over a schema that already has it.</summary>
internal static class OtherToolCheck
{
    public static async Task<OtherToolHistory?> FindAsync(RunnerSession session, CancellationToken ct)
    {
        if (session.Journal.Count > 0)
        {
            return null;
        }

        // the folder's own tool first, so a shared table name (schema_migrations) names the likely one first
        var own = session.Set.Layout.History;
        var tools = ForeignTools.All.OrderBy(t => t == own ? 0 : 1).ToList();
        foreach (var group in tools.GroupBy(t => (t.History.PostgresSchema, t.History.Table.ToLowerInvariant())))
        {
            foreach (var tool in group)
            {
                IReadOnlyList<string>? rows;
                try
                {
                    rows = await session.Engine.Catalog.ReadForeignHistoryAsync(tool.History, ct).ConfigureAwait(false);
                }
                catch (EngineException)
                {
                    continue; // other columns: another tool's table of that name, or the application's own
                }

                if (rows is null)
                {
                    break; // no such table
                }

                if (rows.Count > 0)
                {
                    return new OtherToolHistory(group.Select(t => t.Name).ToList(), tool.History.Table, rows.Count);
                }
            }
        }

        return null;
    }
}
