using System.CommandLine;
using Stepwise.Analysis.Rules;

namespace Stepwise.Cli.Commands;

internal static class ExplainCommand
{
    public static Command Create(CliIo io)
    {
        var rule = new Argument<string?>("rule")
        {
            Description = "The rule name, as printed in findings (e.g. non-concurrent-index).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var list = new Option<bool>("--list", "-l") { Description = "List every rule with its severity and title." };
        var command = new Command("explain", "Print a rule's documentation: what it finds, why it is dangerous, and the safe alternative.")
        {
            rule, list,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(rule);
            if (parse.GetValue(list) || name is null)
            {
                var width = RuleCatalog.All.Max(r => r.Descriptor.Name.Length);
                foreach (var r in RuleCatalog.All.OrderBy(r => r.Descriptor.Name, StringComparer.Ordinal))
                {
                    io.Out.WriteLine($"{r.Descriptor.Name.PadRight(width)}  {r.Descriptor.DefaultSeverity.ToString().ToLowerInvariant(),-7}  {r.Descriptor.Title}");
                }

                return name is null && !parse.GetValue(list) ? StepwiseCli.ExitUsage : StepwiseCli.ExitOk;
            }

            var doc = RuleCatalog.Doc(name.Trim().ToLowerInvariant());
            if (doc is null)
            {
                var close = RuleCatalog.All.Select(r => r.Descriptor.Name)
                    .Where(n => n.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(n, StringComparison.OrdinalIgnoreCase))
                    .ToList();
                io.Error.WriteLine($"stepwise: no rule named '{name}'." + (close.Count > 0 ? $" Did you mean: {string.Join(", ", close)}?" : " Run 'stepwise explain --list'."));
                return StepwiseCli.ExitUsage;
            }

            io.Out.Write(doc);
            return StepwiseCli.ExitOk;
        });
        return command;
    }
}
