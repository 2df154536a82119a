using System.Text;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>Generators of hostile inputs: SQL-significant character soup, mutated migrations, and
/// arbitrary UTF-16 (NULs, control characters, lone surrogates).</summary>
internal static class FuzzInputs
{
    private const string Characters =
        "''''\"\"``$$$---///***\\\\;;;((()))[]\n\n\r\t  #@?:.,EeUu&xXbBnN0123456789_!=<>|%^~{}aAzZ";

    private static readonly string[] Fragments =
    [
        "$$", "$tag$", "$1", "--", "/*", "*/", "/*!", "/*!40101 ", "/*M!", "E'", "e'", "U&'", "U&\"", "''", "\\'",
        "\\\\", "BEGIN", "begin ", "END", " END;", "CASE ", "ATOMIC ", "CREATE ", "OR REPLACE ", "FUNCTION ",
        "PROCEDURE ", "TRIGGER ", "TEMP ", "DELIMITER ", "\nDELIMITER $$\n", "\nDELIMITER ;\n", "\nDELIMITER //\n",
        "\ndelimiter\n", "//", "NOT ATOMIC ", "END IF", "END CASE", "END LOOP", "-->", "--> statement-breakpoint",
        "\n--> statement-breakpoint\n", "\\set x 1\n", "\\gset", "0x", "0b1", "1e", "1.5", "1_0", "@@", "@'", "?1",
        ":name", "$a(", "x'", "[", "]", "::", "->>", "\u00e9", "\u4e2d", "\ud800", "\udc00", "\0", "\v\f", "EXPLAIN ",
        "DO ", "SELECT ", " AS ", ".", "\r\n",
    ];

    /// <summary>Short strings built from SQL-significant characters and fragments.</summary>
    public static string Soup(Random random, SqlDialect dialect)
    {
        _ = dialect;
        var length = random.Next(4) == 0 ? random.Next(400) : random.Next(60);
        var builder = new StringBuilder(length + 32);
        while (builder.Length < length)
        {
            if (random.Next(3) == 0)
            {
                builder.Append(Fragments[random.Next(Fragments.Length)]);
            }
            else
            {
                builder.Append(Characters[random.Next(Characters.Length)]);
            }
        }

        return builder.ToString();
    }

    /// <summary>A realistic migration with one to six random edits: insert, delete, duplicate, swap, splice.</summary>
    public static string Mutant(Random random, SqlDialect dialect)
    {
        var corpus = random.Next(5) == 0 ? SeedCorpus.For(FuzzRunner.Dialects[random.Next(3)]) : SeedCorpus.For(dialect);
        var text = corpus[random.Next(corpus.Length)];
        var edits = 1 + random.Next(6);
        for (var e = 0; e < edits; e++)
        {
            text = Mutate(random, text);
        }

        return text;
    }

    /// <summary>Random UTF-16 code units, biased towards ASCII controls, quotes and surrogates.</summary>
    public static string Noise(Random random, SqlDialect dialect)
    {
        _ = dialect;
        var length = random.Next(120);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(6) switch
            {
                0 => (char)random.Next(0x20),
                1 => (char)random.Next(0xD800, 0xE000),
                2 => (char)random.Next(0x80, 0x10000),
                _ => Characters[random.Next(Characters.Length)],
            };
        }

        return new string(chars);
    }

    private static string Mutate(Random random, string text)
    {
        if (text.Length == 0)
        {
            return Soup(random, SqlDialect.PostgreSql);
        }

        var a = random.Next(text.Length + 1);
        var b = Math.Min(text.Length, a + random.Next(1, 40));
        switch (random.Next(6))
        {
            case 0: // delete a slice
                return text.Remove(a, b - a);
            case 1: // duplicate a slice in place
                return text.Insert(a, text[a..b]);
            case 2: // insert SQL soup
                return text.Insert(a, Soup(random, SqlDialect.PostgreSql));
            case 3: // insert a slice of another migration
            {
                var all = SeedCorpus.For(FuzzRunner.Dialects[random.Next(3)]);
                var other = all[random.Next(all.Length)];
                var c = random.Next(other.Length);
                var d = Math.Min(other.Length, c + random.Next(1, 200));
                return text.Insert(a, other[c..d]);
            }

            case 4: // swap two slices
            {
                var c = random.Next(text.Length + 1);
                var d = Math.Min(text.Length, c + random.Next(1, 40));
                if (c < a)
                {
                    (a, b, c, d) = (c, d, a, b);
                }

                if (c < b)
                {
                    return text.Remove(a, b - a);
                }

                return string.Concat(text.AsSpan(0, a), text.AsSpan(c, d - c), text.AsSpan(b, c - b))
                    + text[a..b] + text[d..];
            }

            default: // truncate
                return text[..a];
        }
    }
}
