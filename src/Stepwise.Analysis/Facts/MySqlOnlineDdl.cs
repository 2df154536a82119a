using Stepwise.Analysis.Schema;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Facts;

/// <summary>What an InnoDB ALTER TABLE action costs when the statement names no ALGORITHM or LOCK.</summary>
public enum MySqlAlterCost
{
    /// <summary>INSTANT, or INPLACE with reads and writes going on (secondary index, rename, default, VARCHAR extension).</summary>
    Online,

    /// <summary>INPLACE but rebuilds the whole table: writes continue, yet it runs as long as a copy and replicas lag behind it.</summary>
    Rebuild,

    /// <summary>INPLACE, but writes wait for the whole build (FULLTEXT/SPATIAL index, AUTO_INCREMENT column).</summary>
    BlocksWrites,

    /// <summary>Only ALGORITHM=COPY works: every row is copied into a new table while writes wait.</summary>
    Copy,
}

/// <summary>One action's judgement: how it runs, what it is (for a message) and why it costs that.</summary>
/// <param name="Cost">How the action runs.</param>
/// <param name="What">The action, described for a message (empty for <see cref="Online"/>).</param>
/// <param name="Why">Why it costs that (empty for <see cref="Online"/>).</param>
public sealed record MySqlAlterJudgement(MySqlAlterCost Cost, string What, string Why)
{
    /// <summary>The judgement of an action that runs online: nothing to report.</summary>
    public static readonly MySqlAlterJudgement Online = new(MySqlAlterCost.Online, string.Empty, string.Empty);
}

/// <summary>MySQL 8 / MariaDB 10.11 online DDL facts (InnoDB): which ALTER TABLE actions run INSTANT or
/// INPLACE with concurrent writes, and which rebuild, block writes or need ALGORITHM=COPY.</summary>
public static class MySqlOnlineDdl
{
    private const string CopyWhy = "only ALGORITHM=COPY can do it, so every row is copied into a new table while writes wait";

    private const string FullTextWhy = "it builds in place but blocks writes for the whole build (the first FULLTEXT index also rebuilds the table)";

    /// <summary>Judges one action of an ALTER TABLE. The table is the replayed one (null when unknown);
    /// foreignKeyChecksOff is whether `foreign_key_checks` is 0 when the statement runs.</summary>
    public static MySqlAlterJudgement Judge(AlterTableAction action, AlterTableStatement statement, TableModel? table, MySqlTarget target, bool foreignKeyChecksOff)
    {
        var name = statement.Table.ToString();
        switch (action)
        {
            case AddColumnAction add:
                return JudgeAddColumn(add.Column, name, target);
            case AlterColumnTypeAction change:
                return JudgeChangeColumn(change, name, table);
            case AddConstraintAction { Constraint: var constraint }:
                return constraint.Kind switch
                {
                    ConstraintKind.ForeignKey when !foreignKeyChecksOff => new(MySqlAlterCost.Copy, $"adding foreign key {constraint.Name ?? "(" + string.Join(", ", constraint.Columns) + ")"} to {name}",
                        "with foreign_key_checks on, " + CopyWhy + " (INPLACE needs foreign_key_checks=0)"),
                    ConstraintKind.PrimaryKey => new(MySqlAlterCost.Rebuild, $"adding a primary key to {name}", RebuildWhy("the clustered index is the table")),
                    ConstraintKind.FullText => new(MySqlAlterCost.BlocksWrites, $"adding a FULLTEXT or SPATIAL index to {name}", FullTextWhy),
                    ConstraintKind.Check => new(MySqlAlterCost.Copy, $"adding a CHECK constraint to {name}", "every existing row must be checked, and " + CopyWhy),
                    _ => MySqlAlterJudgement.Online,
                };
            case DropConstraintAction { MySqlKind: ConstraintKind.PrimaryKey } when !AddsPrimaryKey(statement):
                return new(MySqlAlterCost.Copy, $"dropping the primary key of {name} without adding another", CopyWhy);
            case OtherAlterAction other when other.Keywords.StartsWith("CONVERT TO", StringComparison.Ordinal):
                return new(MySqlAlterCost.Copy, $"converting {name} to another character set", "re-encoding every text column means " + CopyWhy);
            default:
                return MySqlAlterJudgement.Online;
        }
    }

    /// <summary>CREATE INDEX on MySQL runs INPLACE with writes going on, except FULLTEXT and SPATIAL.</summary>
    public static MySqlAlterJudgement JudgeCreateIndex(CreateIndexStatement index) => index.FullText
        ? new(MySqlAlterCost.BlocksWrites, $"creating a FULLTEXT or SPATIAL index on {index.Table}", FullTextWhy)
        : MySqlAlterJudgement.Online;

    /// <summary>True when the algorithm, given in the statement or as MariaDB's `alter_algorithm` session
    /// setting, makes the server refuse a table copy instead of doing one.</summary>
    public static bool RefusesCopy(string? algorithm) => algorithm is "INPLACE" or "INSTANT" or "NOCOPY";

    /// <summary>True when a value of `foreign_key_checks` turns the checks off.</summary>
    public static bool IsOff(string? value) => value is not null && (value.Trim() is "0" || value.Trim().Equals("OFF", StringComparison.OrdinalIgnoreCase) || value.Trim().Equals("FALSE", StringComparison.OrdinalIgnoreCase));

    /// <summary>MySQL 8.0.29+ and MariaDB 10.4+ add columns INSTANT anywhere; MySQL 8.0.12+ and MariaDB 10.3+
    /// only as the last column.</summary>
    public static bool InstantAddColumn(MySqlTarget target, string? position)
    {
        if (target.InstantAddColumn)
        {
            return true;
        }

        var appendOnly = target.MariaDb ? target.Version >= new Version(10, 3) : target.Version >= new Version(8, 0, 12);
        return appendOnly && position is null;
    }

    /// <summary>True when a MODIFY/CHANGE from one type to another needs no table copy: the same type
    /// (a restated column), a VARCHAR extension that keeps its length prefix, or ENUM/SET members appended
    /// at the end without growing the storage size.</summary>
    public static bool IsInPlaceTypeChange(DataType? from, DataType to)
    {
        if (TypeChanges.IsInPlaceOnMySql(from, to))
        {
            return true;
        }

        if (from is null || !string.Equals(from.Name, to.Name, StringComparison.Ordinal) || from.Name is not ("enum" or "set"))
        {
            return false;
        }

        var old = from.Arguments;
        var now = to.Arguments;
        if (now.Count < old.Count || !now.Take(old.Count).SequenceEqual(old, StringComparer.Ordinal))
        {
            return false;
        }

        return from.Name == "enum"
            ? (old.Count <= 255) == (now.Count <= 255)
            : SetBytes(old.Count) == SetBytes(now.Count);
    }

    private static int SetBytes(int members) => members switch
    {
        <= 8 => 1,
        <= 16 => 2,
        <= 24 => 3,
        <= 32 => 4,
        _ => 8,
    };

    private static MySqlAlterJudgement JudgeAddColumn(ColumnDefinition column, string table, MySqlTarget target)
    {
        var name = table + "." + column.Name;
        if (column.GeneratedStored is not null)
        {
            return new(MySqlAlterCost.Copy, $"adding STORED generated column {name}", "every row's value must be computed, and " + CopyWhy);
        }

        if (column.Identity == IdentityKind.AutoIncrement)
        {
            return new(MySqlAlterCost.BlocksWrites, $"adding AUTO_INCREMENT column {name}", "it rebuilds the table and blocks writes while it numbers every row");
        }

        if (column.Check is not null)
        {
            return new(MySqlAlterCost.Copy, $"adding column {name} with a CHECK constraint", "every existing row must be checked, and " + CopyWhy);
        }

        if (column.PrimaryKey)
        {
            return new(MySqlAlterCost.Rebuild, $"adding column {name} as the primary key", RebuildWhy("the clustered index is the table"));
        }

        if (!InstantAddColumn(target, column.Position))
        {
            var place = column.Position is null ? string.Empty : " " + column.Position;
            var needs = target.MariaDb
                ? "(MariaDB adds columns INSTANT at any position from 10.4, and only as the last column from 10.3)"
                : "(MySQL adds columns INSTANT at any position from 8.0.29, and only as the last column from 8.0.12)";
            return new(MySqlAlterCost.Rebuild, $"adding column {name}{place} on {target}", "this cannot run INSTANT " + needs + ", so " + RebuildWhy(null));
        }

        return MySqlAlterJudgement.Online;
    }

    private static MySqlAlterJudgement JudgeChangeColumn(AlterColumnTypeAction change, string table, TableModel? model)
    {
        var name = table + "." + change.Column;
        var old = model?.Column(change.Column);
        if (!IsInPlaceTypeChange(old?.Type, change.NewType))
        {
            return old?.Type is { } from
                ? new(MySqlAlterCost.Copy, $"changing {name} from {from.Text} to {change.NewType.Text}", "a type change needs ALGORITHM=COPY, so every row is copied into a new table while writes wait")
                : new(MySqlAlterCost.Copy, $"changing {name} to {change.NewType.Text}",
                    "its current type is unknown (no earlier migration defines it), and a type change needs ALGORITHM=COPY, so every row is copied into a new table while writes wait");
        }

        if (change.Definition is { } definition && old is { NotNull: false } && (definition.NotNull || definition.PrimaryKey))
        {
            return new(MySqlAlterCost.Rebuild, $"making {name} NOT NULL",
                "it rebuilds the whole table in place (writes continue, but it runs as long as a copy and replicas lag behind it), and at the end it fails if any row holds NULL (strict mode) or silently turns NULLs into 0 or '' (non-strict)");
        }

        return MySqlAlterJudgement.Online;
    }

    private static bool AddsPrimaryKey(AlterTableStatement statement) => statement.Actions.Any(a =>
        a is AddConstraintAction { Constraint.Kind: ConstraintKind.PrimaryKey } or AddColumnAction { Column.PrimaryKey: true });

    private static string RebuildWhy(string? because) =>
        "it rebuilds the whole table in place" + (because is null ? string.Empty : " (" + because + ")") + ": writes continue, but it runs as long as a copy, replicas lag behind it, and a busy table can overflow the online log and fail at the end";
}
