using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>Whether the old release still runs, from performance_schema's statement digests: a digest that names an old
/// table (and, for a column, the column) as a quoted identifier and was last seen within the quiet period. The
/// expand-phase backfill (<c>… NOT (b &lt;=&gt; a)</c>), DDL and statements of stepwise's own tables are left out.</summary>
internal sealed partial class MySqlOldNameUsage(MySqlSession session) : IOldNameUsage
{
    public Task<string?> UnavailableBecauseAsync(CancellationToken cancellationToken) => session.Run<string?>(async c =>
    {
        if (!await MySqlExpandContractCatalog.PerformanceSchemaOnAsync(c, cancellationToken).ConfigureAwait(false))
        {
            return "performance_schema is off on this server (it is read at startup: set performance_schema=ON in the server's configuration and restart), so stepwise cannot tell whether the old release still runs";
        }

        try
        {
            await using var cmd = new MySqlCommand("SELECT ENABLED FROM performance_schema.setup_consumers WHERE NAME = 'statements_digest'", c);
            var enabled = Convert.ToString(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            return string.Equals(enabled, "YES", StringComparison.OrdinalIgnoreCase) ? null : "the performance_schema consumer statements_digest is disabled, so stepwise cannot tell whether the old release still runs";
        }
        catch (MySqlException ex)
        {
            return $"stepwise cannot read performance_schema ({ex.Message}); grant SELECT on performance_schema.* to the migration user";
        }
    });

    public Task<IReadOnlyList<EcOldNameUse>> RecentUsesAsync(IReadOnlyList<EcOldName> names, TimeSpan quietPeriod, CancellationToken cancellationToken) => session.Run<IReadOnlyList<EcOldNameUse>>(async c =>
    {
        ArgumentNullException.ThrowIfNull(names);
        await using var cmd = new MySqlCommand("""
            SELECT DIGEST_TEXT, COUNT_STAR, UNIX_TIMESTAMP(LAST_SEEN) FROM performance_schema.events_statements_summary_by_digest
            WHERE SCHEMA_NAME = DATABASE() AND DIGEST_TEXT IS NOT NULL AND LAST_SEEN >= NOW(6) - INTERVAL @us MICROSECOND
            ORDER BY LAST_SEEN DESC
            """, c);
        cmd.Parameters.AddWithValue("@us", (long)quietPeriod.TotalMicroseconds);
        var uses = new List<EcOldNameUse>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = reader.GetString(0);
            if (!Dml().IsMatch(text) || text.Contains("<=>", StringComparison.Ordinal) || text.Contains("`_sw_", StringComparison.OrdinalIgnoreCase)
                || text.Contains("`stepwise_", StringComparison.OrdinalIgnoreCase) || text.Contains("information_schema", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (names.Any(n => Names(text, n.Table) && (n.Column is null || Names(text, n.Column))))
            {
                var seen = reader.IsDBNull(2) ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds((long)(Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture) * 1000));
                uses.Add(new EcOldNameUse(text, Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), seen));
            }
        }

        return uses;
    });

    /// <summary>Digest texts quote identifiers (`name`), except ones that are also keywords, printed bare in upper case
    /// (found: <c>ID</c>); a table in key form is matched by its last part.</summary>
    private static bool Names(string digest, string name)
    {
        var bare = MySqlExpandContractCatalog.Split(name).Name;
        return digest.Contains("`" + bare + "`", StringComparison.OrdinalIgnoreCase)
            || Regex.IsMatch(digest, @"(?<![`\w])" + Regex.Escape(bare) + @"(?![`\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Only the application's statements count: the DDL that created the triggers (CREATE TRIGGER names both
    /// columns), the plan's guarded statements and stepwise's own are not the old release.</summary>
    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|\()", RegexOptions.IgnoreCase)]
    private static partial Regex Dml();
}
