using System.Text;

namespace Stepwise.Sql.Tests.Differential;

/// <summary>
/// Generates scanner-valid (not grammar-valid) PostgreSQL text dense in lexical traps: ';' and quotes inside
/// strings, identifiers, dollar quotes and comments. Every statement starts with a keyword and has no ';'
/// inside parentheses, so libpg_query's scanner split is an exact oracle for it.
/// </summary>
internal static class LexicalFuzz
{
    private static readonly string[] s_words =
    [
        "foo", "bar_2", "x$y", "t1", "café", "名前", "_under", "a$$b", "Mixed", "col$", "z9",
    ];

    private static readonly string[] s_atoms =
    [
        "\"we;ird\"", "\"q\"\"uote;\"", "\"--not a comment\"", "\"/* nor this\"", "U&\"d\\0061t;a\"", "\"$$\"",
        "'a;b'", "'it''s; fine'", "'--x'", "'/* x'", "'$$'", "'\"'", "E'\\'; \\\\'", "e'\\\\'", "E'a\\'b;'",
        "E'\\x41;\\n'", "U&'d\\0061t;'", "U&'x!0061;' UESCAPE '!'", "B'0101'", "X'FF'", "N'n;'", "'multi\nline;'",
        "'a'\n'b;'", "$$ ; $$", "$a$ $$ ; $a$", "$b$ $a$ x; $a$ ; $b$", "$_x1$ '; $_x1$", "$$ 'x'' $$",
        "$$--;$$", "$$/*;$$", "$q$ $Q$; $q$", "$ü$ ; $ü$", "$$$$", "$1", "$23", "1", "1.5", ".5e3", "42::text",
        "+", "-", "*", "/", "<>", "||", "->>", "@>", "~", "!=", "=", "%", "&", "#-", ",", ".", "[1]", ":",
        "(foo)", "(1, 'x;y')", "(($$;$$))", "(\"a;b\" -- ; in a comment\n)", "( /* ; */ )",

        // No ordinary string ending in a backslash ('a\'): after an E'' string and a newline it would become an
        // escaped continuation and swallow the rest. PostgresSplitDifferentialTests pins those cases down one by one.
        "E'a\\\\''b;'", "foo'a;b'", "U&\"d!0061t\" UESCAPE '!'", "'crlf\r\n;'", "\"new\nline;\"",
    ];

    private static readonly string[] s_trivia =
    [
        " ", "  ", "\n", "\t", "\r\n", " -- c ; ' \" $$\n", "/* a ; ' \" */", "/* /* ; */ still ; */", "/**/",
        "--\n", "/* -- */", "/* $$ */", "/*\n;\n*/", " --;\n", "\n-- trailing ' quote\n",
        " -- a carriage return also ends a line comment\r", "\f", "/* a /*/ b */ */", "/* '*/",
    ];

    /// <summary>One fuzz input with a number of statements; deterministic for a seed.</summary>
    public static string Generate(Random random, int statements)
    {
        var sb = new StringBuilder();
        AppendTrivia(random, sb, 0.5);
        for (var s = 0; s < statements; s++)
        {
            sb.Append(random.Next(3) switch { 0 => "SELECT", 1 => "select", _ => "Select" });
            var atoms = random.Next(0, 7);
            for (var a = 0; a < atoms; a++)
            {
                Separator(random, sb);
                sb.Append(random.Next(3) == 0 ? s_words[random.Next(s_words.Length)] : s_atoms[random.Next(s_atoms.Length)]);
            }

            var last = s == statements - 1;
            if (last && random.Next(4) == 0)
            {
                // No terminator: the statement runs to the end, maybe followed by a comment.
                AppendTrivia(random, sb, 0.5);
                break;
            }

            AppendTrivia(random, sb, 0.3);
            sb.Append(';');

            // Empty statements between terminators.
            while (random.Next(6) == 0)
            {
                AppendTrivia(random, sb, 0.5);
                sb.Append(';');
            }

            AppendTrivia(random, sb, 0.7);
        }

        return sb.ToString();
    }

    private static void Separator(Random random, StringBuilder sb)
    {
        if (random.Next(4) == 0)
        {
            sb.Append(s_trivia[random.Next(s_trivia.Length)]);
        }

        sb.Append(' ');
    }

    private static void AppendTrivia(Random random, StringBuilder sb, double probability)
    {
        while (random.NextDouble() < probability)
        {
            sb.Append(s_trivia[random.Next(s_trivia.Length)]);
            probability /= 2;
        }
    }
}
