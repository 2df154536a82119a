using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests;

/// <summary>Parsing of --database URLs: every query parameter is either applied or refused by name, and the
/// password never shows in <see cref="DatabaseTarget.Redacted"/>, an error, or a scrubbed message.</summary>
public sealed class DatabaseTargetTests
{
    private static DatabaseTarget Parse(string url)
    {
        Assert.True(DatabaseTarget.TryParse(url, out var target, out var error), $"{url}: {error}");
        return target!;
    }

    private static string Refuse(string url)
    {
        Assert.False(DatabaseTarget.TryParse(url, out _, out var error), url + " was accepted");
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }

    [Theory]
    [InlineData("postgres://admin:pw@db.example:5433", "postgres")]
    [InlineData("postgres://admin:pw@db.example:5433/", "postgres")]
    [InlineData("mysql://root@127.0.0.1:3307", "information_schema")]
    [InlineData("mariadb://root:pw@127.0.0.1/?ssl-mode=disabled", "information_schema")]
    [InlineData("postgres://admin@db.example/scratch_here", "scratch_here")]
    public void A_server_url_without_a_database_logs_in_to_the_one_every_server_has(string url, string database)
    {
        Assert.True(DatabaseTarget.TryParseServer(url, out var target, out var error), $"{url}: {error}");
        Assert.Equal(database, target!.Database);
        Assert.DoesNotContain("pw@", target.Redacted, StringComparison.Ordinal);

        // a --database URL must still name its database
        Assert.Contains("names no database", Refuse(url.Replace("/scratch_here", string.Empty, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_host_parameter_names_a_unix_socket_folder_and_port_parameter_its_port()
    {
        var t = Parse("postgres://postgres@/db?host=/path/to/socket&port=5433");

        Assert.Equal("/path/to/socket", t.Host);
        Assert.Equal(5433, t.Port);
        Assert.Equal("db", t.Database);
        Assert.Equal("postgres://postgres@/db?host=/path/to/socket&port=5433", t.Redacted);
    }

    [Fact]
    public void Postgres_percent_encoded_host_is_a_unix_socket_folder()
    {
        var t = Parse("postgresql://stepwise:sw0rdfish@%2Fvar%2Frun%2Fpostgresql:5433/app");

        Assert.Equal("/var/run/postgresql", t.Host);
        Assert.Equal(5433, t.Port);
        Assert.DoesNotContain("sw0rdfish", t.Redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_host_and_port_override_those_of_the_authority()
    {
        var t = Parse("postgres://u@db1.example.com:6000/app?host=db2.example.com&port=6001");

        Assert.Equal("db2.example.com", t.Host);
        Assert.Equal(6001, t.Port);
    }

    [Fact]
    public void Password_parameter_is_the_password_and_is_redacted()
    {
        var t = Parse("postgres://stepwise@127.0.0.1:5432/app?password=hunter2-secret");

        Assert.Equal("hunter2-secret", t.Password);
        Assert.Equal("postgres://stepwise:***@127.0.0.1:5432/app", t.Redacted);
        Assert.Equal("login failed for *** here", t.Scrub("login failed for hunter2-secret here"));
    }

    [Theory]
    [InlineData("search_path=app", "search_path", "app")]
    [InlineData("currentSchema=app", "search_path", "app")]
    [InlineData("schema=app", "search_path", "app")]
    [InlineData("search_path=app%2Cpublic", "search_path", "app,public")]
    [InlineData("options=-c%20lock_timeout%3D5s", "options", "-c lock_timeout=5s")]
    [InlineData("application_name=my%20deploy", "application_name", "my deploy")]
    [InlineData("sslrootcert=/etc/ssl/root.crt", "sslrootcert", "/etc/ssl/root.crt")]
    [InlineData("sslcert=/c.crt", "sslcert", "/c.crt")]
    [InlineData("sslkey=/c.key", "sslkey", "/c.key")]
    [InlineData("connect_timeout=7", "connect_timeout", "7")]
    public void Postgres_parameters_are_kept_under_their_libpq_name(string query, string name, string value)
    {
        var t = Parse("postgres://u@h/db?" + query);

        Assert.Equal(value, t.Parameters[name]);
    }

    [Theory]
    [InlineData("disable", "disable")]
    [InlineData("allow", "allow")]
    [InlineData("prefer", "prefer")]
    [InlineData("require", "require")]
    [InlineData("verify-ca", "verify-ca")]
    [InlineData("VERIFY-FULL", "verify-full")]
    public void Postgres_sslmode_accepts_the_libpq_values(string given, string expected)
    {
        Assert.Equal(expected, Parse("postgres://u@h/db?sslmode=" + given).Parameters["sslmode"]);
    }

    [Fact]
    public void An_unknown_sslmode_is_refused_naming_it()
    {
        var error = Refuse("postgres://u:pw@h/db?sslmode=bogus");

        Assert.Contains("sslmode", error, StringComparison.Ordinal);
        Assert.Contains("bogus", error, StringComparison.Ordinal);
        Assert.Contains("verify-full", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:pw@h/db?searchpath=app", "searchpath")]
    [InlineData("postgres://u:pw@h/db?sslmode=require&target_session_attrs=any", "target_session_attrs")]
    [InlineData("mysql://u:pw@h/db?search_path=app", "search_path")]
    [InlineData("mariadb://u:pw@h/db?sslrootcert=/x", "sslrootcert")]
    [InlineData("sqlite:app.db?cache=shared", "cache")]
    [InlineData("sqlite:app.db?mode=ro", "mode")]
    public void An_unknown_parameter_is_refused_naming_it(string url, string name)
    {
        var error = Refuse(url);

        Assert.Contains($"'{name}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("port=0")]
    [InlineData("port=70000")]
    [InlineData("port=x")]
    [InlineData("connect_timeout=soon")]
    [InlineData("connect_timeout=-1")]
    public void A_parameter_value_of_the_wrong_form_is_refused(string query)
    {
        var error = Refuse("postgres://u@h/db?" + query);

        Assert.Contains(query.Split('=')[0], error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ssl_key_password_is_a_secret_too()
    {
        var t = Parse("postgres://u:pw1@h/db?sslcert=/c.crt&sslkey=/c.key&sslpassword=key%2Fpass%3F");

        Assert.Equal("key/pass?", t.Parameters["sslpassword"]);
        Assert.DoesNotContain("key/pass", t.Redacted, StringComparison.Ordinal);
        var scrubbed = t.Scrub("could not decrypt the key with key/pass? (key%2Fpass%3F)");
        Assert.DoesNotContain("key/pass", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("key%2Fpass", scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://u@h/db?ssl-mode=disabled", "disabled")]
    [InlineData("mysql://u@h/db?ssl-mode=NONE", "disabled")]
    [InlineData("mysql://u@h/db?ssl-mode=PREFERRED", "preferred")]
    [InlineData("mysql://u@h/db?ssl-mode=REQUIRED", "required")]
    [InlineData("mysql://u@h/db?ssl-mode=VERIFY_CA", "verify_ca")]
    [InlineData("mysql://u@h/db?ssl-mode=VERIFY_IDENTITY", "verify_identity")]
    [InlineData("mariadb://u@h/db?sslmode=verify-full", "verify_identity")]
    [InlineData("mariadb://u@h/db?ssl_mode=required", "required")]
    public void MySql_ssl_mode_accepts_the_mysql_client_values(string url, string expected)
    {
        Assert.Equal(expected, Parse(url).Parameters["ssl-mode"]);
    }

    [Fact]
    public void MySql_bogus_ssl_mode_is_refused()
    {
        Assert.Contains("ssl-mode", Refuse("mysql://u@h/db?ssl-mode=sometimes"), StringComparison.Ordinal);
    }

    [Fact]
    public void MySql_socket_parameter_is_the_host_and_shows_in_the_redacted_form()
    {
        var t = Parse("mysql://root:pw@/app?socket=/run/mysqld/mysqld.sock");

        Assert.Equal(SqlDialect.MySql, t.Dialect);
        Assert.Equal("/run/mysqld/mysqld.sock", t.Host);
        Assert.Equal("mysql://root:***@/app?socket=/run/mysqld/mysqld.sock", t.Redacted);
        Assert.Equal("/run/mysqld/mysqld.sock", Parse("mariadb://root@%2Frun%2Fmysqld%2Fmysqld.sock/app").Host);
    }

    [Theory]
    [InlineData("charset=utf8mb4")]
    [InlineData("charset=utf8")]
    [InlineData("charset=UTF8MB3")]
    public void MySql_charset_utf8_is_accepted(string query)
    {
        Assert.Equal(SqlDialect.MySql, Parse("mysql://u@h/db?" + query).Dialect);
    }

    [Fact]
    public void MySql_charset_other_than_utf8_is_refused_not_ignored()
    {
        var error = Refuse("mysql://u@h/db?charset=latin1");

        Assert.Contains("charset", error, StringComparison.Ordinal);
        Assert.Contains("latin1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:pw@[::1]:5433/db", "::1", 5433, "postgres://u:***@[::1]:5433/db")]
    [InlineData("postgres://u:pw@[2001:db8::7]/db", "2001:db8::7", 5432, "postgres://u:***@[2001:db8::7]:5432/db")]
    [InlineData("mysql://u:pw@[fe80::1]:3307/db", "fe80::1", 3307, "mysql://u:***@[fe80::1]:3307/db")]
    public void Ipv6_hosts_keep_their_brackets_when_redacted(string url, string host, int port, string redacted)
    {
        var t = Parse(url);

        Assert.Equal(host, t.Host);
        Assert.Equal(port, t.Port);
        Assert.Equal(redacted, t.Redacted);
    }

    [Fact]
    public void An_unbracketed_ipv6_host_or_several_hosts_are_refused()
    {
        Refuse("postgres://u@::1:5432/db");
        Assert.Contains("host", Refuse("postgres://u@h1:5432,h2:5433/db"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://user:pa/ss?wo@rd#x@db.example.com:5432/app", "pa/ss?wo@rd#x")]
    [InlineData("postgres://user:9876/secret?tail@db.example.com/app", "9876/secret?tail")]
    [InlineData("mysql://user:a#b/c?d@e@db.example.com:3306/app", "a#b/c?d@e")]
    [InlineData("postgres://user:s%2Fx/y?z@db.example.com/app?sslmode=require", "s/x/y?z")]
    public void A_raw_slash_question_mark_at_or_hash_in_the_password_stays_in_the_password(string url, string password)
    {
        var t = Parse(url);

        Assert.Equal("db.example.com", t.Host);
        Assert.Equal("app", t.Database);
        Assert.Equal("user", t.User);
        Assert.Equal(password, t.Password);
        Assert.StartsWith(t.Dialect == SqlDialect.MySql ? "mysql://user:***@db.example.com:" : "postgres://user:***@db.example.com:", t.Redacted, StringComparison.Ordinal);
        var raw = url[(url.IndexOf(':', 10) + 1)..url.LastIndexOf('@')];
        foreach (var piece in new[] { password, raw, Uri.EscapeDataString(password) }.Concat(password.Split('/', '?', '@', '#')).Where(p => p.Length >= 2))
        {
            Assert.DoesNotContain(piece, t.Redacted, StringComparison.Ordinal);
            Assert.DoesNotContain(piece, t.Scrub($"error near {password} / {raw} / {Uri.EscapeDataString(password)} in {url}").Replace("db.example.com", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("postgres://user:zq/xj?kw@db.example.com/app?bogus=1")]
    [InlineData("postgres://user:zq/xj?kw@db.example.com:99999/app")]
    [InlineData("postgres://user:zq/xj?kw@db.example.com")]
    [InlineData("postgres://user:zq/xj?kw@db.example.com/app?sslmode=nope")]
    [InlineData("postgres://user:zq/xj?kw@::1/app")]
    public void Errors_for_a_url_with_a_raw_password_show_no_part_of_it(string url)
    {
        var error = Refuse(url);

        foreach (var piece in new[] { "zq", "xj", "kw" })
        {
            Assert.DoesNotContain(piece, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_url_that_does_not_parse_still_has_its_secrets_scrubbed_from_a_message()
    {
        const string url = "postgres://user:p%40ss/w?rd@h/db?bogus=1&password=other-secret";
        var message = $"Unrecognized argument '{url}'";

        var scrubbed = DatabaseTarget.ScrubSecrets(message, url);

        Assert.DoesNotContain("p%40ss/w?rd", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("p@ss/w?rd", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("other-secret", scrubbed, StringComparison.Ordinal);
        Assert.Contains("user:***@h/db", scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u@h/db", 5432)]
    [InlineData("postgresql://u@h/db", 5432)]
    [InlineData("mysql://u@h/db", 3306)]
    [InlineData("mariadb://u@h/db", 3306)]
    public void Default_ports(string url, int port)
    {
        Assert.Equal(port, Parse(url).Port);
    }

    [Fact]
    public void Sqlite_forms_name_a_file()
    {
        Assert.Equal("app.db", Parse("sqlite:app.db").FilePath);
        Assert.Equal("/var/data/app.db", Parse("sqlite:///var/data/app.db").FilePath);
        Assert.Equal("dir with space/app.db", Parse("sqlite:dir%20with%20space/app.db").FilePath);
    }
}
