using System.Globalization;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;
using Stepwise.Sql;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Stepwise.Analysis.Configuration;

/// <summary>The settings of a `stepwise.toml`. Every value is optional; command-line options win.</summary>
public sealed partial record StepwiseConfig
{
    /// <summary>The config file's name, looked for by <see cref="Find"/>.</summary>
    public const string FileName = "stepwise.toml";

    /// <summary>Where the file was found (null: no file, defaults only).</summary>
    public string? Path { get; init; }

    /// <summary><c>dialect</c>: postgres, mysql or sqlite.</summary>
    public SqlDialect? Dialect { get; init; }

    /// <summary><c>pg-version</c>: the target PostgreSQL major version.</summary>
    public int? PgVersion { get; init; }

    /// <summary><c>mysql-version</c>: the target MySQL or MariaDB server.</summary>
    public MySqlTarget? MySql { get; init; }

    /// <summary><c>layout</c>: the migration folder layout's name as written (checked by the caller).</summary>
    public string? Layout { get; init; }

    /// <summary>The migrations folder, relative to the config file's folder.</summary>
    public string? Migrations { get; init; }

    /// <summary><c>small-table</c>: with <c>lint --database</c>, tables with fewer estimated rows are small (their
    /// locking findings drop to info); default <see cref="SizeAwareLint.DefaultSmallTable"/>.</summary>
    public long? SmallTable { get; init; }

    /// <summary><c>[rules]</c>: per-rule severity overrides; null ("off") turns a rule off.</summary>
    public IReadOnlyDictionary<string, Severity?> Rules { get; init; } = new Dictionary<string, Severity?>(StringComparer.Ordinal);

    /// <summary>`[[ignore]]` entries: suppressions for migrations that must not change (see <see cref="FileSuppression"/>).</summary>
    public IReadOnlyList<FileSuppression> Ignores { get; init; } = [];

    /// <summary>Looks for stepwise.toml in the folder and each parent.</summary>
    public static string? Find(string startFolder)
    {
        var dir = new DirectoryInfo(System.IO.Path.GetFullPath(startFolder));
        while (dir is not null)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        return null;
    }

    /// <summary>Reads and validates a config file. Errors are returned, never thrown.</summary>
    public static StepwiseConfig Load(string path, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        errors = problems;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot read: {ex.Message}");
            return new StepwiseConfig { Path = path };
        }

        return Parse(text, path, problems);
    }

    /// <summary>Reads config text; problems are added to <paramref name="problems"/>, never thrown.</summary>
    /// <param name="text">The TOML text.</param>
    /// <param name="path">The file's path, for <see cref="Path"/> and to prefix each problem.</param>
    /// <param name="problems">Receives one message per problem.</param>
    public static StepwiseConfig Parse(string text, string path, List<string> problems)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize(text, ConfigTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            problems.Add($"{path}: not valid TOML: {ex.Message}");
            return new StepwiseConfig { Path = path };
        }

        var config = new StepwiseConfig { Path = path };
        var rules = new Dictionary<string, Severity?>(StringComparer.Ordinal);
        var ignores = new List<FileSuppression>();
        foreach (var (key, value) in table)
        {
            switch (key)
            {
                case "dialect":
                    if (value is string d && SqlDialects.TryParse(d, out var dialect))
                    {
                        config = config with { Dialect = dialect };
                    }
                    else
                    {
                        problems.Add($"{path}: dialect must be \"postgres\", \"mysql\" or \"sqlite\"");
                    }

                    break;
                case "pg-version" or "pg_version":
                    if (value is long v && v is >= 9 and <= 30)
                    {
                        config = config with { PgVersion = (int)v };
                    }
                    else if (value is string vs && int.TryParse(vs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var vi))
                    {
                        config = config with { PgVersion = vi };
                    }
                    else
                    {
                        problems.Add($"{path}: pg-version must be a PostgreSQL major version such as 15");
                    }

                    break;
                case "mysql-version" or "mysql_version":
                    if (MySqlTarget.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var target))
                    {
                        config = config with { MySql = target };
                    }
                    else
                    {
                        problems.Add($"{path}: mysql-version must look like \"8.0.35\" or \"mariadb-10.11\"");
                    }

                    break;
                case "small-table" or "small_table":
                    if (value is long rows && rows >= 0)
                    {
                        config = config with { SmallTable = rows };
                    }
                    else
                    {
                        problems.Add($"{path}: small-table must be a row count such as 10000");
                    }

                    break;
                case "layout":
                    config = config with { Layout = value as string };
                    break;
                case "migrations" or "dir":
                    config = config with { Migrations = value as string };
                    break;
                case "rules" when value is TomlTable ruleTable:
                    foreach (var (name, setting) in ruleTable)
                    {
                        if (RuleCatalog.Find(name) is null)
                        {
                            problems.Add($"{path}: [rules] names unknown rule '{name}' (see `stepwise explain --list`)");
                            continue;
                        }

                        var s = setting as string;
                        if (s is "off" or "false" || setting is false)
                        {
                            rules[name] = null;
                        }
                        else if (Severities.TryParse(s, out var severity))
                        {
                            rules[name] = severity;
                        }
                        else if (setting is true)
                        {
                            rules[name] = RuleCatalog.Find(name)!.Descriptor.DefaultSeverity;
                        }
                        else
                        {
                            problems.Add($"{path}: rule '{name}' must be \"error\", \"warning\", \"info\" or \"off\"");
                        }
                    }

                    break;
                case "ignore" when value is TomlTableArray entries:
                    foreach (var entry in entries)
                    {
                        if (ReadIgnore(entry, path, problems) is { } ignore)
                        {
                            ignores.Add(ignore);
                        }
                    }

                    break;
                default:
                    problems.Add($"{path}: unknown setting '{key}'");
                    break;
            }
        }

        return config with { Rules = rules, Ignores = ignores };
    }
}

public sealed partial record StepwiseConfig
{
    private static FileSuppression? ReadIgnore(TomlTable entry, string path, List<string> problems)
    {
        var version = entry.TryGetValue("version", out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        var file = entry.TryGetValue("file", out var f) ? f as string : null;
        var reason = entry.TryGetValue("reason", out var r) ? (r as string)?.Trim() : null;
        var rules = new HashSet<string>(StringComparer.Ordinal);
        if (entry.TryGetValue("rules", out var listed))
        {
            foreach (var item in listed is TomlArray array ? array.Select(x => x as string) : [listed as string])
            {
                if (item is "all" or "*")
                {
                    rules.Add("all");
                }
                else if (item is not null && RuleCatalog.Find(item) is not null)
                {
                    rules.Add(item);
                }
                else
                {
                    problems.Add($"{path}: [[ignore]] names unknown rule '{item}' (see `stepwise explain --list`, or \"all\")");
                }
            }
        }

        foreach (var key in entry.Keys.Where(k => k is not ("version" or "file" or "rules" or "reason")))
        {
            problems.Add($"{path}: [[ignore]] has unknown key '{key}' (version, file, rules, reason)");
        }

        if ((version is null) == (file is null))
        {
            problems.Add($"{path}: an [[ignore]] entry needs exactly one of version = \"…\" or file = \"…\"");
            return null;
        }

        if (rules.Count == 0)
        {
            problems.Add($"{path}: an [[ignore]] entry needs rules = [\"rule-name\", …] (or [\"all\"])");
            return null;
        }

        if (string.IsNullOrEmpty(reason))
        {
            problems.Add($"{path}: an [[ignore]] entry needs reason = \"…\": why the finding is accepted");
            return null;
        }

        return new FileSuppression(version, file, rules, reason, path);
    }
}

/// <summary>Source-generated TOML metadata: keeps config reading NativeAOT-safe.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
}
