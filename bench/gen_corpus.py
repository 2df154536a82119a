#!/usr/bin/env python3
"""Writes a big, realistic PostgreSQL migrations folder (stepwise layout) for the lint benchmark.

Deterministic for a seed. The history evolves one schema: tables are created, then altered, indexed,
constrained, backfilled, renamed and dropped by later migrations; some migrations use the unsafe form
(non-concurrent index, unbatched UPDATE, NOT NULL without default, FK without NOT VALID ...).

    python3 bench/gen_corpus.py [--out bench/out/corpus] [--min-lines 40000] [--seed 42]
Prints "<files> <lines>" on the last line of standard output.
"""
import argparse
import datetime
import os
import random
import shutil

NOUNS = ["account", "member", "team", "project", "task", "comment", "attachment", "invoice", "invoice_line",
         "payment", "refund", "subscription", "plan", "coupon", "product", "variant", "inventory", "warehouse",
         "shipment", "carrier", "address", "customer", "supplier", "purchase", "purchase_line", "cart", "cart_item",
         "review", "rating", "notification", "webhook", "webhook_delivery", "api_key", "session", "device",
         "audit_event", "feature_flag", "experiment", "tag", "label", "document", "folder", "message", "thread",
         "channel", "integration", "report", "dashboard", "widget", "schedule", "job_run", "import_batch",
         "export_file", "tenant", "region", "currency", "tax_rate", "price_list", "discount", "gift_card"]
COLUMN_POOL = [
    ("name", "text"), ("title", "varchar(200)"), ("description", "text"), ("status", "text"), ("kind", "text"),
    ("email", "citext"), ("phone", "varchar(32)"), ("amount_cents", "bigint"), ("quantity", "integer"),
    ("price", "numeric(12,2)"), ("currency_code", "char(3)"), ("starts_at", "timestamptz"),
    ("ends_at", "timestamptz"), ("due_on", "date"), ("is_active", "boolean"), ("priority", "smallint"),
    ("metadata", "jsonb"), ("settings", "jsonb"), ("tags", "text[]"), ("external_id", "uuid"),
    ("ip_address", "inet"), ("position", "integer"), ("notes", "text"), ("locale", "varchar(10)"),
    ("timezone", "text"), ("score", "double precision"), ("version", "integer"), ("checksum", "bytea"),
    ("archived_at", "timestamptz"), ("last_seen_at", "timestamptz"), ("color", "varchar(7)"),
    ("slug", "text"), ("code", "varchar(64)"), ("weight_grams", "integer"), ("url", "text"),
]
STATUSES = ["pending", "active", "suspended", "archived", "deleted", "draft", "paid", "failed", "refunded"]


class Table:
    def __init__(self, name):
        self.name = name
        self.columns = {}
        self.indexes = set()
        self.fks = set()


class History:
    def __init__(self, rng):
        self.r = rng
        self.tables = {}
        self.enums = {}
        self.functions = set()
        self.time = datetime.datetime(2019, 3, 4, 9, 15, 0)
        self.files = []

    # --- helpers ------------------------------------------------------------------------------------
    def tick(self):
        self.time += datetime.timedelta(hours=self.r.randint(1, 40), minutes=self.r.randint(0, 59), seconds=self.r.randint(0, 59))
        return self.time.strftime("%Y%m%d%H%M%S")

    def pick_table(self):
        return self.tables[self.r.choice(sorted(self.tables))]

    def new_column(self, table):
        for _ in range(20):
            name, typ = self.r.choice(COLUMN_POOL)
            if self.r.random() < 0.3:
                name = name + "_" + self.r.choice(["v2", "new", "old", "raw", "normalized", "override"])
            if name not in table.columns:
                return name, typ
        return "extra_%d" % len(table.columns), "text"

    def default_for(self, typ):
        return {"text": "''", "boolean": "false", "integer": "0", "bigint": "0", "smallint": "0", "jsonb": "'{}'::jsonb",
                "text[]": "'{}'", "timestamptz": "now()", "date": "CURRENT_DATE", "double precision": "0",
                "numeric(12,2)": "0.00", "varchar(10)": "'en'", "char(3)": "'USD'"}.get(typ, "NULL")

    def header(self, purpose):
        lines = ["-- " + purpose]
        if self.r.random() < 0.3:
            lines.append("-- Ticket: APP-%d. Reviewed by the platform team." % self.r.randint(100, 9999))
        return lines

    # --- migrations -----------------------------------------------------------------------------------
    def create_table(self, name=None):
        name = name or self.r.choice([n for n in NOUNS if n + "s" not in self.tables] or NOUNS) + "s"
        if name in self.tables:
            name = name[:-1] + "_v%d" % self.r.randint(2, 9)
        t = Table(name)
        out = self.header("Create %s." % name)
        out.append("CREATE TABLE %s (" % name)
        cols = ["    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" if self.r.random() < 0.6
                else "    id uuid PRIMARY KEY DEFAULT gen_random_uuid()"]
        t.columns["id"] = "bigint"
        parents = [p for p in sorted(self.tables) if p != name]
        for parent in self.r.sample(parents, min(len(parents), self.r.randint(0, 2))):
            col = parent[:-1] + "_id"
            if col in t.columns:
                continue
            t.columns[col] = "bigint"
            action = self.r.choice(["ON DELETE CASCADE", "ON DELETE SET NULL", "ON DELETE RESTRICT", ""])
            nn = " NOT NULL" if "SET NULL" not in action and self.r.random() < 0.6 else ""
            cols.append("    %s bigint%s REFERENCES %s (id)%s" % (col, nn, parent, (" " + action) if action else ""))
            t.fks.add(col)
        for _ in range(self.r.randint(3, 12)):
            c, typ = self.new_column(t)
            t.columns[c] = typ
            mods = ""
            if self.r.random() < 0.35:
                mods += " NOT NULL"
                if self.r.random() < 0.7 and self.default_for(typ) != "NULL":
                    mods += " DEFAULT " + self.default_for(typ)
            elif self.r.random() < 0.1:
                mods += " UNIQUE"
            if c == "status" and self.r.random() < 0.5:
                mods += " CHECK (status IN (%s))" % ", ".join("'%s'" % s for s in self.r.sample(STATUSES, 4))
            cols.append("    %s %s%s" % (c, typ, mods))
        cols.append("    created_at timestamptz NOT NULL DEFAULT now()")
        cols.append("    updated_at timestamptz NOT NULL DEFAULT now()")
        t.columns["created_at"] = t.columns["updated_at"] = "timestamptz"
        if self.r.random() < 0.15 and "slug" in t.columns:
            cols.append("    CONSTRAINT %s_slug_key UNIQUE (slug)" % name)
        out.append(",\n".join(cols))
        out.append(");")
        out.append("")
        for col in sorted(t.fks):
            out.append("CREATE INDEX %s_%s_idx ON %s (%s);" % (name, col, name, col))
            t.indexes.add(col)
        if self.r.random() < 0.4:
            out.append("")
            out.append("COMMENT ON TABLE %s IS '%s';" % (name, self.r.choice(["Owned by the billing team.", "One row per %s; soft-deleted rows keep archived_at." % name[:-1], "Synced nightly from the CRM; do not edit by hand."])))
        if self.r.random() < 0.3 and "touch_updated_at" in self.functions:
            out.append("")
            out.append("CREATE TRIGGER %s_touch BEFORE UPDATE ON %s\n    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();" % (name, name))
        self.tables[name] = t
        down = ["DROP TABLE IF EXISTS %s;" % name]
        return "create_" + name, out, down

    def add_column(self):
        t = self.pick_table()
        out = self.header("Add columns to %s." % t.name)
        down = []
        for _ in range(self.r.randint(1, 3)):
            c, typ = self.new_column(t)
            t.columns[c] = typ
            k = self.r.random()
            if k < 0.55:
                out.append("ALTER TABLE %s ADD COLUMN %s %s;" % (t.name, c, typ))
            elif k < 0.8 and self.default_for(typ) != "NULL":
                out.append("ALTER TABLE %s ADD COLUMN %s %s NOT NULL DEFAULT %s;" % (t.name, c, typ, self.default_for(typ)))
            elif k < 0.9:
                out.append("ALTER TABLE %s ADD COLUMN %s %s NOT NULL;" % (t.name, c, typ))  # unsafe
            else:
                out.append("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s uuid DEFAULT gen_random_uuid();" % (t.name, c))  # volatile
            down.append("ALTER TABLE %s DROP COLUMN IF EXISTS %s;" % (t.name, c))
        return "add_columns_to_" + t.name, out, down

    def add_index(self):
        t = self.pick_table()
        cols = self.r.sample(sorted(t.columns), min(len(t.columns), self.r.randint(1, 2)))
        name = "%s_%s_idx" % (t.name, "_".join(cols))
        if name in t.indexes:
            name = name[:-4] + "_%d_idx" % self.r.randint(2, 99)
        t.indexes.add(name)
        concurrently = self.r.random() < 0.7
        unique = "UNIQUE " if self.r.random() < 0.15 else ""
        where = ""
        if "archived_at" in t.columns and self.r.random() < 0.3:
            where = " WHERE archived_at IS NULL"
        elif "status" in t.columns and self.r.random() < 0.2:
            where = " WHERE status <> 'deleted'"
        method = ""
        if len(cols) == 1 and t.columns[cols[0]] == "jsonb":
            method = " USING gin"
        out = self.header("Index %s (%s)." % (t.name, ", ".join(cols)))
        if concurrently:
            out.append("-- CONCURRENTLY cannot run inside a transaction block; stepwise runs it on its own.")
        out.append("CREATE %sINDEX %s%s ON %s%s (%s)%s;" % (unique, "CONCURRENTLY " if concurrently else "", name, t.name, method, ", ".join(cols), where))
        return "index_" + name, out, ["DROP INDEX %s%s;" % ("CONCURRENTLY " if concurrently else "", name)]

    def add_fk(self):
        child = self.pick_table()
        parent = self.pick_table()
        col = parent.name[:-1] + "_id"
        out = self.header("Link %s to %s." % (child.name, parent.name))
        if col not in child.columns:
            out.append("ALTER TABLE %s ADD COLUMN %s bigint;" % (child.name, col))
            child.columns[col] = "bigint"
        cname = "%s_%s_fkey" % (child.name, col)
        if self.r.random() < 0.65:
            out.append("ALTER TABLE %s\n    ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (id) NOT VALID;" % (child.name, cname, col, parent.name))
            out.append("ALTER TABLE %s VALIDATE CONSTRAINT %s;" % (child.name, cname))
        else:
            out.append("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (id) ON DELETE CASCADE;" % (child.name, cname, col, parent.name))
        if self.r.random() < 0.5:
            out.append("CREATE INDEX CONCURRENTLY IF NOT EXISTS %s_%s_idx ON %s (%s);" % (child.name, col, child.name, col))
        child.fks.add(col)
        return "fk_" + cname, out, ["ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;" % (child.name, cname)]

    def backfill(self):
        t = self.pick_table()
        c = self.r.choice(sorted(t.columns))
        typ = t.columns[c]
        value = self.default_for(typ)
        out = self.header("Backfill %s.%s." % (t.name, c))
        k = self.r.random()
        if k < 0.45:
            out += [
                "DO $$",
                "DECLARE",
                "    batch_size constant integer := %d;" % self.r.choice([500, 1000, 5000, 10000]),
                "    affected integer;",
                "BEGIN",
                "    LOOP",
                "        UPDATE %s" % t.name,
                "        SET %s = %s" % (c, value),
                "        WHERE id IN (",
                "            SELECT id FROM %s" % t.name,
                "            WHERE %s IS NULL" % c,
                "            ORDER BY id",
                "            LIMIT batch_size",
                "            FOR UPDATE SKIP LOCKED",
                "        );",
                "        GET DIAGNOSTICS affected = ROW_COUNT;",
                "        RAISE NOTICE 'backfilled %% rows of %s.%s', affected;" % (t.name, c),
                "        EXIT WHEN affected = 0;",
                "        COMMIT;",
                "    END LOOP;",
                "END",
                "$$;",
            ]
        elif k < 0.75:
            out.append("UPDATE %s SET %s = %s WHERE %s IS NULL;" % (t.name, c, value, c))  # unbatched
        elif k < 0.9:
            lo = self.r.randint(0, 10) * 100000
            out.append("UPDATE %s SET %s = %s\nWHERE id >= %d AND id < %d AND %s IS NULL;" % (t.name, c, value, lo, lo + 100000, c))
        else:
            out.append("DELETE FROM %s WHERE created_at < now() - interval '%d days';" % (t.name, self.r.choice([30, 90, 365])))
        return "backfill_%s_%s" % (t.name, c), out, []

    def not_null(self):
        t = self.pick_table()
        c = self.r.choice(sorted(t.columns))
        out = self.header("Make %s.%s required." % (t.name, c))
        if self.r.random() < 0.5:
            ck = "%s_%s_not_null" % (t.name, c)
            out.append("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID;" % (t.name, ck, c))
            out.append("ALTER TABLE %s VALIDATE CONSTRAINT %s;" % (t.name, ck))
            out.append("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;" % (t.name, c))
            out.append("ALTER TABLE %s DROP CONSTRAINT %s;" % (t.name, ck))
        else:
            out.append("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;" % (t.name, c))
        return "require_%s_%s" % (t.name, c), out, ["ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;" % (t.name, c)]

    def change_type(self):
        t = self.pick_table()
        c = self.r.choice(sorted(t.columns))
        new = self.r.choice(["text", "bigint", "varchar(500)", "numeric(14,4)", "jsonb"])
        out = self.header("Widen %s.%s." % (t.name, c))
        using = " USING %s::%s" % (c, new) if new in ("bigint", "numeric(14,4)", "jsonb") else ""
        out.append("ALTER TABLE %s ALTER COLUMN %s TYPE %s%s;" % (t.name, c, new, using))
        t.columns[c] = new
        return "retype_%s_%s" % (t.name, c), out, []

    def rename_or_drop(self):
        t = self.pick_table()
        out = self.header("Clean up %s." % t.name)
        c = self.r.choice([k for k in sorted(t.columns) if k != "id"] or ["id"])
        k = self.r.random()
        if k < 0.35 and c != "id":
            new = c + "_renamed"
            out.append("ALTER TABLE %s RENAME COLUMN %s TO %s;" % (t.name, c, new))
            t.columns[new] = t.columns.pop(c)
            return "rename_%s_%s" % (t.name, c), out, ["ALTER TABLE %s RENAME COLUMN %s TO %s;" % (t.name, new, c)]
        if k < 0.8 and c != "id":
            out.append("-- stepwise:ignore drop-column the app stopped reading it in release 2.%d" % self.r.randint(1, 60)
                       if self.r.random() < 0.3 else "-- No code reads this column any more.")
            out.append("ALTER TABLE %s DROP COLUMN IF EXISTS %s;" % (t.name, c))
            t.columns.pop(c)
            return "drop_%s_%s" % (t.name, c), out, []
        if len(self.tables) > 12:
            out.append("DROP TABLE IF EXISTS %s CASCADE;" % t.name)
            del self.tables[t.name]
            return "drop_" + t.name, out, []
        return self.add_column()

    def enum(self):
        name = self.r.choice(NOUNS) + "_status"
        out = self.header("Enum %s." % name)
        if name not in self.enums:
            vals = self.r.sample(STATUSES, 4)
            self.enums[name] = vals
            out.append("CREATE TYPE %s AS ENUM (%s);" % (name, ", ".join("'%s'" % v for v in vals)))
            return "create_type_" + name, out, ["DROP TYPE IF EXISTS %s;" % name]
        v = self.r.choice(["on_hold", "expired", "disputed", "queued", "retrying"]) + "_%d" % self.r.randint(1, 999)
        out.append("ALTER TYPE %s ADD VALUE IF NOT EXISTS '%s';" % (name, v))
        return "extend_" + name, out, []

    def function(self):
        out = self.header("Helper functions.")
        if "touch_updated_at" not in self.functions:
            self.functions.add("touch_updated_at")
            out += [
                "CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger",
                "LANGUAGE plpgsql AS $$",
                "BEGIN",
                "    NEW.updated_at := now();",
                "    RETURN NEW;",
                "END;",
                "$$;",
            ]
            return "touch_updated_at", out, ["DROP FUNCTION IF EXISTS touch_updated_at();"]
        t = self.pick_table()
        fname = "%s_count_%d" % (t.name, len(self.functions))
        self.functions.add(fname)
        if self.r.random() < 0.5:
            out += [
                "CREATE OR REPLACE FUNCTION %s(p_since timestamptz DEFAULT now() - interval '1 day')" % fname,
                "RETURNS bigint",
                "LANGUAGE sql STABLE",
                "BEGIN ATOMIC",
                "    SELECT count(*) FROM %s WHERE created_at >= p_since;" % t.name,
                "END;",
            ]
        else:
            out += [
                "CREATE OR REPLACE FUNCTION %s(p_since timestamptz) RETURNS bigint" % fname,
                "LANGUAGE plpgsql STABLE AS $fn$",
                "DECLARE",
                "    n bigint;",
                "BEGIN",
                "    -- counts rows; the ';' inside this body must not split the statement",
                "    SELECT count(*) INTO n FROM %s WHERE created_at >= p_since;" % t.name,
                "    IF n IS NULL THEN",
                "        RAISE EXCEPTION 'no rows in %s; check the since date';" % t.name,
                "    END IF;",
                "    RETURN n;",
                "END;",
                "$fn$;",
            ]
        return "fn_" + fname, out, ["DROP FUNCTION IF EXISTS %s(timestamptz);" % fname]

    def view(self):
        t = self.pick_table()
        cols = ", ".join(self.r.sample(sorted(t.columns), min(4, len(t.columns))))
        out = self.header("Reporting view over %s." % t.name)
        if self.r.random() < 0.5:
            out.append("CREATE OR REPLACE VIEW %s_recent AS\nSELECT %s\nFROM %s\nWHERE created_at > now() - interval '30 days';" % (t.name, cols, t.name))
            return "view_%s_recent" % t.name, out, ["DROP VIEW IF EXISTS %s_recent;" % t.name]
        out.append("CREATE MATERIALIZED VIEW IF NOT EXISTS %s_daily AS\nSELECT date_trunc('day', created_at) AS day, count(*) AS n\nFROM %s\nGROUP BY 1\nWITH NO DATA;" % (t.name, t.name))
        out.append("CREATE UNIQUE INDEX IF NOT EXISTS %s_daily_day_idx ON %s_daily (day);" % (t.name, t.name))
        return "mview_%s_daily" % t.name, out, ["DROP MATERIALIZED VIEW IF EXISTS %s_daily;" % t.name]

    def seed(self):
        t = self.pick_table()
        cols = [c for c in sorted(t.columns) if t.columns[c] in ("text", "varchar(200)", "integer", "boolean")][:3]
        if not cols:
            return self.add_column()
        out = self.header("Seed reference data for %s." % t.name)
        rows = []
        for i in range(self.r.randint(10, 120)):
            vals = []
            for c in cols:
                typ = t.columns[c]
                if typ == "integer":
                    vals.append(str(self.r.randint(0, 10000)))
                elif typ == "boolean":
                    vals.append(self.r.choice(["true", "false"]))
                else:
                    vals.append("'%s %d; it''s seeded'" % (c, i))
            rows.append("    (" + ", ".join(vals) + ")")
        out.append("INSERT INTO %s (%s) VALUES\n%s\nON CONFLICT DO NOTHING;" % (t.name, ", ".join(cols), ",\n".join(rows)))
        return "seed_" + t.name, out, []

    def misc(self):
        t = self.pick_table()
        k = self.r.random()
        out = self.header("Maintenance on %s." % t.name)
        if k < 0.2:
            out.append("GRANT SELECT ON %s TO readonly;" % t.name)
            out.append("GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO app_user;" % t.name)
        elif k < 0.35:
            out.append("SET lock_timeout = '3s';")
            out.append("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS 1000;" % (t.name, self.r.choice(sorted(t.columns))))
            out.append("RESET lock_timeout;")
        elif k < 0.45:
            out.append("VACUUM (ANALYZE) %s;" % t.name)
        elif k < 0.52:
            out.append("LOCK TABLE %s IN SHARE MODE;" % t.name)
            out.append("UPDATE %s SET updated_at = now() WHERE id = 1;" % t.name)
        elif k < 0.6:
            out.append("REINDEX TABLE %s;" % t.name)
        elif k < 0.7:
            out.append("ALTER TABLE %s ENABLE ROW LEVEL SECURITY;" % t.name)
            out.append("CREATE POLICY %s_tenant ON %s USING (true);" % (t.name, t.name))
        elif k < 0.8:
            out.append("COMMENT ON COLUMN %s.%s IS 'Set by the importer; see docs/importer.md';" % (t.name, self.r.choice(sorted(t.columns))))
        elif k < 0.9:
            out.append("ALTER TABLE %s ADD CONSTRAINT %s_positive_id CHECK (id > 0);" % (t.name, t.name))
        else:
            out.append("BEGIN;")
            out.append("ALTER TABLE %s ADD COLUMN IF NOT EXISTS audit_note text;" % t.name)
            out.append("UPDATE %s SET audit_note = 'migrated' WHERE audit_note IS NULL;" % t.name)
            out.append("COMMIT;")
            t.columns["audit_note"] = "text"
        return "maintain_" + t.name, out, []

    def initial(self):
        # The first migration of a big app: extensions, a schema and a burst of tables.
        out = ["-- Initial schema.", "CREATE EXTENSION IF NOT EXISTS pgcrypto;", "CREATE EXTENSION IF NOT EXISTS citext;", ""]
        down = []
        for name in ["tenants", "accounts", "members", "teams", "projects", "tasks"]:
            _, body, d = self.create_table(name)
            out += body + [""]
            down = d + down
        return "initial_schema", out, down

    KINDS = [("create_table", 9), ("add_column", 20), ("add_index", 14), ("add_fk", 8), ("backfill", 10),
             ("not_null", 5), ("change_type", 4), ("rename_or_drop", 6), ("enum", 4), ("function", 3), ("view", 4),
             ("seed", 4), ("misc", 9)]

    def next_migration(self):
        # A migration usually carries a feature's worth of changes: a column, its index, a backfill ...
        names = [k for k, _ in self.KINDS]
        weights = [w for _, w in self.KINDS]
        count = self.r.choices([1, 2, 3, 4, 5, 6], [30, 28, 20, 12, 6, 4])[0]
        name, up, down = None, [], []
        for _ in range(count):
            n, u, d = getattr(self, self.r.choices(names, weights)[0])()
            name = name or n
            up += ([""] if up else []) + u
            down = d + down
        return name, up, down


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "corpus"))
    ap.add_argument("--min-lines", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    h = History(rng)
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    lines = files = 0
    first = True
    while lines < args.min_lines:
        name, up, down = h.initial() if first else h.next_migration()
        first = False
        version = h.tick()
        up_text = "\n".join(up).rstrip() + "\n"
        with open(os.path.join(args.out, "%s_%s.up.sql" % (version, name)), "w", encoding="utf-8", newline="\n") as f:
            f.write(up_text)
        lines += up_text.count("\n")
        files += 1
        if down and rng.random() < 0.6:
            down_text = "\n".join(down) + "\n"
            with open(os.path.join(args.out, "%s_%s.down.sql" % (version, name)), "w", encoding="utf-8", newline="\n") as f:
                f.write(down_text)
            lines += down_text.count("\n")
            files += 1
    print(files, lines)


if __name__ == "__main__":
    main()
