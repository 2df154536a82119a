using Stepwise.Engines;

namespace Stepwise.MySql.Tests.Trace;

/// <summary>
/// docs/mariadb-alter-algorithms.md, one row per statement kind, as the tracer must observe it on MariaDB 10.11.
/// Every fact runs on a fresh database holding <see cref="Setup"/>: table <c>t</c> (2,000 rows, utf8mb4) and the
/// referenced table <c>p</c>.
/// </summary>
/// <param name="Name">The doc's row.</param>
/// <param name="Statement">The traced statement.</param>
/// <param name="Algorithm">The algorithm the server uses by default (its cheapest).</param>
/// <param name="Rebuild">Whether table <c>t</c> gets a new InnoDB table id (its data is copied into new storage).</param>
/// <param name="Blocks">What the strongest metadata lock held for most of the statement blocks (COPY: writes).</param>
/// <param name="Prepare">Statements run before, on the same session (e.g. SET foreign_key_checks).</param>
public sealed record MariaDbFact(string Name, string Statement, AlterAlgorithm Algorithm, bool Rebuild, string[]? Prepare = null)
{
    public override string ToString() => Name;

    public static readonly string[] Setup =
    [
        "CREATE TABLE p (id INT PRIMARY KEY) ENGINE=InnoDB",
        "INSERT INTO p SELECT seq FROM seq_1_to_2000",
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10), wide VARCHAR(60), n INT NULL, m INT NOT NULL DEFAULT 0, note TEXT, mood ENUM('sad', 'ok'), KEY t_n (n)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "INSERT INTO t SELECT seq, CONCAT('n', seq % 1000), 'w', seq, seq, 'x', 'ok' FROM seq_1_to_2000",
    ];

    public static readonly IReadOnlyList<MariaDbFact> All =
    [
        new("ADD COLUMN nullable, last", "ALTER TABLE t ADD COLUMN c INT NULL", AlterAlgorithm.Instant, false),
        new("ADD COLUMN with a default, in the middle (AFTER)", "ALTER TABLE t ADD COLUMN c INT NOT NULL DEFAULT 7 AFTER id", AlterAlgorithm.Instant, false),
        new("DROP COLUMN", "ALTER TABLE t DROP COLUMN note", AlterAlgorithm.Instant, false),
        new("RENAME COLUMN", "ALTER TABLE t RENAME COLUMN note TO remark", AlterAlgorithm.Instant, false),
        new("SET DEFAULT", "ALTER TABLE t ALTER COLUMN m SET DEFAULT 5", AlterAlgorithm.Instant, false),
        new("DROP DEFAULT", "ALTER TABLE t ALTER COLUMN m DROP DEFAULT", AlterAlgorithm.Instant, false),
        new("ENUM: a value appended at the end", "ALTER TABLE t MODIFY mood ENUM('sad', 'ok', 'happy')", AlterAlgorithm.Instant, false),
        new("VARCHAR longer, same length bytes (10 -> 60 utf8mb4 chars, <= 255 bytes)", "ALTER TABLE t MODIFY name VARCHAR(60)", AlterAlgorithm.Instant, false),
        new("VARCHAR longer past 255 bytes (60 -> 100 utf8mb4 chars)", "ALTER TABLE t MODIFY wide VARCHAR(100)", AlterAlgorithm.Copy, true),
        new("INT -> BIGINT", "ALTER TABLE t MODIFY n BIGINT NULL", AlterAlgorithm.Copy, true),
        new("NULL -> NOT NULL", "ALTER TABLE t MODIFY n INT NOT NULL", AlterAlgorithm.Inplace, true),
        new("NOT NULL -> NULL", "ALTER TABLE t MODIFY m INT NULL DEFAULT 0", AlterAlgorithm.Inplace, true),
        new("ADD INDEX (secondary)", "ALTER TABLE t ADD INDEX t_name (name)", AlterAlgorithm.Inplace, false),
        new("CREATE INDEX", "CREATE INDEX t_name ON t (name)", AlterAlgorithm.Inplace, false),
        new("DROP INDEX", "ALTER TABLE t DROP INDEX t_n", AlterAlgorithm.Inplace, false),
        new("RENAME INDEX", "ALTER TABLE t RENAME INDEX t_n TO t_n2", AlterAlgorithm.Instant, false),
        new("ADD FOREIGN KEY (foreign_key_checks = 1)", "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (n) REFERENCES p (id)", AlterAlgorithm.Copy, true),
        new("ADD FOREIGN KEY (foreign_key_checks = 0)", "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (n) REFERENCES p (id)", AlterAlgorithm.Instant, false, ["SET SESSION foreign_key_checks = 0"]),
        new("Change a column's character set", "ALTER TABLE t MODIFY name VARCHAR(10) CHARACTER SET latin1", AlterAlgorithm.Copy, true),
        new("Rebuild (ENGINE=InnoDB)", "ALTER TABLE t ENGINE=InnoDB", AlterAlgorithm.Inplace, true),
    ];
}
