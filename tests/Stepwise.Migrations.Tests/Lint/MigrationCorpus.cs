using System.Globalization;
using System.Text;

namespace Stepwise.Migrations.Tests.Lint;

/// <summary>
/// Writes a deterministic corpus of real-world-style PostgreSQL migration folders with up and down
/// migrations, in three layouts: Stepwise/golang-migrate (<c>.up.sql</c> + <c>.down.sql</c>), Flyway
/// (<c>V…__</c> + undo <c>U…__</c>) and dbmate (one file, <c>-- migrate:up</c> / <c>-- migrate:down</c>).
/// Each migration is one of the changes real projects make (tables, columns, indexes, renames, drops, type
/// changes, foreign keys, enums, backfills) and its down undoes it — so downs are full of DROP and RENAME.
/// </summary>
internal static class MigrationCorpus
{
    public sealed record Folder(string Path, Stepwise.Migrations.Layouts.LayoutKind Layout, int Files);

    public static IReadOnlyList<Folder> Write(string root, int seed = 14)
    {
        var random = new Random(seed);
        return
        [
            WriteFolder(Path.Combine(root, "stepwise"), Stepwise.Migrations.Layouts.LayoutKind.Stepwise, 360, random),
            WriteFolder(Path.Combine(root, "flyway"), Stepwise.Migrations.Layouts.LayoutKind.Flyway, 300, random),
            WriteFolder(Path.Combine(root, "dbmate"), Stepwise.Migrations.Layouts.LayoutKind.Dbmate, 320, random),
        ];
    }

    private static Folder WriteFolder(string folder, Stepwise.Migrations.Layouts.LayoutKind layout, int count, Random random)
    {
        Directory.CreateDirectory(folder);
        var state = new Model();
        var files = 0;
        var version = new DateTime(2021, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i <= count; i++)
        {
            version = version.AddMinutes(random.Next(1, 60 * 24 * 5));
            var (name, up, down) = Next(state, random, i);
            switch (layout.Name)
            {
                case "flyway":
                    File.WriteAllText(Path.Combine(folder, $"V{i}__{name}.sql"), up);
                    File.WriteAllText(Path.Combine(folder, $"U{i}__{name}.sql"), down);
                    files += 2;
                    break;
                case "dbmate":
                    var v = version.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                    File.WriteAllText(Path.Combine(folder, $"{v}_{name}.sql"), $"-- migrate:up\n{up}\n-- migrate:down\n{down}");
                    files++;
                    break;
                default:
                    var s = version.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                    File.WriteAllText(Path.Combine(folder, $"{s}_{name}.up.sql"), up);
                    File.WriteAllText(Path.Combine(folder, $"{s}_{name}.down.sql"), down);
                    files += 2;
                    break;
            }
        }

        return new Folder(folder, layout, files);
    }

    private sealed class Model
    {
        public List<(string Name, List<(string Column, string Type)> Columns)> Tables { get; } = [];

        public List<string> Enums { get; } = [];

        public int Counter { get; set; }
    }

    private static readonly string[] Nouns = ["user", "order", "invoice", "product", "account", "session", "event", "payment", "shipment", "review", "tag", "team", "project", "comment", "address"];

    private static (string Name, string Up, string Down) Next(Model m, Random r, int index)
    {
        m.Counter++;
        if (m.Tables.Count < 3 || r.Next(10) == 0)
        {
            var table = $"{Nouns[r.Next(Nouns.Length)]}s_{m.Counter}";
            var columns = new List<(string, string)> { ("id", "bigint"), ("name", $"varchar({r.Next(3, 20) * 10})"), ("created_at", "timestamptz") };
            m.Tables.Add((table, columns));
            var fk = m.Tables.Count > 1 && r.Next(2) == 0 ? m.Tables[r.Next(m.Tables.Count - 1)].Name : null;
            var sb = new StringBuilder($"CREATE TABLE {table} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    name {columns[1].Item2} NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()");
            if (fk is not null)
            {
                columns.Add(("parent_id", "bigint"));
                sb.Append($",\n    parent_id bigint REFERENCES {fk} (id)");
            }

            sb.Append("\n);\n");
            if (fk is not null)
            {
                sb.Append($"CREATE INDEX {table}_parent_idx ON {table} (parent_id);\n");
            }

            return ($"create_{table}", sb.ToString(), $"DROP TABLE {table};\n");
        }

        var (name, cols) = m.Tables[r.Next(m.Tables.Count)];
        var c = m.Counter;
        switch (r.Next(12))
        {
            case 0:
                cols.Add(($"note_{c}", "text"));
                return ($"add_note_{c}_to_{name}", $"ALTER TABLE {name} ADD COLUMN note_{c} text;\n", $"ALTER TABLE {name} DROP COLUMN note_{c};\n");
            case 1:
                cols.Add(($"active_{c}", "boolean"));
                return ($"add_active_{c}_to_{name}", $"ALTER TABLE {name} ADD COLUMN active_{c} boolean NOT NULL DEFAULT true;\n", $"ALTER TABLE {name} DROP COLUMN IF EXISTS active_{c};\n");
            case 2:
                return ($"index_{name}_{c}", $"-- stepwise:no-transaction\nCREATE INDEX CONCURRENTLY {name}_name_{c}_idx ON {name} (name);\n", $"-- stepwise:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS {name}_name_{c}_idx;\n");
            case 3:
                return ($"index_{name}_created_{c}", $"CREATE INDEX {name}_created_{c}_idx ON {name} (created_at);\n", $"DROP INDEX {name}_created_{c}_idx;\n");
            case 4 when cols.Count > 3:
                {
                    var i = r.Next(3, cols.Count);
                    var old = cols[i].Column;
                    var renamed = $"{old}_v{c}";
                    cols[i] = (renamed, cols[i].Type);
                    return ($"rename_{old}_on_{name}", $"ALTER TABLE {name} RENAME COLUMN {old} TO {renamed};\n", $"ALTER TABLE {name} RENAME COLUMN {renamed} TO {old};\n");
                }

            case 5 when cols.Count > 3:
                {
                    var i = r.Next(3, cols.Count);
                    var (column, type) = cols[i];
                    cols.RemoveAt(i);
                    return ($"drop_{column}_from_{name}", $"ALTER TABLE {name} DROP COLUMN {column};\n", $"ALTER TABLE {name} ADD COLUMN {column} {type};\n");
                }

            case 6:
                {
                    var type = cols[1].Type;
                    var n = int.Parse(type[8..^1], CultureInfo.InvariantCulture);
                    var wider = $"varchar({n + 50})";
                    cols[1] = ("name", wider);
                    return ($"widen_name_on_{name}", $"ALTER TABLE {name} ALTER COLUMN name TYPE {wider};\n", $"ALTER TABLE {name} ALTER COLUMN name TYPE {type};\n");
                }

            case 7:
                return ($"backfill_{name}_{c}", $"UPDATE {name} SET name = trim(name) WHERE name <> trim(name);\n", "SELECT 1;\n");
            case 8:
                {
                    var enumName = $"state_{c}";
                    m.Enums.Add(enumName);
                    cols.Add(($"state_{c}", enumName));
                    return ($"add_state_{c}_to_{name}", $"CREATE TYPE {enumName} AS ENUM ('new', 'active', 'closed');\nALTER TABLE {name} ADD COLUMN state_{c} {enumName};\n",
                        $"ALTER TABLE {name} DROP COLUMN state_{c};\nDROP TYPE {enumName};\n");
                }

            case 9 when m.Tables.Count > 4:
                {
                    var i = m.Tables.FindIndex(t => t.Name == name);
                    var renamed = $"{name}_r{c}";
                    m.Tables[i] = (renamed, cols);
                    return ($"rename_{name}", $"ALTER TABLE {name} RENAME TO {renamed};\n", $"ALTER TABLE {renamed} RENAME TO {name};\n");
                }

            case 10:
                cols.Add(($"ref_{c}", "bigint"));
                var target = m.Tables[r.Next(m.Tables.Count)].Name;
                return ($"add_ref_{c}_to_{name}", $"ALTER TABLE {name} ADD COLUMN ref_{c} bigint;\nALTER TABLE {name} ADD CONSTRAINT {name}_ref_{c}_fk FOREIGN KEY (ref_{c}) REFERENCES {target} (id) NOT VALID;\n",
                    $"ALTER TABLE {name} DROP CONSTRAINT {name}_ref_{c}_fk;\nALTER TABLE {name} DROP COLUMN ref_{c};\n");
            default:
                {
                    var i = m.Tables.FindIndex(t => t.Name == name);
                    if (m.Tables.Count < 6)
                    {
                        cols.Add(($"extra_{c}", "integer"));
                        return ($"add_extra_{c}", $"ALTER TABLE {name} ADD COLUMN extra_{c} integer;\n", $"ALTER TABLE {name} DROP COLUMN extra_{c};\n");
                    }

                    m.Tables.RemoveAt(i);
                    var columns = string.Join(", ", cols.Select(x => $"{x.Column} {x.Type}"));
                    return ($"drop_{name}", $"DROP TABLE {name};\n", $"CREATE TABLE {name} ({columns});\n");
                }
        }
    }
}
