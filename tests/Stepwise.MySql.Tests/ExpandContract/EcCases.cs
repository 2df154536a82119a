using Stepwise.Engines;

namespace Stepwise.MySql.Tests.ExpandContract;

/// <summary>One operation: the table before, the changes the core would read from the file, the plain SQL a twin
/// database runs, statements of both releases during `expanded` (writes through one shape read back through the
/// other), and checks after contract.</summary>
internal sealed record EcCase(string Name, string[] Setup, Func<EcChange[]> Changes, string[] Plain, Probe[] Coexist, Probe[] AfterContract)
{
    public override string ToString() => Name;
}

internal static class EcCases
{
    private const string F = Probe.Fails;

    public static readonly EcCase[] All =
    [
        new(
            "rename_column",
            ["CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20) NOT NULL DEFAULT 'x', n INT NULL, KEY ian (a, n), UNIQUE KEY ua (a)) ENGINE=InnoDB", "INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)"],
            () => [new EcRenameColumn("t", "a", "b")],
            ["ALTER TABLE t RENAME COLUMN a TO b"],
            [
                new("SELECT b FROM t WHERE id = 1", "one"), new("SELECT a FROM t WHERE id = 2", "two"),
                new("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'b' AND SEQ_IN_INDEX = 1", "2"),
                new("INSERT INTO t (id, a, n) VALUES (10, 'old10', 0)"), new("SELECT b FROM t WHERE id = 10", "old10"),
                new("INSERT INTO t (id, b, n) VALUES (11, 'new11', 0)"), new("SELECT a FROM t WHERE id = 11", "new11"),
                new("INSERT INTO t (id, n) VALUES (12, 0)"), new("SELECT b FROM t WHERE id = 12", "x"),
                new("UPDATE t SET a = 'old11' WHERE id = 11"), new("SELECT b FROM t WHERE id = 11", "old11"),
                new("UPDATE t SET b = 'new10' WHERE id = 10"), new("SELECT a FROM t WHERE id = 10", "new10"),
                new("INSERT INTO t (id, b) VALUES (13, 'new10')", F),
                new("DELETE FROM t WHERE a = 'old11'"), new("DELETE FROM t WHERE b = 'x'"), new("SELECT COUNT(*) FROM t", "3"),
            ],
            [new("SELECT b FROM t WHERE id = 10", "new10"), new("SELECT COUNT(*) FROM t WHERE b = '' OR b IS NULL", "0"), new("INSERT INTO t (id) VALUES (20)"), new("SELECT b FROM t WHERE id = 20", "x"), new("SELECT a FROM t", F)]),
        new(
            "change_type",
            ["CREATE TABLE o (id INT PRIMARY KEY, q INT NOT NULL, note VARCHAR(10) NULL, KEY iq (q, note), UNIQUE KEY uq (q)) ENGINE=InnoDB", "INSERT INTO o VALUES (1, 5, 'a'), (2, 2000000000, 'b')"],
            () => [new EcChangeColumnType("o", "q", "BIGINT", null) { Definition = "BIGINT NOT NULL DEFAULT 0" }],
            ["ALTER TABLE o MODIFY q BIGINT NOT NULL DEFAULT 0"],
            [
                new("INSERT INTO o (id, q) VALUES (10, 7)"), new("UPDATE o SET q = q + 1 WHERE id = 1"), new("SELECT q FROM o WHERE id = 1", "6"),
                new("DELETE FROM o WHERE id = 2"), new("SELECT COUNT(*) FROM o", "2"),
                new("INSERT INTO o (id, q) VALUES (11, 5000000000)", F),
            ],
            [
                new("SELECT q FROM o WHERE id = 10", "7"), new("SELECT q FROM o WHERE id = 1", "6"),
                new("INSERT INTO o (id, q) VALUES (12, 5000000000)"), new("SELECT q FROM o WHERE id = 12", "5000000000"),
                new("INSERT INTO o (id) VALUES (13)"), new("SELECT q FROM o WHERE id = 13", "0"),
            ]),
        new(
            "change_type_and_name",
            ["CREATE TABLE o (id INT PRIMARY KEY, q INT NOT NULL, note VARCHAR(10) NULL, KEY iq (q, note), UNIQUE KEY uq (q)) ENGINE=InnoDB", "INSERT INTO o VALUES (1, 5, 'a'), (2, 2000000000, 'b')"],
            () => [new EcChangeColumnType("o", "q", "BIGINT", null) { NewName = "qty", Definition = "BIGINT NOT NULL DEFAULT 0" }],
            ["ALTER TABLE o CHANGE q qty BIGINT NOT NULL DEFAULT 0"],
            [
                new("SELECT qty FROM o WHERE id = 2", "2000000000"),
                new("INSERT INTO o (id, q) VALUES (10, 7)"), new("SELECT qty FROM o WHERE id = 10", "7"),
                new("INSERT INTO o (id, qty) VALUES (11, 8)"), new("SELECT q FROM o WHERE id = 11", "8"),
                new("UPDATE o SET qty = 9 WHERE id = 10"), new("SELECT q FROM o WHERE id = 10", "9"),
                new("UPDATE o SET q = 3 WHERE id = 11"), new("SELECT qty FROM o WHERE id = 11", "3"),
                new("DELETE FROM o WHERE qty = 3"), new("SELECT COUNT(*) FROM o", "3"),
                new("INSERT INTO o (id, qty) VALUES (12, 5000000000)", F),
            ],
            [new("SELECT qty FROM o WHERE id = 10", "9"), new("INSERT INTO o (id) VALUES (13)"), new("SELECT qty FROM o WHERE id = 13", "0"), new("SELECT q FROM o", F)]),
        new(
            "rename_table",
            ["CREATE TABLE p (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20) NOT NULL DEFAULT '') ENGINE=InnoDB", "INSERT INTO p (name) VALUES ('a'), ('b')"],
            () => [new EcRenameTable("p", "p2")],
            ["RENAME TABLE p TO p2"],
            [
                new("INSERT INTO p (name) VALUES ('old')"), new("SELECT COUNT(*) FROM p2 WHERE name = 'old'", "1"),
                new("INSERT INTO p2 (name) VALUES ('new')"), new("SELECT COUNT(*) FROM p WHERE name = 'new'", "1"),
                new("UPDATE p SET name = 'old2' WHERE name = 'new'"), new("SELECT COUNT(*) FROM p2 WHERE name = 'old2'", "1"),
                new("UPDATE p2 SET name = 'new2' WHERE name = 'old'"), new("SELECT COUNT(*) FROM p WHERE name = 'new2'", "1"),
                new("DELETE FROM p WHERE name = 'old2'"), new("DELETE FROM p2 WHERE name = 'new2'"), new("SELECT COUNT(*) FROM p", "2"),
            ],
            [new("SELECT COUNT(*) FROM p2", "2"), new("SELECT COUNT(*) FROM p", F)]),
        new(
            "set_not_null",
            ["CREATE TABLE s (id INT PRIMARY KEY, v VARCHAR(10) NULL) ENGINE=InnoDB", "INSERT INTO s VALUES (1, 'a'), (2, 'b')"],
            () => [new EcSetNotNull("s", "v") { Definition = "VARCHAR(10) NOT NULL" }],
            ["ALTER TABLE s MODIFY v VARCHAR(10) NOT NULL"],
            [
                new("INSERT INTO s VALUES (3, 'c')"), new("INSERT INTO s VALUES (4, NULL)", F), new("UPDATE s SET v = NULL WHERE id = 1", F),
                new("UPDATE s SET v = 'z' WHERE id = 1"), new("SELECT v FROM s WHERE id = 1", "z"), new("DELETE FROM s WHERE id = 2"),
            ],
            [new("INSERT INTO s VALUES (5, NULL)", F), new("SELECT COUNT(*) FROM s", "2")]),
        new(
            "add_required_column",
            ["CREATE TABLE r (id INT PRIMARY KEY, n INT NULL) ENGINE=InnoDB", "INSERT INTO r VALUES (1, 10), (2, 20)"],
            () => [new EcAddRequiredColumn("r", "c", "INT", "id * 2", "7")],
            ["ALTER TABLE r ADD COLUMN c INT NOT NULL DEFAULT 7"],
            [
                new("SELECT c FROM r WHERE id = 2", "4"),
                new("INSERT INTO r (id, n) VALUES (3, 30)"), new("SELECT c FROM r WHERE id = 3", "7"),
                new("INSERT INTO r (id, n, c) VALUES (4, 40, 9)"), new("SELECT c FROM r WHERE id = 4", "9"),
                new("UPDATE r SET c = 11 WHERE id = 1"), new("SELECT c FROM r WHERE id = 1", "11"),
                new("UPDATE r SET n = 0 WHERE id = 2"), new("SELECT c FROM r WHERE id = 2", "4"), new("DELETE FROM r WHERE id = 4"),
            ],
            [new("SELECT COUNT(*) FROM r WHERE c IS NULL", "0"), new("INSERT INTO r (id) VALUES (5)"), new("SELECT c FROM r WHERE id = 5", "7"), new("INSERT INTO r (id, c) VALUES (6, NULL)", F)]),
        new(
            "add_required_column_without_default",
            ["CREATE TABLE r2 (id INT PRIMARY KEY, n INT NULL) ENGINE=InnoDB", "INSERT INTO r2 VALUES (1, 10)"],
            () => [new EcAddRequiredColumn("r2", "c", "INT", "n + 1", null)],
            ["ALTER TABLE r2 ADD COLUMN c INT NOT NULL"],
            [
                new("SELECT c FROM r2 WHERE id = 1", "11"), new("INSERT INTO r2 (id, n) VALUES (2, 5)"), new("SELECT c FROM r2 WHERE id = 2", "6"),
                new("INSERT INTO r2 (id, n, c) VALUES (3, 1, 100)"), new("SELECT c FROM r2 WHERE id = 3", "100"),
            ],
            [new("SELECT c FROM r2 WHERE id = 2", "6")]),
        new(
            "add_required_column_constant_default",
            ["CREATE TABLE r3 (id INT PRIMARY KEY) ENGINE=InnoDB", "INSERT INTO r3 VALUES (1)"],
            () => [new EcAddRequiredColumn("r3", "c", "VARCHAR(5)", "'z'", "'z'")],
            ["ALTER TABLE r3 ADD COLUMN c VARCHAR(5) NOT NULL DEFAULT 'z'"],
            [new("SELECT c FROM r3 WHERE id = 1", "z"), new("INSERT INTO r3 (id) VALUES (2)"), new("INSERT INTO r3 (id, c) VALUES (3, 'y')"), new("SELECT c FROM r3 WHERE id = 3", "y")],
            [new("SELECT COUNT(*) FROM r3", "3")]),
        new(
            "drop_column",
            ["CREATE TABLE d (id INT PRIMARY KEY, a INT NOT NULL, e DATE NOT NULL, n INT NULL, KEY ian (a, n)) ENGINE=InnoDB", "INSERT INTO d VALUES (1, 1, '2020-01-01', 1)"],
            () => [new EcDropColumn("d", "a"), new EcDropColumn("d", "e")],
            ["ALTER TABLE d DROP COLUMN a", "ALTER TABLE d DROP COLUMN e"],
            [
                new("INSERT INTO d (id, a, e, n) VALUES (2, 2, '2021-01-01', 2)"), new("INSERT INTO d (id, n) VALUES (3, 3)"), new("SELECT a FROM d WHERE id = 3", "0"),
                new("SELECT COUNT(*) FROM d", "3"), new("UPDATE d SET n = 9 WHERE id = 3"), new("DELETE FROM d WHERE id = 2"),
            ],
            [new("SELECT COUNT(*) FROM d", "2"), new("INSERT INTO d (id, n) VALUES (4, 4)"), new("SELECT a FROM d", F)]),
        new(
            "drop_table",
            ["CREATE TABLE x (id INT PRIMARY KEY) ENGINE=InnoDB", "CREATE TABLE keep (id INT PRIMARY KEY) ENGINE=InnoDB"],
            () => [new EcDropTable("x")],
            ["DROP TABLE x"],
            [new("INSERT INTO x VALUES (1)"), new("SELECT COUNT(*) FROM x", "1")],
            [new("SELECT COUNT(*) FROM x", F)]),
        new(
            "other_statements",
            ["CREATE TABLE i (id INT PRIMARY KEY, n INT NULL, s VARCHAR(30) NULL) ENGINE=InnoDB", "INSERT INTO i VALUES (1, 1, 's')"],
            () => [EcHarness.Statement("CREATE INDEX i_n ON i (n)", "i"), EcHarness.Statement("ALTER TABLE i ADD COLUMN z INT NULL, ADD UNIQUE INDEX i_s (s(10))", "i"), EcHarness.Statement("CREATE TABLE side (id INT PRIMARY KEY) ENGINE=InnoDB", "side")],
            ["CREATE INDEX i_n ON i (n)", "ALTER TABLE i ADD COLUMN z INT NULL, ADD UNIQUE INDEX i_s (s(10))", "CREATE TABLE side (id INT PRIMARY KEY) ENGINE=InnoDB"],
            [new("INSERT INTO i (id, n, s) VALUES (2, 2, 't')"), new("INSERT INTO i (id, n, s, z) VALUES (3, 3, 'u', 1)"), new("SELECT COUNT(*) FROM i", "3")],
            [new("SELECT COUNT(*) FROM i", "3")]),
        new(
            "change_type_and_name_with_value_mappings",
            ["CREATE TABLE pr (id INT PRIMARY KEY, cents INT NOT NULL) ENGINE=InnoDB", "INSERT INTO pr VALUES (1, 250)"],
            () => [new EcChangeColumnType("pr", "cents", "DECIMAL(10,2)", "cents / 100") { NewName = "amount", Definition = "DECIMAL(10,2) NOT NULL", OldValue = "ROUND(amount * 100)" }],
            ["ALTER TABLE pr CHANGE cents amount DECIMAL(10,2) NOT NULL"],
            [
                new("SELECT amount FROM pr WHERE id = 1", "2.50"),
                new("INSERT INTO pr (id, cents) VALUES (2, 199)"), new("SELECT amount FROM pr WHERE id = 2", "1.99"),
                new("INSERT INTO pr (id, amount) VALUES (3, 1.25)"), new("SELECT cents FROM pr WHERE id = 3", "125"),
                new("UPDATE pr SET amount = 7.5 WHERE id = 1"), new("SELECT cents FROM pr WHERE id = 1", "750"),
                new("UPDATE pr SET cents = cents + 1 WHERE id = 3"), new("SELECT amount FROM pr WHERE id = 3", "1.26"),
            ],
            [new("SELECT amount FROM pr WHERE id = 1", "7.50"), new("SELECT SUM(amount) FROM pr", "10.75")]),
        new(
            "rename_table_and_its_column",
            ["CREATE TABLE p (id INT PRIMARY KEY, a INT NULL, KEY ia (a)) ENGINE=InnoDB", "INSERT INTO p VALUES (1, 1)"],
            () => [new EcRenameTable("p", "p2"), new EcRenameColumn("p2", "a", "b")],
            ["RENAME TABLE p TO p2", "ALTER TABLE p2 RENAME COLUMN a TO b"],
            [
                new("SELECT b FROM p2 WHERE id = 1", "1"),
                new("INSERT INTO p (id, a) VALUES (2, 2)"), new("SELECT b FROM p2 WHERE id = 2", "2"),
                new("INSERT INTO p2 (id, b) VALUES (3, 3)"), new("SELECT a FROM p WHERE id = 3", "3"),
                new("UPDATE p SET a = 4 WHERE id = 3"), new("SELECT b FROM p2 WHERE id = 3", "4"),
                new("DELETE FROM p2 WHERE b = 4"), new("SELECT COUNT(*) FROM p", "2"),
            ],
            [new("SELECT SUM(b) FROM p2", "3"), new("SELECT COUNT(*) FROM p", F)]),
        new(
            "rename_and_drop_on_one_table",
            ["CREATE TABLE m (id INT PRIMARY KEY, a INT NULL, k INT NOT NULL, KEY ia (a)) ENGINE=InnoDB", "INSERT INTO m VALUES (1, 1, 1)"],
            () => [new EcRenameColumn("m", "a", "b"), new EcDropColumn("m", "k")],
            ["ALTER TABLE m RENAME COLUMN a TO b", "ALTER TABLE m DROP COLUMN k"],
            [
                new("SELECT b FROM m WHERE id = 1", "1"),
                new("INSERT INTO m (id, a, k) VALUES (2, 2, 2)"), new("SELECT b FROM m WHERE id = 2", "2"),
                new("INSERT INTO m (id, b) VALUES (3, 3)"), new("SELECT a FROM m WHERE id = 3", "3"), new("SELECT k FROM m WHERE id = 3", "0"),
                new("INSERT INTO m (id, a, b, k) VALUES (4, NULL, NULL, 4)"), new("SELECT COUNT(*) FROM m WHERE id = 4 AND a IS NULL AND b IS NULL", "1"),
            ],
            [new("SELECT b FROM m WHERE id = 3", "3"), new("SELECT COUNT(*) FROM m", "4")]),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static EcCase Get(string name) => All.Single(c => c.Name == name);
}
