using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;
using Stepwise.Sql;
using StepwiseMigration = Stepwise.Migrations.Layouts.Migration;

namespace Stepwise.EntityFrameworkCore;

/// <summary>One statement of an EF migration as Stepwise runs it.</summary>
/// <param name="Sql">The statement.</param>
/// <param name="Index">0-based among the migration's statements; null for EF's history row.</param>
/// <param name="WeakLock">A CONCURRENTLY build or VALIDATE CONSTRAINT: the weak-lock timeout, no statement timeout.</param>
/// <param name="ConcurrentIndex">The index a CREATE INDEX CONCURRENTLY builds (an INVALID leftover is dropped first).</param>
internal sealed record EfStatement(string Sql, int? Index, bool WeakLock, string? ConcurrentIndex);

/// <summary>Statements that run together: in one transaction, or one statement on its own (EF's
/// <c>suppressTransaction</c>).</summary>
internal sealed record EfStep(bool InTransaction, IReadOnlyList<EfStatement> Statements);

/// <summary>
/// A pending EF migration as EF would run it: the commands EF's migrator generates (the provider's SQL for the
/// Up operations, then the <c>__EFMigrationsHistory</c> row from <see cref="IHistoryRepository.GetInsertScript"/>,
/// outside the transaction when any command is, as EF does), split into statements with Stepwise's splitter and
/// classified by <see cref="MigrationUnit"/>. Consecutive transactional commands form one transaction step (so
/// the history row commits with the migration's last transactional statements); each transaction-suppressed
/// statement is a step of its own.
/// </summary>
internal sealed record EfMigrationPlan(string Id, IReadOnlyList<EfStep> Steps, int StatementCount)
{
    public static EfMigrationPlan Build(DbContext context, string id, SqlDialect dialect, int pgMajor)
    {
        var assembly = context.GetService<IMigrationsAssembly>();
        var generator = context.GetService<IMigrationsSqlGenerator>();
        var history = context.GetService<IHistoryRepository>();
        var initializer = context.GetService<IModelRuntimeInitializer>();
        var migration = assembly.CreateMigration(assembly.Migrations[id], context.Database.ProviderName!);

        var model = migration.TargetModel is null ? null : initializer.Initialize(migration.TargetModel);
        var commands = generator.Generate(migration.UpOperations, model, MigrationsSqlGenerationOptions.Default);
        var insert = history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion()));
        var all = commands.Select(c => (c.CommandText, c.TransactionSuppressed, History: false))
            .Append((insert, commands.Any(c => c.TransactionSuppressed), History: true));

        var steps = new List<EfStep>();
        List<EfStatement>? open = null;
        var index = 0;
        foreach (var (text, suppressed, isHistory) in all)
        {
            var unit = MigrationUnit.Build(Synthetic(id, text), Script(id, text), dialect, pgMajor);
            var statements = new List<EfStatement>(unit.Statements.Count);
            for (var i = 0; i < unit.Statements.Count; i++)
            {
                statements.Add(new EfStatement(unit.Statements[i], isHistory ? null : index++, unit.UsesWeakLock[i], unit.ConcurrentIndexNames[i]));
            }

            if (suppressed)
            {
                open = null;
                steps.AddRange(statements.Select(s => new EfStep(false, [s])));
                continue;
            }

            if (open is null)
            {
                open = [];
                steps.Add(new EfStep(true, open));
            }

            open.AddRange(statements);
        }

        return new EfMigrationPlan(id, steps, index);
    }

    private static MigrationScript Script(string id, string text) => new() { Path = id, Text = text };

    private static StepwiseMigration Synthetic(string id, string text) => new()
    {
        Version = id,
        Name = id,
        OrderKey = VersionKey.Parse(LayoutKind.Prisma, id),
        Up = Script(id, text),
    };
}
