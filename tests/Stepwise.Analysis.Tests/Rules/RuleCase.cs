using System.Globalization;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Rules;

/// <summary>
/// One case file of a rule: `cases/fire-*.sql` must make the rule fire, `cases/ok-*.sql` must not.
/// Header comments set the context: `-- dialect: mysql`, `-- pg-version: 11`, `-- mysql-version: mariadb-10.11`,
/// `-- down` (the last migration is a down migration), `-- expect: N` (exact count for fire cases).
/// `-- migration: NAME` lines split the file into migrations applied in order; only the last one's findings
/// count, the earlier ones are the history the rule may use.
/// </summary>
public sealed record RuleCase(string Rule, string FileName, string FullPath, bool ShouldFire, int? ExpectedCount, LintOptions Options, bool IsDown, IReadOnlyList<(string Name, string Text)> Migrations)
{
    public override string ToString() => $"{Rule}/{FileName}";

    public static IEnumerable<RuleCase> All()
    {
        foreach (var ruleDir in Directory.GetDirectories(RepoPaths.RulesFolder).Order(StringComparer.Ordinal))
        {
            var casesDir = Path.Combine(ruleDir, "cases");
            if (!Directory.Exists(casesDir))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(casesDir, "*.sql").Order(StringComparer.Ordinal))
            {
                yield return Load(Path.GetFileName(ruleDir), file);
            }
        }
    }

    public static RuleCase Load(string rule, string path)
    {
        var text = File.ReadAllText(path);
        var fileName = Path.GetFileName(path);
        var options = new LintOptions();
        var isDown = false;
        int? expected = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                if (line.Length > 0)
                {
                    break;
                }

                continue;
            }

            var body = line.TrimStart('-').Trim();
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            var key = (colon < 0 ? body : body[..colon]).Trim().ToLowerInvariant();
            var value = colon < 0 ? string.Empty : body[(colon + 1)..].Trim();
            switch (key)
            {
                case "dialect":
                    Assert.True(SqlDialects.TryParse(value, out var d), $"{path}: bad dialect {value}");
                    options = options with { Dialect = d };
                    break;
                case "pg-version":
                    options = options with { PgVersion = int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "mysql-version":
                    Assert.True(MySqlTarget.TryParse(value, out var target), $"{path}: bad mysql-version {value}");
                    options = options with { MySql = target };
                    break;
                case "down":
                    isDown = true;
                    break;
                case "expect":
                    expected = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        var migrations = new List<(string, string)>();
        var current = new System.Text.StringBuilder();
        var name = "0001_case";
        foreach (var raw in text.Split('\n'))
        {
            var trimmed = raw.Trim();
            if (trimmed.StartsWith("-- migration:", StringComparison.OrdinalIgnoreCase))
            {
                if (current.ToString().Trim().Length > 0 || migrations.Count > 0)
                {
                    migrations.Add((name, current.ToString()));
                }

                current.Clear();
                name = trimmed["-- migration:".Length..].Trim();
                continue;
            }

            current.Append(raw).Append('\n');
        }

        migrations.Add((name, current.ToString()));
        var shouldFire = fileName.StartsWith("fire", StringComparison.Ordinal);
        Assert.True(shouldFire || fileName.StartsWith("ok", StringComparison.Ordinal), $"{path}: case files are named fire-*.sql or ok-*.sql");
        return new RuleCase(rule, fileName, path, shouldFire, expected, options, isDown, migrations);
    }

    /// <summary>Lints the case (history then the file under test) and returns the findings of the last migration.</summary>
    public (IReadOnlyList<Finding> Last, IReadOnlyList<Finding> All) Run(string? replaceLastText = null)
    {
        var inputs = new List<LintInput>();
        for (var i = 0; i < Migrations.Count; i++)
        {
            var (name, text) = Migrations[i];
            var last = i == Migrations.Count - 1;
            inputs.Add(new LintInput(new SourceText(last && replaceLastText is not null ? replaceLastText : text, $"{FileName}#{name}")) { IsDown = last && IsDown });
        }

        var report = Linter.Lint(inputs, Options);
        var lastPath = inputs[^1].Source.Path;
        return (report.Findings.Where(f => f.Path == lastPath).ToList(), report.Findings);
    }
}
