using System.Text;
using System.Text.Json;

namespace Stepwise.Cli.Tests;

public sealed class LintCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("stepwise-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_temp, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonElement Json(CliResult r) => JsonDocument.Parse(r.Out).RootElement;

    [Fact]
    public void Unsafe_example_reports_errors_and_exits_1()
    {
        var r = CliRunner.Run("lint", "examples/unsafe");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("examples/unsafe/20240103000000_index_email.up.sql:2:1: error[non-concurrent-index]", r.Out, StringComparison.Ordinal);
        Assert.Contains("= help: Use CREATE INDEX CONCURRENTLY", r.Out, StringComparison.Ordinal);
        Assert.Contains("^^^^", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Safe_example_is_clean()
    {
        var r = CliRunner.Run("lint", "--format", "json", "examples/safe");
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Equal(0, Json(r).GetProperty("diagnostics").GetArrayLength());
        Assert.True(Json(r).GetProperty("files").GetInt32() >= 10);
    }

    [Fact]
    public void Json_output_follows_the_contract()
    {
        var r = CliRunner.Run("lint", "--format", "json", "examples/unsafe");
        var root = Json(r);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("files").ValueKind);
        var d = root.GetProperty("diagnostics").EnumerateArray().First(x => x.GetProperty("rule").GetString() == "non-concurrent-index");
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal("examples/unsafe/20240103000000_index_email.up.sql", d.GetProperty("path").GetString());
        Assert.Equal(2, d.GetProperty("line").GetInt32());
        Assert.Equal(1, d.GetProperty("column").GetInt32());
        Assert.Equal(2, d.GetProperty("endLine").GetInt32());
        Assert.Equal(46, d.GetProperty("endColumn").GetInt32());
        Assert.False(string.IsNullOrEmpty(d.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(d.GetProperty("help").GetString()));
    }

    [Fact]
    public void Standard_input_is_linted_with_ef_core_transaction_wrappers()
    {
        const string ef = "START TRANSACTION;\nCREATE INDEX ix_orders_user ON orders (user_id);\nCOMMIT;\n";
        var r = CliRunner.RunWithInput(ef, "lint", "--format", "json", "-");
        Assert.Equal(1, r.ExitCode);
        var d = Assert.Single(Json(r).GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("non-concurrent-index", d.GetProperty("rule").GetString());
        Assert.Equal("-", d.GetProperty("path").GetString());
        Assert.Equal(2, d.GetProperty("line").GetInt32());
    }

    [Fact]
    public void Missing_path_is_a_usage_error()
    {
        var r = CliRunner.Run("lint", "no/such/folder");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no such file or folder: no/such/folder", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_and_bad_format_are_usage_errors()
    {
        Assert.Equal(2, CliRunner.Run("lint", "--no-such-option").ExitCode);
        var bad = CliRunner.Run("lint", "--format", "xml", "examples/safe");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("xml", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_utf8_file_is_a_syntax_error_finding_not_a_crash()
    {
        var path = Path.Combine(_temp, "latin1.sql");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("-- caf"), 0xE9, .. Encoding.ASCII.GetBytes("\nSELECT 1;\n")]);
        var r = CliRunner.Run("lint", "--format", "json", path);
        Assert.Equal(1, r.ExitCode);
        var d = Assert.Single(Json(r).GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("syntax-error", d.GetProperty("rule").GetString());
        Assert.Contains("not UTF-8", d.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_file_is_reported_clearly()
    {
        var path = Path.Combine(_temp, "blob.sql");
        File.WriteAllBytes(path, [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2, 3]);
        var r = CliRunner.Run("lint", path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("binary file", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_clean()
    {
        var r = CliRunner.Run("lint", Write("empty.sql", string.Empty));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("No problems found", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Bom_and_crlf_keep_positions_right()
    {
        var path = Path.Combine(_temp, "crlf.sql");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("-- one\r\n\r\n  CREATE INDEX i ON t (a);\r\n")]);
        var r = CliRunner.Run("lint", "--format", "json", path);
        var d = Assert.Single(Json(r).GetProperty("diagnostics").EnumerateArray());
        Assert.Equal(3, d.GetProperty("line").GetInt32());
        Assert.Equal(3, d.GetProperty("column").GetInt32());
    }

    [Fact]
    public void Large_file_is_linted()
    {
        var sb = new StringBuilder();
        var i = 0;
        while (sb.Length < 50 * 1024 * 1024)
        {
            sb.Append("ALTER TABLE t").Append(i % 100).Append(" ADD COLUMN c").Append(i).Append(" text; -- filler to make the file big enough\n");
            i++;
        }

        sb.Append("CREATE INDEX i ON t1 (a);\n");
        var r = CliRunner.Run("lint", "--format", "json", Write("big.sql", sb.ToString()));
        Assert.Equal(1, r.ExitCode);
        var d = Assert.Single(Json(r).GetProperty("diagnostics").EnumerateArray());
        Assert.Equal(i + 1, d.GetProperty("line").GetInt32());
    }

    [Fact]
    public void Suppression_with_reason_silences_and_unused_one_is_reported()
    {
        var r = CliRunner.Run("lint", "--format", "json", Write("s.sql", "-- stepwise:ignore non-concurrent-index table is tiny\nCREATE INDEX i ON t (a);\n-- stepwise:ignore drop-column nothing here\nSELECT 1;\n"));
        var rules = Json(r).GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("rule").GetString()).ToList();
        Assert.Equal(["unused-suppression"], rules);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Config_file_sets_dialect_and_rule_severity()
    {
        Write("proj/stepwise.toml", "dialect = \"postgres\"\npg-version = 11\n[rules]\nnon-concurrent-index = \"off\"\ndrop-column = \"error\"\n");
        var file = Write("proj/m.sql", "CREATE INDEX i ON t (a);\nALTER TABLE t DROP COLUMN b;\n");
        var r = CliRunner.Run("lint", "--format", "json", "--config", Path.Combine(_temp, "proj/stepwise.toml"), file);
        var d = Assert.Single(Json(r).GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("drop-column", d.GetProperty("rule").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public void Bad_config_is_a_usage_error_with_the_reason()
    {
        Write("bad/stepwise.toml", "[rules]\nno-such-rule = \"error\"\n");
        var r = CliRunner.Run("lint", "--config", Path.Combine(_temp, "bad/stepwise.toml"), "examples/safe");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown rule 'no-such-rule'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_and_other_formats_render()
    {
        var sarif = CliRunner.Run("lint", "--format", "sarif", "examples/unsafe");
        Assert.Equal("2.1.0", JsonDocument.Parse(sarif.Out).RootElement.GetProperty("version").GetString());
        Assert.Contains("::error file=examples/unsafe/", CliRunner.Run("lint", "--format", "github", "examples/unsafe").Out, StringComparison.Ordinal);
        var markdown = CliRunner.Run("lint", "--format", "markdown", "examples/unsafe").Out;
        Assert.StartsWith("### Stepwise lint:", markdown, StringComparison.Ordinal);
        Assert.Contains("| :x: error | [`non-concurrent-index`]", markdown, StringComparison.Ordinal);
    }
}
