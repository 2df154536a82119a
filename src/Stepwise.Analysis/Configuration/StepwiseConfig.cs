using System.Globalization;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;
using Stepwise.Sql;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Stepwise.Analysis.Configuration;

/// <summary>The settings of a `stepwise.toml`. Every value is optional; command-line options win.</summary>
public sealed record StepwiseConfig
{
    public const string FileName = "stepwise.toml";

    /// <summary>Where the file was found (null: no file, defaults only).</summary>
    public string? Path { get; init; }

    public SqlDialect? Dialect { get; init; }

    public int? PgVersion { get; init; }

    public MySqlTarget? MySql { get; init; }

    public string? Layout { get; init; }

    /// <summary>The migrations folder, relative to the config file's folder.</summary>
    public string? Migrations { get; init; }

    public IReadOnlyDictionary<string, Severity?> Rules { get; init; } = new Dictionary<string, Severity?>(StringComparer.Ordinal);

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
                default:
                    problems.Add($"{path}: unknown setting '{key}'");
                    break;
            }
        }

        return config with { Rules = rules };
    }
}

/// <summary>Source-generated TOML metadata: keeps config reading NativeAOT-safe.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
}
