using Stepwise.Engines;
using Stepwise.Migrations.Schema;

namespace Stepwise.Migrations.Tests.Schema;

public sealed class SchemaDiffTests
{
    private static TableShape Users(params ColumnShape[] extra) => new(
        "users",
        [new ColumnShape("id", "bigint", false, null, "identity always"), new ColumnShape("email", "text", false, null), .. extra],
        [new IndexShape("users_email_idx", ["email"], false, "CREATE INDEX users_email_idx ON public.users USING btree (email)")],
        [new ConstraintShape("users_pkey", ConstraintShapeKind.PrimaryKey, ["id"], "PRIMARY KEY (id)")],
        [new TriggerShape("users_touch", "BEFORE UPDATE")]);

    private static SchemaSnapshot Of(params TableShape[] tables) => new(tables, [new EnumShape("mood", ["sad", "ok"])]);

    [Fact]
    public void Equal_snapshots_have_no_differences_even_when_built_separately()
    {
        Assert.Empty(SchemaDiff.Compare(Of(Users()), Of(Users())));
    }

    [Fact]
    public void Tables_added_and_removed_are_named_with_their_columns()
    {
        var extra = new TableShape("audit", [new ColumnShape("at", "timestamp", true, "now()")], [], [], []);
        var added = Assert.Single(SchemaDiff.Compare(Of(Users()), Of(Users(), extra)));
        Assert.Equal(new SchemaDifference(SchemaChangeKind.TableAdded, "audit", null, null, "(at timestamp DEFAULT now())"), added);
        var removed = Assert.Single(SchemaDiff.Compare(Of(Users(), extra), Of(Users())));
        Assert.Equal(SchemaChangeKind.TableRemoved, removed.Kind);
    }

    [Fact]
    public void Column_changes_are_typed_one_per_property()
    {
        var before = Of(Users(new ColumnShape("age", "integer", true, null)));
        var after = Of(Users(new ColumnShape("age", "bigint", false, "0", "identity by default")));
        var kinds = SchemaDiff.Compare(before, after).Select(d => (d.Kind, d.Name, d.Before, d.After)).ToList();
        Assert.Equal(
            [
                (SchemaChangeKind.ColumnTypeChanged, "age", "integer", "bigint"),
                (SchemaChangeKind.ColumnNullabilityChanged, "age", "NULL", "NOT NULL"),
                (SchemaChangeKind.ColumnDefaultChanged, "age", null, "0"),
                (SchemaChangeKind.ColumnIdentityChanged, "age", null, "identity by default"),
            ],
            kinds);
    }

    [Fact]
    public void Columns_added_and_removed_but_not_their_order()
    {
        var a = Of(Users(new ColumnShape("age", "integer", true, null)));
        var b = Of(Users(new ColumnShape("nick", "text", true, null)));
        Assert.Equal([SchemaChangeKind.ColumnRemoved, SchemaChangeKind.ColumnAdded], SchemaDiff.Compare(a, b).Select(d => d.Kind));

        var reordered = Users() with { Columns = [.. Users().Columns.Reverse()] };
        Assert.Empty(SchemaDiff.Compare(Of(Users()), Of(reordered)));
    }

    [Fact]
    public void Indexes_constraints_and_triggers_added_removed_and_changed()
    {
        var changed = Users() with
        {
            Indexes = [new IndexShape("users_email_idx", ["email"], true, "CREATE UNIQUE INDEX users_email_idx ON public.users USING btree (email)"), new IndexShape("users_id_idx", ["id"], false, "x")],
            Constraints = [new ConstraintShape("users_email_check", ConstraintShapeKind.Check, [], "CHECK ((email <> ''))")],
            Triggers = [new TriggerShape("users_touch", "AFTER UPDATE")],
        };
        Assert.Equal(
            [SchemaChangeKind.IndexChanged, SchemaChangeKind.IndexAdded, SchemaChangeKind.ConstraintAdded, SchemaChangeKind.ConstraintRemoved, SchemaChangeKind.TriggerChanged],
            SchemaDiff.Compare(Of(Users()), Of(changed)).Select(d => d.Kind));
    }

    [Fact]
    public void Enum_values_added_removed_or_reordered_are_reported()
    {
        var a = Of(Users());
        Assert.Equal(SchemaChangeKind.EnumValuesChanged, Assert.Single(SchemaDiff.Compare(a, a with { Enums = [new EnumShape("mood", ["sad", "ok", "happy"])] })).Kind);
        Assert.Equal(SchemaChangeKind.EnumValuesChanged, Assert.Single(SchemaDiff.Compare(a, a with { Enums = [new EnumShape("mood", ["ok", "sad"])] })).Kind);
        var gone = Assert.Single(SchemaDiff.Compare(a, a with { Enums = [] }));
        Assert.Equal((SchemaChangeKind.EnumRemoved, "('sad', 'ok')"), (gone.Kind, gone.Before));
    }

    [Fact]
    public void A_table_that_became_a_view_is_a_removal_and_an_addition()
    {
        var view = Users() with { IsView = true, Indexes = [], Constraints = [], Triggers = [] };
        Assert.Equal([SchemaChangeKind.TableRemoved, SchemaChangeKind.TableAdded], SchemaDiff.Compare(Of(Users()), Of(view)).Select(d => d.Kind));
    }
}
