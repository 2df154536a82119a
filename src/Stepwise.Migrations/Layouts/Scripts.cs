namespace Stepwise.Migrations.Layouts;

internal static class Scripts
{
    public const string DrizzleBreakpoint = "--> statement-breakpoint";

    /// <summary>A script from a file read whole; the no-transaction reason, when the layout gives none,
    /// comes from the directives at the top of the text.</summary>
    public static MigrationScript From(ScriptFile file, string? noTransactionReason = null, string? breakpointComment = null) =>
        From(file, file.Text, noTransactionReason, breakpointComment);

    public static MigrationScript From(ScriptFile file, string text, string? noTransactionReason, string? breakpointComment)
    {
        var reason = noTransactionReason ?? ScriptDirectives.FindNoTransaction(text);
        return new MigrationScript
        {
            Path = file.DisplayPath,
            Text = text,
            FileBytes = file.Bytes,
            NoTransaction = reason is not null,
            NoTransactionReason = reason,
            BreakpointComment = breakpointComment,
        };
    }
}
