using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>
/// Property fuzzing of the lexers and splitters: over 100,000 inputs per run across the three dialects.
/// Every input must lex losslessly, split consistently and finish (a watchdog fails a hang). Set
/// STEPWISE_FUZZ_SEED to explore other inputs; a failure prints the seed and a minimal failing input.
/// </summary>
public class FuzzTests
{
    [Fact]
    public void Sql_character_soup_keeps_every_property()
    {
        Assert.Equal(45_000, FuzzRunner.Run("soup", 45_000, FuzzInputs.Soup));
    }

    [Fact]
    public void Mutated_migrations_keep_every_property()
    {
        Assert.Equal(45_000, FuzzRunner.Run("mutant", 45_000, FuzzInputs.Mutant));
    }

    [Fact]
    public void Arbitrary_utf16_keeps_every_property()
    {
        Assert.Equal(15_000, FuzzRunner.Run("noise", 15_000, FuzzInputs.Noise));
    }

    [Fact]
    public void A_failure_reports_the_seed_and_a_shrunk_input()
    {
        static string? FailsOnX(string input, SqlDialect dialect, SplitOptions? options) =>
            input.Contains('x', StringComparison.Ordinal) ? "contains x" : null;

        var ex = Assert.ThrowsAny<Exception>(() => FuzzRunner.Run(
            "self-test", 10, (_, _) => "SELECT 'x' FROM t;", FailsOnX, TimeSpan.FromSeconds(30)));
        Assert.Contains($"STEPWISE_FUZZ_SEED={FuzzRunner.Seed}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Minimal failing input (1 chars): \"x\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hang_fails_instead_of_stalling()
    {
        static string? Hangs(string input, SqlDialect dialect, SplitOptions? options)
        {
            Thread.Sleep(Timeout.Infinite);
            return null;
        }

        var ex = Assert.ThrowsAny<Exception>(() => FuzzRunner.Run(
            "hang-test", 1, (_, _) => "SELECT 1;", Hangs, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("did not finish", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"SELECT 1;\"", ex.Message, StringComparison.Ordinal);
    }
}
