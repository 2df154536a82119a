using System.Runtime.InteropServices;
using System.Text;

namespace Stepwise.Sql.Tests.Differential;

/// <summary>How the oracle splits: with PostgreSQL's grammar, or with its scanner and a ';'-outside-parens rule.</summary>
internal enum OracleMode
{
    Parser,
    Scanner,
}

/// <summary>The oracle's answer: raw statement spans in characters (leading trivia included), or an error.</summary>
internal sealed record OracleSplit(IReadOnlyList<TextSpan> Statements, string? Error, int ErrorCursor)
{
    public bool Failed => Error is not null;
}

/// <summary>
/// A thin P/Invoke wrapper over libpg_query (Debian package libpg-query-dev), the real PostgreSQL 15 parser.
/// Loaded on first use; <see cref="LoadError"/> says why it could not be.
/// </summary>
internal static class PgQueryOracle
{
    public const string InstallHint = "libpg_query is required for the PostgreSQL differential tests: apt-get install -y libpg-query-dev";

    // The versioned name comes from the runtime package; the plain one from the -dev symlink.
    private static readonly string[] s_candidates =
    [
        "libpg_query.so.1504.0",
        "libpg_query.so",
        "/usr/lib/x86_64-linux-gnu/libpg_query.so.1504.0",
        "/usr/lib/aarch64-linux-gnu/libpg_query.so.1504.0",
        "libpg_query.dylib",
    ];

    private static readonly Lazy<Native?> s_native = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? s_loadError;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate SplitResultNative SplitFunction(byte[] input);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FreeFunction(SplitResultNative result);

    public static bool IsAvailable => s_native.Value is not null;

    public static string? LoadError => s_native.Value is null ? s_loadError : null;

    /// <summary>Splits <paramref name="text"/>; offsets are mapped from UTF-8 bytes back to UTF-16 chars.</summary>
    public static OracleSplit Split(string text, OracleMode mode = OracleMode.Parser)
    {
        var native = s_native.Value ?? throw new InvalidOperationException(InstallHint + " (" + s_loadError + ")");

        // A BOM is not SQL to PostgreSQL; blank it out without moving any character offset.
        var input = text.Length > 0 && text[0] == '\uFEFF' ? " " + text[1..] : text;
        var byteCount = Encoding.UTF8.GetByteCount(input);
        var bytes = new byte[byteCount + 1];
        Encoding.UTF8.GetBytes(input, 0, input.Length, bytes, 0);
        var byteToChar = MapBytesToChars(input, byteCount);

        var result = mode == OracleMode.Parser ? native.SplitWithParser(bytes) : native.SplitWithScanner(bytes);
        try
        {
            if (result.Error != IntPtr.Zero)
            {
                var error = Marshal.PtrToStructure<ErrorNative>(result.Error);
                var message = Marshal.PtrToStringUTF8(error.Message) ?? "unknown error";
                return new OracleSplit([], message, error.CursorPosition);
            }

            var spans = new List<TextSpan>(result.StatementCount);
            for (var i = 0; i < result.StatementCount; i++)
            {
                var statement = Marshal.ReadIntPtr(result.Statements, i * IntPtr.Size);
                var location = Marshal.ReadInt32(statement, 0);
                var length = Marshal.ReadInt32(statement, 4);
                var endByte = length == 0 ? byteCount : location + length;
                location = Math.Clamp(location, 0, byteCount);
                endByte = Math.Clamp(endByte, location, byteCount);
                spans.Add(TextSpan.FromBounds(byteToChar[location], byteToChar[endByte]));
            }

            return new OracleSplit(spans, null, 0);
        }
        finally
        {
            native.Free(result);
        }
    }

    /// <summary>Char offset of each UTF-8 byte offset (a byte inside a sequence maps to its character).</summary>
    internal static int[] MapBytesToChars(string text, int byteCount)
    {
        var map = new int[byteCount + 1];
        var b = 0;
        for (var c = 0; c < text.Length; c++)
        {
            int width;
            var ch = text[c];
            if (char.IsHighSurrogate(ch) && c + 1 < text.Length && char.IsLowSurrogate(text[c + 1]))
            {
                width = 4;
            }
            else
            {
                width = ch < 0x80 ? 1 : ch < 0x800 ? 2 : 3;
            }

            for (var k = 0; k < width && b < byteCount; k++)
            {
                map[b++] = c;
            }

            if (width == 4)
            {
                c++;
            }
        }

        map[byteCount] = text.Length;
        return map;
    }

    private static Native? Load()
    {
        foreach (var candidate in s_candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var handle))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(handle, "pg_query_split_with_parser", out var parser)
                && NativeLibrary.TryGetExport(handle, "pg_query_split_with_scanner", out var scanner)
                && NativeLibrary.TryGetExport(handle, "pg_query_free_split_result", out var free))
            {
                return new Native(
                    Marshal.GetDelegateForFunctionPointer<SplitFunction>(parser),
                    Marshal.GetDelegateForFunctionPointer<SplitFunction>(scanner),
                    Marshal.GetDelegateForFunctionPointer<FreeFunction>(free));
            }

            s_loadError = candidate + " lacks pg_query_split_with_parser (libpg_query too old?)";
            return null;
        }

        s_loadError = "none of " + string.Join(", ", s_candidates) + " could be loaded";
        return null;
    }

    private sealed record Native(SplitFunction SplitWithParser, SplitFunction SplitWithScanner, FreeFunction Free);

    // Layouts from pg_query.h (15-4.0.0): PgQuerySplitResult and PgQueryError.
    [StructLayout(LayoutKind.Sequential)]
    private struct SplitResultNative
    {
        public IntPtr Statements;
        public int StatementCount;
        public IntPtr StderrBuffer;
        public IntPtr Error;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ErrorNative
    {
        public IntPtr Message;
        public IntPtr FunctionName;
        public IntPtr FileName;
        public int LineNumber;
        public int CursorPosition;
        public IntPtr Context;
    }
}
