using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class TimestampTimeZoneChangeRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "timestamp-time-zone-change",
        "Changing a column between timestamp and timestamptz",
        Severity.Error,
        RuleCategory.Locking,
        "On PostgreSQL 12+ set the session time zone to UTC earlier in the same migration (`SET LOCAL timezone = 'UTC';`): the change is then metadata only, and the stored values are read as UTC. Before 12, or for another zone: expand/contract (new column, batched backfill, switch, drop the old one).",
        SqlDialect.PostgreSql);

    // zones whose offset is always zero: PostgreSQL 12+ skips the rewrite for these
    private static readonly HashSet<string> Utc = new(StringComparer.OrdinalIgnoreCase)
    {
        "utc", "etc/utc", "gmt", "etc/gmt", "zulu", "etc/zulu", "uct", "etc/uct", "universal", "etc/universal", "gmt0", "etc/gmt0", "0", "+00", "+00:00", "z",
    };

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        var table = context.Schema.Table(alter.Table);
        foreach (var change in alter.Actions.OfType<AlterColumnTypeAction>())
        {
            var old = table?.Column(change.Column)?.Type;
            if (!TypeChanges.IsTimeZoneChange(old, change.NewType) || (change.Using is not null && !ChangingColumnTypeRule.IsPlainColumn(change.Using, change.Column)))
            {
                continue; // other changes and USING expressions: changing-column-type
            }

            var zone = SessionTimeZone(context);
            var utc = zone is not null && Utc.Contains(zone);
            if (utc && context.PgVersion >= 12)
            {
                continue;
            }

            var column = $"{alter.Table}.{change.Column}";
            var why = utc
                ? $"before PostgreSQL 12 (target {context.PgVersion}) it always"
                : zone is null
                    ? "unless the session time zone is UTC (PostgreSQL 12+), it"
                    : $"with the session time zone '{zone}' (not UTC) it";
            context.Report(change.Span,
                $"Changing {column} from {old} to {change.NewType}: {why} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, and the existing values are converted as times in the session time zone.");
        }
    }

    /// <summary>The last SET timezone / SET TIME ZONE of this file before the statement, or null.</summary>
    private static string? SessionTimeZone(RuleContext context) =>
        context.Settings.TryGetValue("timezone", out var zone) ? zone.Trim().Trim('\'', '"') : null;
}
