using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations.Trace;

/// <summary>Progress of a trace run, for the CLI to word.</summary>
/// <param name="Stage">applying, seeding or tracing.</param>
/// <param name="What">The migration or table.</param>
public sealed record TraceProgress(string Stage, string What);

/// <summary>
/// Runs migrations on a scratch database (already connected, empty): the history before the first traced one is
/// applied as <c>up</c> would; before each traced migration every table not yet seeded gets N generated rows
/// (<see cref="Seeder"/>, from the engine's <see cref="ISchemaReader"/>); each statement of a traced migration then
/// runs through the engine's <see cref="IStatementTracer"/>, in a transaction unless <c>up</c> would run it outside
/// one (CONCURRENTLY, the file's no-transaction directive…).
/// </summary>
public static class TraceRunner
{
    private static readonly ExecutionLimits Limits = new(TimeSpan.FromSeconds(30), TimeSpan.Zero);

    /// <summary>Applies <paramref name="history"/>, then traces <paramref name="traced"/>.</summary>
    public static async Task<(IReadOnlyList<TracedStatement> Statements, IReadOnlyList<string> Notes)> RunAsync(
        IEngine engine, IReadOnlyList<Migration> history, IReadOnlyList<Migration> traced, int rows, IProgress<TraceProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(traced);
        var tracer = engine.Ability<IStatementTracer>() ?? throw new InvalidOperationException($"{engine.Dialect} has no statement tracer");
        var reader = engine.Ability<ISchemaReader>();
        var notes = new List<string>();
        if (reader is null)
        {
            notes.Add("this build has no schema reader for the engine: tables were not seeded (locks and rewrites on empty tables)");
        }

        foreach (var migration in history)
        {
            progress?.Report(new TraceProgress("applying", $"{migration.Version}_{migration.Name}"));
            var unit = MigrationUnit.Build(migration, migration.Up, engine.Dialect, engine.Server.PostgresMajor);
            if (unit.InTransaction)
            {
                await engine.Executor.ExecuteInTransactionAsync(unit.Statements, JournalChange.None, Limits, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var statement in unit.Statements)
                {
                    await engine.Executor.ExecuteAsync(statement, Limits, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var seeded = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<TracedStatement>();
        foreach (var migration in traced)
        {
            if (reader is not null)
            {
                await SeedAsync(engine, reader, seeded, rows, progress, notes, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new TraceProgress("tracing", $"{migration.Version}_{migration.Name}"));
            var unit = MigrationUnit.Build(migration, migration.Up, engine.Dialect, engine.Server.PostgresMajor);
            if (unit.IsExpandContract)
            {
                notes.Add($"{migration.Up.Path}: an expand/contract file runs in phases; its statements were traced one by one");
            }

            var parsed = ParsedScript.Parse(new SourceText(migration.Up.Text, migration.Up.Path), engine.Dialect);
            var spans = parsed.Statements.Where(s => parsed.Source.ToString(s.Span).Length > 0).ToList();
            var created = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < unit.Statements.Count; i++)
            {
                var sql = unit.Statements[i];
                var inTransaction = engine.Dialect == SqlDialect.PostgreSql && (unit.InTransaction || unit.JoinsTransaction[i]);
                if (parsed.Statements.Count > 0 && spans.Count > i && spans[i] is TransactionStatement)
                {
                    continue;
                }

                var trace = await tracer.TraceAsync(sql, TraceOptions.Default with { InTransaction = inTransaction }, cancellationToken).ConfigureAwait(false);
                var line = spans.Count > i ? parsed.Source.GetLinePosition(spans[i].Span.Start).Line : 0;
                results.Add(new TracedStatement(migration.Up.Path, migration.Version, i, line, sql, inTransaction, trace, created.ToHashSet(StringComparer.Ordinal)));
                foreach (var change in trace.Storage.Where(s => s.Kind == StorageChangeKind.Created && !s.IsIndex))
                {
                    created.Add(change.Relation);
                }
            }
        }

        // what a tracer could not observe, once per kind (performance_schema off holds for every statement)
        foreach (var group in results.SelectMany(r => r.Trace.Notes.Select(n => (Note: n, Statement: r))).GroupBy(x => x.Note, StringComparer.Ordinal))
        {
            var first = group.First().Statement;
            var count = group.Count();
            notes.Add(count == 1 ? $"{first.Path}:{first.Line}: {group.Key}" : $"{group.Key} ({count} statements, the first {first.Path}:{first.Line})");
        }

        return (results, notes);
    }

    private static async Task SeedAsync(IEngine engine, ISchemaReader reader, HashSet<string> seeded, int rows, IProgress<TraceProgress>? progress, List<string> notes, CancellationToken ct)
    {
        var schema = await reader.ReadAsync(ct).ConfigureAwait(false);
        var plan = Seeder.Plan(schema, engine.Dialect, rows, t => !seeded.Contains(t));
        foreach (var seed in plan)
        {
            seeded.Add(seed.Table);
            progress?.Report(new TraceProgress("seeding", seed.Table));
            try
            {
                await engine.Executor.ExecuteAsync(seed.Sql, Limits, ct).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                notes.Add($"{seed.Table}: not seeded ({ex.Message})");
            }
        }
    }
}
