namespace Stepwise.Migrations.Layouts;

/// <summary>
/// The order of a migration within its layout. Numeric versions compare as numbers of any length
/// (leading zeros ignored: 2 &lt; 10, 0001 = 1); Flyway versions compare segment by segment
/// (1.2 &lt; 1.10, 1.0 = 1); Flyway repeatables come after every versioned migration, by description;
/// Prisma sorts by directory name (ordinal); Drizzle by position in its journal.
/// Keys from different layouts are not meant to be compared.
/// </summary>
public sealed class VersionKey : IComparable<VersionKey>, IEquatable<VersionKey>
{
    private const int VersionedGroup = 0;
    private const int RepeatableGroup = 1;

    private readonly int _group;
    private readonly string[] _numbers; // digits without leading zeros; trailing zero segments dropped
    private readonly int _kindRank;     // a Flyway baseline sorts before the versioned migration of its version
    private readonly string _text;      // description, directory name, or a version that is not numeric

    private VersionKey(int group, string[] numbers, int kindRank, string text)
    {
        _group = group;
        _numbers = numbers;
        _kindRank = kindRank;
        _text = text;
    }

    /// <summary>The key of a version string as the layout writes it (a file name's version, or a version
    /// read from another tool's history table, e.g. golang-migrate's bigint 1 equals the file's 0001).
    /// A version that is not numeric where the layout expects numbers compares by its text, before
    /// every numeric one.</summary>
    public static VersionKey Parse(LayoutKind layout, string version) => layout.ParseVersion(version);

    internal static VersionKey Numeric(string digits) =>
        new(VersionedGroup, [TrimLeadingZeros(digits)], 0, string.Empty);

    /// <summary>Flyway: '.' or '_' separate numeric segments.</summary>
    internal static VersionKey Dotted(string version, MigrationKind kind)
    {
        var parts = version.Split(['.', '_']);
        if (parts.Any(p => !IsDigits(p)))
        {
            return new VersionKey(VersionedGroup, [], KindRank(kind), version);
        }

        var count = parts.Length;
        while (count > 1 && TrimLeadingZeros(parts[count - 1]) == "0")
        {
            count--;
        }

        var numbers = new string[count];
        for (var i = 0; i < count; i++)
        {
            numbers[i] = TrimLeadingZeros(parts[i]);
        }

        return new VersionKey(VersionedGroup, numbers, KindRank(kind), string.Empty);
    }

    internal static VersionKey Repeatable(string description) => new(RepeatableGroup, [], 0, description);

    internal static VersionKey Named(string name) => new(VersionedGroup, [], 0, name);

    internal static VersionKey Position(int index) =>
        Numeric(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Orders keys as the layout applies migrations (see the type's summary); null sorts first.</summary>
    public int CompareTo(VersionKey? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = _group.CompareTo(other._group);
        if (c != 0)
        {
            return c;
        }

        var shared = Math.Min(_numbers.Length, other._numbers.Length);
        for (var i = 0; i < shared; i++)
        {
            c = CompareDigits(_numbers[i], other._numbers[i]);
            if (c != 0)
            {
                return c;
            }
        }

        // Trailing zero segments were dropped, so the longer one has a non-zero segment left and is greater.
        c = _numbers.Length.CompareTo(other._numbers.Length);
        if (c != 0)
        {
            return c;
        }

        c = _kindRank.CompareTo(other._kindRank);
        return c != 0 ? c : string.CompareOrdinal(_text, other._text);
    }

    /// <summary>True when the keys sort equal (e.g. 0001 and 1, 1.0 and 1).</summary>
    public bool Equals(VersionKey? other) => other is not null && CompareTo(other) == 0;

    /// <summary>True when <paramref name="obj"/> is a <see cref="VersionKey"/> that sorts equal to this one.</summary>
    public override bool Equals(object? obj) => obj is VersionKey other && Equals(other);

    /// <summary>A hash consistent with <see cref="Equals(VersionKey?)"/>.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_group);
        foreach (var n in _numbers)
        {
            hash.Add(n, StringComparer.Ordinal);
        }

        hash.Add(_kindRank);
        hash.Add(_text, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <summary>The normalised version (numbers without leading zeros, dotted), <c>R__description</c> for a repeatable, or the name.</summary>
    public override string ToString() =>
        _group == RepeatableGroup ? "R__" + _text
        : _numbers.Length > 0 ? string.Join('.', _numbers)
        : _text;

    /// <summary>Equal keys, or both null.</summary>
    public static bool operator ==(VersionKey? left, VersionKey? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Not equal keys (one null and the other not, or keys that sort differently).</summary>
    public static bool operator !=(VersionKey? left, VersionKey? right) => !(left == right);

    /// <summary><paramref name="left"/> sorts before <paramref name="right"/> (null sorts first).</summary>
    public static bool operator <(VersionKey? left, VersionKey? right) => Compare(left, right) < 0;

    /// <summary><paramref name="left"/> sorts before or equal to <paramref name="right"/> (null sorts first).</summary>
    public static bool operator <=(VersionKey? left, VersionKey? right) => Compare(left, right) <= 0;

    /// <summary><paramref name="left"/> sorts after <paramref name="right"/> (null sorts first).</summary>
    public static bool operator >(VersionKey? left, VersionKey? right) => Compare(left, right) > 0;

    /// <summary><paramref name="left"/> sorts after or equal to <paramref name="right"/> (null sorts first).</summary>
    public static bool operator >=(VersionKey? left, VersionKey? right) => Compare(left, right) >= 0;

    private static int Compare(VersionKey? left, VersionKey? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static int KindRank(MigrationKind kind) => kind == MigrationKind.Baseline ? 0 : 1;

    internal static bool IsDigits(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        return true;
    }

    private static string TrimLeadingZeros(string digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    // Both are digit strings without leading zeros: the longer is the larger number.
    private static int CompareDigits(string a, string b)
    {
        var c = a.Length.CompareTo(b.Length);
        return c != 0 ? c : string.CompareOrdinal(a, b);
    }
}
