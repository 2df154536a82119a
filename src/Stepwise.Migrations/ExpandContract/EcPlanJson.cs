using System.Text.Json;
using System.Text.Json.Serialization;
using Stepwise.Engines;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>The stored form of an <see cref="EcPlan"/> in the journal's <c>plan</c> column: JSON of its strings
/// only (steps, backfills, tables, old names), written by a source-generated serializer (no reflection: AOT).</summary>
public static class EcPlanJson
{
    /// <summary>The plan as JSON.</summary>
    public static string Write(EcPlan plan) => JsonSerializer.Serialize(plan, EcPlanJsonContext.Default.EcPlan);

    /// <summary>The stored plan; null with a reason when the text is not one (a corrupt or hand-edited row).</summary>
    public static EcPlan? Read(string? json, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            problem = "its journal row holds no plan";
            return null;
        }

        try
        {
            var plan = JsonSerializer.Deserialize(json, EcPlanJsonContext.Default.EcPlan);
            if (plan is null || plan.Expand is null || plan.Contract is null || plan.Abort is null || plan.Backfills is null || plan.Tables is null || plan.OldNames is null)
            {
                problem = "its stored plan is incomplete";
                return null;
            }

            return plan;
        }
        catch (JsonException ex)
        {
            problem = "its stored plan cannot be read: " + ex.Message;
            return null;
        }
    }
}

/// <summary>The source-generated serializer of <see cref="EcPlan"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EcPlan))]
internal sealed partial class EcPlanJsonContext : JsonSerializerContext;
