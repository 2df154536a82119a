using System.Text;

namespace Stepwise.Migrations.Tests;

public sealed class ChecksumsTests
{
    private static readonly byte[] s_bom = [0xEF, 0xBB, 0xBF];

    [Fact]
    public void Sha256_normalized_of_abc_is_the_standard_digest()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Checksums.Sha256Normalized("abc"));
    }

    [Fact]
    public void Crlf_lf_and_a_bom_give_the_same_normalized_checksum()
    {
        var lf = Checksums.Sha256Normalized("SELECT 1;\nSELECT 2;\n");

        Assert.Equal(lf, Checksums.Sha256Normalized("SELECT 1;\r\nSELECT 2;\r\n"));
        Assert.Equal(lf, Checksums.Sha256Normalized("\uFEFFSELECT 1;\r\nSELECT 2;\n"));
        Assert.NotEqual(lf, Checksums.Sha256Normalized("SELECT 1;\nSELECT 3;\n"));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Checksums.Crc32("123456789"u8));
    }

    [Fact]
    public void Flyway_checksum_is_the_crc32_of_the_lines_without_terminators()
    {
        // python3: zlib.crc32(b"CREATE TABLE t (id int);SELECT 1;") as signed int32
        const int expected = -1645056791;

        Assert.Equal(expected, Checksums.FlywayCrc32("CREATE TABLE t (id int);\nSELECT 1;\n"u8));
        Assert.Equal(expected, Checksums.FlywayCrc32("CREATE TABLE t (id int);\r\nSELECT 1;"u8));
        Assert.Equal(expected, Checksums.FlywayCrc32("CREATE TABLE t (id int);\rSELECT 1;\r\n\r\n"u8));
    }

    [Fact]
    public void Flyway_checksum_ignores_a_bom_and_hashes_utf8()
    {
        // python3: zlib.crc32("-- éSELECT 1;".encode()) as signed int32
        var file = s_bom.Concat(Encoding.UTF8.GetBytes("-- é\r\nSELECT 1;\r\n")).ToArray();

        Assert.Equal(-923021905, Checksums.FlywayCrc32(file));
    }

    [Fact]
    public void Flyway_checksum_of_an_empty_file_is_zero()
    {
        Assert.Equal(0, Checksums.FlywayCrc32([]));
    }

    [Fact]
    public void Prisma_and_drizzle_hash_the_raw_bytes()
    {
        // python3: hashlib.sha256(b"SELECT 1;\n") and (b"SELECT 1;\r\n")
        Assert.Equal("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", Checksums.PrismaSha256("SELECT 1;\n"u8));
        Assert.Equal("d3cd5042f97738960d802ad6b3a548dfa18152215118ba18f04493bc6944b0e4", Checksums.PrismaSha256("SELECT 1;\r\n"u8));
        Assert.Equal("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", Checksums.DrizzleHash("SELECT 1;\n"u8));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Checksums.DrizzleHash([]));
    }
}
