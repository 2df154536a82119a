using System.Globalization;
using System.Text;
using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>
/// Runs generated inputs through the lexer and splitter in batches under a watchdog, and turns the first
/// violation into a failure message with the seed, the input number and a shrunk failing input.
/// The seed is fixed unless STEPWISE_FUZZ_SEED is set.
/// </summary>
internal static class FuzzRunner
{
    public const int DefaultSeed = 20_240_601;
    private const int BatchSize = 4_000;
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShrinkTimeout = TimeSpan.FromSeconds(20);

    public static readonly SqlDialect[] Dialects = [SqlDialect.PostgreSql, SqlDialect.MySql, SqlDialect.Sqlite];

    private static readonly SplitOptions Breakpoint = new() { BreakpointComment = "--> statement-breakpoint" };

    public static int Seed
    {
        get
        {
            var text = Environment.GetEnvironmentVariable("STEPWISE_FUZZ_SEED");
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;
        }
    }

    /// <summary>Runs <paramref name="count"/> inputs; input i uses its own Random, so it can be reproduced alone.</summary>
    public static int Run(string name, int count, Func<Random, SqlDialect, string> generate) =>
        Run(name, count, generate, Evaluate, BatchTimeout);

    /// <summary>The same with a replaceable property check and timeout, so the runner itself can be tested.</summary>
    public static int Run(
        string name,
        int count,
        Func<Random, SqlDialect, string> generate,
        Func<string, SqlDialect, SplitOptions?, string?> evaluate,
        TimeSpan batchTimeout)
    {
        var seed = Seed;
        var checkedInputs = 0;
        for (var batchStart = 0; batchStart < count; batchStart += BatchSize)
        {
            var batchEnd = Math.Min(count, batchStart + BatchSize);
            var progress = new Progress();
            var start = batchStart;
            var task = Task.Factory.StartNew(
                () => RunBatch(name, seed, start, batchEnd, generate, evaluate, progress),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            if (!task.Wait(batchTimeout))
            {
                Assert.Fail(
                    $"Fuzz '{name}' with seed {seed} (STEPWISE_FUZZ_SEED={seed}): input #{progress.Index} " +
                    $"({progress.Dialect}) did not finish within {batchTimeout.TotalSeconds} s.\n" +
                    $"Input: {Escape(progress.Input)}");
            }

            if (task.Result is { } failure)
            {
                var minimal = ShrinkWithTimeout(failure, evaluate);
                var minimalFailure = evaluate(minimal, failure.Dialect, failure.Options) ?? failure.Message;
                Assert.Fail(
                    $"Fuzz '{name}' with seed {seed} (STEPWISE_FUZZ_SEED={seed}): input #{failure.Index} " +
                    $"({failure.Dialect}, breakpoint option {(failure.Options is null ? "off" : "on")}) fails: {failure.Message}\n" +
                    $"Minimal failing input ({minimal.Length} chars): {Escape(minimal)}\n" +
                    $"  which fails with: {minimalFailure}\n" +
                    $"Original input ({failure.Input.Length} chars): {Escape(Truncate(failure.Input, 4000))}");
            }

            checkedInputs += batchEnd - batchStart;
        }

        return checkedInputs;
    }

    /// <summary>Lexes and splits one input and checks every property; null when all hold.</summary>
    public static string? Evaluate(string input, SqlDialect dialect, SplitOptions? options)
    {
        try
        {
            var tokens = SqlLexer.Tokenize(input, dialect);
            var failure = SplitInvariants.CheckTokens(input, tokens);
            if (failure is not null)
            {
                return "lexer: " + failure;
            }

            var result = StatementSplitter.Split(input, dialect, options);
            failure = SplitInvariants.Check(input, result);
            if (failure is not null)
            {
                return "splitter: " + failure;
            }

            if (options is null && !tokens.AsSpan().SequenceEqual(result.Tokens))
            {
                return "the splitter's tokens differ from the lexer's";
            }

            return null;
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    public static int StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process and would break reproducibility.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static Failure? RunBatch(
        string name,
        int seed,
        int start,
        int end,
        Func<Random, SqlDialect, string> generate,
        Func<string, SqlDialect, SplitOptions?, string?> evaluate,
        Progress progress)
    {
        var nameHash = StableHash(name);
        for (var i = start; i < end; i++)
        {
            var random = new Random(HashCode.Combine(seed, nameHash, i));
            var dialect = Dialects[i % Dialects.Length];
            var input = generate(random, dialect);
            var options = random.Next(2) == 0 ? null : Breakpoint;
            progress.Index = i;
            progress.Dialect = dialect;
            progress.Input = input;
            var message = evaluate(input, dialect, options);
            if (message is not null)
            {
                return new Failure(i, dialect, options, input, message);
            }
        }

        return null;
    }

    private static string ShrinkWithTimeout(Failure failure, Func<string, SqlDialect, SplitOptions?, string?> evaluate)
    {
        var best = new Progress { Input = failure.Input };
        var task = Task.Factory.StartNew(
            () => Shrink(failure, evaluate, best),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            task.Wait(ShrinkTimeout);
        }
        catch (AggregateException)
        {
            // A check that throws while shrinking leaves the smallest input found so far.
        }

        return best.Input;
    }

    /// <summary>Removes ever smaller chunks while the input still fails (a simple delta debugging).</summary>
    private static void Shrink(Failure failure, Func<string, SqlDialect, SplitOptions?, string?> evaluate, Progress best)
    {
        var current = failure.Input;
        var chunk = Math.Max(1, current.Length / 2);
        var budget = 50_000;
        while (budget > 0)
        {
            var reduced = false;
            for (var start = 0; start < current.Length && budget > 0; budget--)
            {
                var candidate = current.Remove(start, Math.Min(chunk, current.Length - start));
                if (evaluate(candidate, failure.Dialect, failure.Options) is not null)
                {
                    current = candidate;
                    best.Input = current;
                    reduced = true;
                }
                else
                {
                    start += chunk;
                }
            }

            if (!reduced)
            {
                if (chunk == 1)
                {
                    break;
                }

                chunk = Math.Max(1, chunk / 2);
            }
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private sealed record Failure(int Index, SqlDialect Dialect, SplitOptions? Options, string Input, string Message);

    private sealed class Progress
    {
        public volatile int Index;
        public volatile string Input = "";

        public SqlDialect Dialect { get; set; }
    }
}
