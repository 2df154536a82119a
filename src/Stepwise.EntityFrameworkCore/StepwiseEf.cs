using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.EntityFrameworkCore;

/// <summary>
/// Lints a DbContext's EF Core migrations with Stepwise: each migration's SQL is generated as EF runs it
/// (<see cref="IMigrator.GenerateScript"/> for that one migration: the provider's SQL, in order, in EF's
/// transaction with <c>suppressTransaction</c> statements outside it) and linted with every earlier migration
/// replayed into the schema, so an index on a table from an earlier migration is known to be on a live table.
/// No database is needed: EF generates the SQL from the migrations alone.
/// <code>
/// [Fact] public void Migrations_are_safe() => StepwiseEf.AssertMigrationsSafe(new AppDbContext(options));
/// </code>
/// </summary>
public static class StepwiseEf
{
    /// <summary>Lints every migration of the context, in order.</summary>
    /// <exception cref="NotSupportedException">The provider is not PostgreSQL (Npgsql), SQLite or MySQL.</exception>
    public static EfLintReport LintMigrations(DbContext context, EfLintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new EfLintOptions();
        var dialect = DialectOf(context.Database.ProviderName);
        var assembly = context.GetService<IMigrationsAssembly>();
        var migrator = context.GetService<IMigrator>();
        var baseline = options.Baseline is null ? null : assembly.GetMigrationId(options.Baseline);

        var ids = assembly.Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        var inputs = new List<LintInput>(ids.Count);
        var sql = new Dictionary<string, string>(StringComparer.Ordinal);
        string? previous = null;
        foreach (var id in ids)
        {
            var script = migrator.GenerateScript(previous ?? Migration.InitialDatabase, id);
            sql[id] = script;
            inputs.Add(new LintInput(new SourceText(AttributeSuppressions(assembly.Migrations[id]) + script, id)));
            previous = id;
        }

        var lint = Linter.Lint(inputs, new LintOptions
        {
            Dialect = dialect,
            PgVersion = options.PgVersion,
            MySql = options.MySql,
            RuleSeverities = options.RuleSeverities,
        });

        var parsed = new Dictionary<string, ParsedScript>(StringComparer.Ordinal);
        var findings = new List<EfMigrationFinding>();
        foreach (var finding in lint.Findings)
        {
            var id = finding.Path;
            if (baseline is not null && string.CompareOrdinal(id, baseline) <= 0)
            {
                continue;
            }

            if (!parsed.TryGetValue(id, out var script))
            {
                parsed[id] = script = ParsedScript.Parse(finding.Source, dialect);
            }

            findings.Add(new EfMigrationFinding(id, assembly.Migrations[id].AsType(), StatementText(script, finding), finding));
        }

        return new EfLintReport(ids, sql, findings);
    }

    /// <summary>The one-line test: throws <see cref="UnsafeMigrationException"/> listing every finding at
    /// error severity (and warnings with <see cref="EfLintOptions.FailOnWarnings"/>), each with its
    /// migration id and class, the SQL statement and the safe alternative.</summary>
    public static EfLintReport AssertMigrationsSafe(DbContext context, EfLintOptions? options = null)
    {
        options ??= new EfLintOptions();
        var report = LintMigrations(context, options);
        var failing = report.Findings.Where(f => f.Severity == Severity.Error || (options.FailOnWarnings && f.Severity == Severity.Warning)).ToList();
        if (failing.Count > 0)
        {
            throw new UnsafeMigrationException(report with { Findings = failing });
        }

        return report;
    }

    /// <summary>The Stepwise dialect of an EF Core provider.</summary>
    public static SqlDialect DialectOf(string? providerName) => providerName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => SqlDialect.PostgreSql,
        "Microsoft.EntityFrameworkCore.Sqlite" => SqlDialect.Sqlite,
        "Pomelo.EntityFrameworkCore.MySql" or "MySql.EntityFrameworkCore" => SqlDialect.MySql,
        _ => throw new NotSupportedException($"Stepwise lints EF Core migrations for PostgreSQL (Npgsql), SQLite and MySQL/MariaDB, not for the provider {providerName ?? "(none)"}."),
    };

    /// <summary>[StepwiseIgnore] on the migration class becomes the file-wide suppression comment, so the
    /// linter applies it (and reports it when it matches nothing) as it does for SQL files.</summary>
    private static string AttributeSuppressions(TypeInfo migration)
    {
        var sb = new StringBuilder();
        foreach (var ignore in migration.GetCustomAttributes<StepwiseIgnoreAttribute>())
        {
            sb.Append("-- stepwise:ignore-file ").Append(ignore.Rule).Append(' ').Append(ignore.Reason.ReplaceLineEndings(" ")).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The innermost statement containing the finding, else the finding's own text.</summary>
    private static string StatementText(ParsedScript script, Finding finding)
    {
        Statement? best = null;
        foreach (var statement in script.AllStatements())
        {
            if (statement.Span.Start <= finding.Span.Start && finding.Span.Start < statement.Span.End &&
                (best is null || statement.Span.Length <= best.Span.Length))
            {
                best = statement;
            }
        }

        var span = best?.Span ?? finding.Span;
        return finding.Source.ToString(span).Trim();
    }
}
