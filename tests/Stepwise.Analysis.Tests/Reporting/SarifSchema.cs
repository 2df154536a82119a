using System.Text;
using System.Text.Json;
using Json.Schema;

namespace Stepwise.Analysis.Tests.Reporting;

/// <summary>
/// The official OASIS SARIF 2.1.0 schema, installed outside the repository by tests/setup-sarif-schema.sh
/// (its licence and provenance keep it out of the source tree).
/// </summary>
internal static class SarifSchema
{
    public const string EnvironmentVariable = "STEPWISE_SARIF_SCHEMA";
    public const string WellKnownPath = "/opt/stepwise-test/sarif/sarif-schema-2.1.0.json";

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var path = string.IsNullOrWhiteSpace(fromEnvironment) ? WellKnownPath : fromEnvironment;
        if (!File.Exists(path))
        {
            // no quiet skip: a missing schema would let invalid SARIF through unnoticed
            Assert.Fail(
                $"The SARIF 2.1.0 schema is not at {path}. Install it with `bash tests/setup-sarif-schema.sh` " +
                $"(writes {WellKnownPath}), or set {EnvironmentVariable} to the schema's path.");
        }

        return path;
    }

    /// <summary>Evaluates a document and returns the errors, one a line; empty when valid.</summary>
    public static (bool IsValid, string Errors) Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(
            document.RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return (results.IsValid, Describe(results));
    }

    private static JsonSchema Load()
    {
        var path = Locate();
        // a registry of its own, so building the schema never collides with another test's registration
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schema = JsonSchema.FromText(File.ReadAllText(path), options);

        // the OASIS file declares draft-07; make sure that is what the evaluator took it for
        using var text = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("http://json-schema.org/draft-07/schema#", text.RootElement.GetProperty("$schema").GetString());
        return schema;
    }

    private static string Describe(EvaluationResults results)
    {
        var sb = new StringBuilder();
        foreach (var node in results.Details ?? [])
        {
            foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
            {
                sb.Append(node.InstanceLocation).Append(" (").Append(node.EvaluationPath).Append(' ')
                    .Append(keyword).Append("): ").Append(message).Append('\n');
            }
        }

        return sb.ToString();
    }
}
