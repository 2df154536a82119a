#!/usr/bin/env python3
"""Writes 1,000 small PostgreSQL migrations for the apply benchmark, in three forms of the same SQL.

    python3 bench/gen_apply_corpus.py [--out bench/out/apply] [--count 1000] [--seed 7]

Under --out it writes (after emptying them):
  stepwise/  {version}_{name}.up.sql and .down.sql      (stepwise / golang-migrate layout)
  dbmate/    {version}_{name}.sql with -- migrate:up / -- migrate:down sections
  all.sql    every up section concatenated, in version order, for `psql -1 -f`

The history evolves one schema the way a young application does: create a table (its indexes in the
same file), add nullable or constant-default columns, seed a few rows, add a child table with a foreign
key and the index that covers it, comment, create a view. Every migration is one that `stepwise up`'s
lint gate lets through without --allow-unsafe, and each runs in one transaction.
Deterministic for a seed. Prints "<migrations> <statements> <lines>" on standard output.
"""
import argparse
import datetime
import os
import random
import shutil

NOUNS = ["account", "member", "team", "project", "task", "comment", "attachment", "invoice", "payment",
         "refund", "subscription", "plan", "coupon", "product", "variant", "warehouse", "shipment", "carrier",
         "address", "customer", "supplier", "purchase", "cart", "review", "notification", "webhook", "api_key",
         "session", "device", "audit_event", "feature_flag", "experiment", "tag", "document", "folder",
         "message", "thread", "channel", "integration", "report", "dashboard", "widget", "schedule", "job_run",
         "import_batch", "export_file", "tenant", "region", "currency", "tax_rate", "price_list", "gift_card"]
# (name, type, constant default or None): constant defaults are metadata-only since PostgreSQL 11
COLUMNS = [
    ("title", "varchar(200)", None), ("description", "text", None), ("status", "text", "'active'"),
    ("kind", "text", None), ("phone", "varchar(32)", None), ("amount_cents", "bigint", "0"),
    ("quantity", "integer", "1"), ("price", "numeric(12,2)", None), ("currency_code", "char(3)", "'EUR'"),
    ("starts_at", "timestamptz", None), ("ends_at", "timestamptz", None), ("due_on", "date", None),
    ("is_active", "boolean", "true"), ("priority", "smallint", "0"), ("metadata", "jsonb", "'{}'::jsonb"),
    ("tags", "text[]", None), ("external_id", "uuid", None), ("position", "integer", None),
    ("notes", "text", None), ("locale", "varchar(10)", "'en'"), ("score", "double precision", None),
    ("archived_at", "timestamptz", None), ("last_seen_at", "timestamptz", None), ("slug", "text", None),
    ("code", "varchar(64)", None), ("url", "text", None), ("color", "varchar(7)", None),
]
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
         "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]


class Table:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.columns = ["id", "name", "created_at"] + ([parent + "_id"] if parent else [])
        self.rows = 0


class History:
    def __init__(self, rng):
        self.r = rng
        self.tables = []
        self.used_names = set()
        self.views = 0
        self.time = datetime.datetime(2021, 1, 11, 9, 0, 0)

    def version(self):
        self.time += datetime.timedelta(minutes=self.r.randint(3, 600), seconds=self.r.randint(0, 59))
        return self.time.strftime("%Y%m%d%H%M%S")

    def new_table_name(self):
        while True:
            noun = self.r.choice(NOUNS)
            name = noun if noun not in self.used_names else "%s_%d" % (noun, len(self.used_names))
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    # --- migration kinds: each returns (name, up statements, down statements) ----------------------
    def create_table(self):
        t = Table(self.new_table_name())
        self.tables.append(t)
        up = [
            "CREATE TABLE %s (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "    name text NOT NULL,\n"
            "    created_at timestamptz NOT NULL DEFAULT now()\n"
            ")" % t.name,
            "CREATE INDEX %s_created_at_idx ON %s (created_at)" % (t.name, t.name),
        ]
        if self.r.random() < 0.4:
            up.append("CREATE UNIQUE INDEX %s_name_key ON %s (name)" % (t.name, t.name))
        return "create_" + t.name, up, ["DROP TABLE %s" % t.name]

    def create_child_table(self):
        parent = self.r.choice(self.tables)
        t = Table(self.new_table_name(), parent.name)
        self.tables.append(t)
        fk = parent.name + "_id"
        up = [
            "CREATE TABLE %s (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "    %s bigint NOT NULL REFERENCES %s (id),\n"
            "    name text NOT NULL,\n"
            "    created_at timestamptz NOT NULL DEFAULT now()\n"
            ")" % (t.name, fk, parent.name),
            "CREATE INDEX %s_%s_idx ON %s (%s)" % (t.name, fk, t.name, fk),
        ]
        return "create_%s_for_%s" % (t.name, parent.name), up, ["DROP TABLE %s" % t.name]

    def add_column(self):
        t = self.r.choice(self.tables)
        free = [c for c in COLUMNS if c[0] not in t.columns]
        if not free:
            return self.create_table()
        count = 1 if self.r.random() < 0.7 else 2
        picked = self.r.sample(free, min(count, len(free)))
        up, down = [], []
        for name, type_, default in picked:
            t.columns.append(name)
            up.append("ALTER TABLE %s ADD COLUMN %s %s%s" % (t.name, name, type_, "" if default is None else " NOT NULL DEFAULT " + default))
            down.append("ALTER TABLE %s DROP COLUMN %s" % (t.name, name))
        return "add_%s_to_%s" % ("_and_".join(p[0] for p in picked), t.name), up, list(reversed(down))

    def seed_rows(self):
        t = self.r.choice(self.tables)
        if t.parent is not None:
            return self.add_column()
        values = []
        for _ in range(self.r.randint(2, 6)):
            t.rows += 1
            values.append("('%s %d')" % (self.r.choice(WORDS), t.rows))
        up = ["INSERT INTO %s (name) VALUES %s" % (t.name, ", ".join(values))]
        # a bounded delete (LIMIT subquery): the lint gate treats an unbounded one as an unbatched data change
        down = ["DELETE FROM %s WHERE id IN (SELECT id FROM %s WHERE name IN (%s) LIMIT %d)"
                % (t.name, t.name, ", ".join(v[1:-1] for v in values), len(values))]
        return "seed_" + t.name, up, down

    def comment(self):
        t = self.r.choice(self.tables)
        column = self.r.choice(t.columns)
        up = ["COMMENT ON TABLE %s IS 'Owned by the %s team'" % (t.name, self.r.choice(WORDS)),
              "COMMENT ON COLUMN %s.%s IS 'See the %s runbook'" % (t.name, column, self.r.choice(WORDS))]
        return "document_" + t.name, up, ["COMMENT ON TABLE %s IS NULL" % t.name]

    def create_view(self):
        t = self.r.choice(self.tables)
        self.views += 1
        view = "recent_%s_v%d" % (t.name, self.views)
        up = ["CREATE VIEW %s AS\n    SELECT id, name, created_at FROM %s\n    WHERE created_at > now() - interval '30 days'" % (view, t.name)]
        return "create_view_" + view, up, ["DROP VIEW %s" % view]

    def next(self):
        if len(self.tables) < 3:
            return self.create_table()
        roll = self.r.random()
        if roll < 0.28:
            return self.create_table()
        if roll < 0.38:
            return self.create_child_table()
        if roll < 0.66:
            return self.add_column()
        if roll < 0.86:
            return self.seed_rows()
        if roll < 0.95:
            return self.comment()
        return self.create_view()


def sql(statements):
    return "".join(s + ";\n" for s in statements)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out/apply")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    history = History(random.Random(args.seed))
    stepwise_dir = os.path.join(args.out, "stepwise")
    dbmate_dir = os.path.join(args.out, "dbmate")
    for folder in (stepwise_dir, dbmate_dir):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)

    statements = lines = 0
    with open(os.path.join(args.out, "all.sql"), "w") as concatenated:
        for _ in range(args.count):
            version = history.version()
            name, up, down = history.next()
            up_sql, down_sql = sql(up), sql(down)
            statements += len(up)
            lines += up_sql.count("\n")
            base = "%s_%s" % (version, name)
            with open(os.path.join(stepwise_dir, base + ".up.sql"), "w") as f:
                f.write(up_sql)
            with open(os.path.join(stepwise_dir, base + ".down.sql"), "w") as f:
                f.write(down_sql)
            with open(os.path.join(dbmate_dir, base + ".sql"), "w") as f:
                f.write("-- migrate:up\n" + up_sql + "\n-- migrate:down\n" + down_sql)
            concatenated.write("-- %s\n%s" % (base, up_sql))
    print(args.count, statements, lines)


if __name__ == "__main__":
    main()
