using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Stepwise.Migrations;

/// <summary>The checksums Stepwise records, and the ones other tools record, so their history tables can be
/// read and compared.</summary>
public static class Checksums
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>Stepwise's own: lowercase hex SHA-256 of the UTF-8 text with a BOM removed and CRLF turned
    /// into LF, so a checkout with other line endings does not look like a changed migration.</summary>
    public static string Sha256Normalized(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.StartsWith('\uFEFF') ? text[1..] : text;
        normalized = normalized.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }

    /// <summary>Flyway's checksum (flyway_schema_history.checksum): CRC-32 over the UTF-8 bytes of each line
    /// without its terminator (\n, \r or \r\n, as Java's readLine splits), BOM removed, as a signed int32.
    /// Since the CRC runs on across lines, that is the CRC-32 of the file without its line breaks.</summary>
    public static int FlywayCrc32(ReadOnlySpan<byte> fileBytes)
    {
        if (!Utf8.IsValid(fileBytes))
        {
            // Flyway decodes with replacement characters; re-encoding the decoded text gives its bytes.
            fileBytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(fileBytes));
        }

        if (fileBytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            fileBytes = fileBytes[3..];
        }

        var crc = 0xFFFFFFFFu;
        foreach (var b in fileBytes)
        {
            if (b != (byte)'\n' && b != (byte)'\r')
            {
                crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
        }

        return unchecked((int)~crc);
    }

    /// <summary>Prisma's checksum (_prisma_migrations.checksum): lowercase hex SHA-256 of the file as stored.</summary>
    public static string PrismaSha256(ReadOnlySpan<byte> fileBytes) => Convert.ToHexStringLower(SHA256.HashData(fileBytes));

    /// <summary>Drizzle's hash (__drizzle_migrations.hash): lowercase hex SHA-256 of the file as stored
    /// (drizzle-orm hashes the file's text, which for UTF-8 is the same bytes).</summary>
    public static string DrizzleHash(ReadOnlySpan<byte> fileBytes) => Convert.ToHexStringLower(SHA256.HashData(fileBytes));

    /// <summary>Plain CRC-32 (IEEE 802.3, the zlib/java.util.zip one). System.IO.Hashing is not part of the
    /// shared framework, so it is computed here.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
