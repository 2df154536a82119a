#!/usr/bin/env python3
"""Generates generated/gen_NN.sql: varied PostgreSQL 15 DDL/DML dense in lexical traps.

Deterministic (fixed seed): re-running it rewrites the same files. Every file must parse with
libpg_query (the differential test checks). Usage: python3 generate.py [--files N] [--per-file N]
"""
import argparse
import os
import random

SEED = 15_04_2024
HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = ["member", "account", "purchase", "invoice", "payment", "product", "item", "event", "session", "team",
         "project", "task", "comment", "tag", "address", "shipment", "refund", "coupon", "audit", "setting",
         "message", "channel", "device", "token", "report", "job", "webhook", "plan", "price", "tenant"]
COLS = ["id", "name", "email", "status", "kind", "amount", "total_cents", "created_at", "updated_at",
        "deleted_at", "owner_id", "parent_id", "position", "note", "payload", "score", "code", "title",
        "body", "version", "locale", "region", "priority", "due_on", "archived", "external_ref", "slug"]
WEIRD_IDENTS = ['"semi;colon"', '"quo""te"', '"Mixed Case"', '"--dash"', '"/*star"', '"$$dollar"', 'café',
                '"名前"', 'x$y', 'a$$b$$', '"select"', '"a;b;c"', '"it\'s"']
TAGS = ["$$", "$fn$", "$body$", "$_$", "$x1$", "$plpgsql$", "$Ü$", "$q$", "$outer$"]
INNER_TAGS = ["$i$", "$inner$", "$sql$", "$q2$", "$_i$"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.protected = []
        self.body_tag = None  # inside a dollar-quoted body, literals must not contain '$'


    # --- literals are protected from whitespace/comment injection and case changes -----------------
    def p(self, text):
        self.protected.append(text)
        return "\x00%d\x00" % (len(self.protected) - 1)

    def choice(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def ident(self):
        if self.chance(0.08):
            weird = self.choice(WEIRD_IDENTS)
            if self.body_tag is None or "$" not in weird:
                return self.p(weird)
        return self.choice(COLS) if self.chance(0.5) else self.choice(WORDS) + "_" + self.choice(COLS)

    def name(self):
        return self.choice(COLS) if self.chance(0.5) else self.choice(WORDS) + "_" + self.choice(COLS)

    def plain_table(self):
        return self.choice(["", "app."]) + self.choice(WORDS) + self.choice(["s", "_log", "_items", ""])

    def table(self):
        name = self.choice(WORDS) + self.choice(["s", "_log", "_items", "_history", "s_v2", ""])
        if self.chance(0.07):
            name = self.p(self.choice(['"Order Items"', '"semi;table"', '"q""t"', '"名前表"']))
        if self.chance(0.4):
            name = self.choice(["app", "public", "billing", self.p('"My Schema"')]) + "." + name
        return name

    def string(self):
        """A string literal in one of PostgreSQL's forms, often holding a ';', quote or comment opener."""
        content = self.choice(["a;b", "it's", "--not a comment", "/* nor */", "$$", "x", "", "semi; colon; ",
                               "O'Reilly; Inc.", "naïve café", "end;", "\"dq\"", "100%", "{\"k\": \";\"}"])
        if self.body_tag is not None:
            content = content.replace("$", "")
        form = self.r.randrange(10)
        if self.body_tag is not None and form in (6, 7):
            form = 0
        if form <= 4:
            return self.p("'" + content.replace("'", "''") + "'")
        if form == 5:
            return self.p("E'" + content.replace("\\", "\\\\").replace("'", "\\'") + self.choice(["", "\\n", "\\t", "\\\\"]) + "'")
        if form == 6 and "$" not in content:
            return self.p("$$" + content + "$$")
        if form == 7 and "$" not in content:
            return self.p("$s$" + content + "$s$")
        if form == 8:
            return self.p("U&'" + content.replace("'", "''").replace("\\", "\\\\") + "\\0041'")
        return self.p("'" + content.replace("'", "''") + "'")

    def number(self):
        return self.choice(["0", "1", "42", "100", "1000", "3.14", "0.5", "1e3", "-7", "65535"])

    def literal(self):
        return self.string() if self.chance(0.5) else self.number()

    def coltype(self):
        return self.choice(["int", "integer", "bigint", "smallint", "text", "varchar(255)", "character varying(64)",
                            "boolean", "timestamptz", "timestamp " + self.p("with time zone"), "timestamp(3) " + self.p("without time zone"),
                            "date", "numeric(12, 2)", "numeric", "jsonb", "json", "uuid", "bytea", "text[]",
                            "int[]", "double precision", "real", "interval", "inet", "citext", "char(2)",
                            "bit varying(8)", "tsvector", "int4range", "time", "money", "xml"])

    def expr(self, depth=0):
        k = self.r.randrange(12 if depth < 2 else 6)
        c = self.ident()
        if k == 0:
            return c + " = " + self.literal()
        if k == 1:
            return c + " IS NOT NULL"
        if k == 2:
            return c + " IN (" + ", ".join(self.literal() for _ in range(self.r.randint(1, 3))) + ")"
        if k == 3:
            return c + " > now() - interval " + self.p("'" + self.choice(["1 day", "30 days", "2 hours; ok"]) + "'")
        if k == 4:
            return "lower(" + c + ") LIKE " + self.string()
        if k == 5:
            return c + " BETWEEN " + self.number() + " AND " + self.number()
        if k == 6:
            return "(" + self.expr(depth + 1) + " AND " + self.expr(depth + 1) + ")"
        if k == 7:
            return "NOT (" + self.expr(depth + 1) + " OR " + self.expr(depth + 1) + ")"
        if k == 8:
            return "CASE WHEN " + self.expr(depth + 1) + " THEN " + self.literal() + " ELSE " + self.literal() + " END = " + self.literal()
        if k == 9:
            return "EXISTS (SELECT 1 FROM " + self.table() + " t WHERE t." + self.ident() + " = " + self.literal() + ")"
        if k == 10:
            return c + "::text <> " + self.string()
        return "coalesce(" + c + ", " + self.literal() + ") = " + self.literal()

    def value_expr(self):
        return self.choice([self.literal(), "now()", "DEFAULT", "gen_random_uuid()", "NULL",
                            "upper(" + self.string() + ")", self.ident() + " + 1", "'{}'::jsonb",
                            "ARRAY[" + self.literal() + "]", "(SELECT max(id) FROM " + self.table() + ")"])

    # --- statements ----------------------------------------------------------------------------------
    def create_table(self):
        cols = []
        for _ in range(self.r.randint(1, 9)):
            col = self.ident() + " " + self.coltype()
            options = (["NOT NULL", "NULL", "UNIQUE", "PRIMARY KEY",
                                          "DEFAULT " + self.literal(), "DEFAULT now()", "DEFAULT gen_random_uuid()",
                                          "CHECK (" + self.expr() + ")", "REFERENCES " + self.table() + " (id) ON DELETE CASCADE",
                                          "COLLATE \"C\"", "CONSTRAINT " + self.name() + "_ck CHECK (" + self.expr() + ")"])
            for option in self.r.sample(options, self.r.randint(0, 2)):
                col += " " + option
            cols.append(col)
        if self.chance(0.3):
            cols.insert(0, "id bigint GENERATED " + self.choice(["ALWAYS", "BY DEFAULT"]) + " AS IDENTITY PRIMARY KEY")
        if self.chance(0.2):
            cols.append("total numeric GENERATED ALWAYS AS (" + self.number() + " * 2) STORED")
        if self.chance(0.3):
            cols.append("CONSTRAINT " + self.name() + "_fk FOREIGN KEY (" + self.ident() + ") REFERENCES " + self.table()
                        + " (id) " + self.choice(["ON DELETE SET NULL", "ON UPDATE CASCADE", "DEFERRABLE INITIALLY DEFERRED", "NOT VALID" if False else "MATCH FULL"]))
        if self.chance(0.2):
            cols.append("UNIQUE (" + self.ident() + ", " + self.ident() + ")")
        if self.chance(0.2):
            cols.append("CHECK (" + self.expr() + ")")
        head = "CREATE " + self.choice(["", "", "", "UNLOGGED ", "TEMPORARY ", "TEMP "]) + "TABLE " + self.choice(["", "IF NOT EXISTS "])
        sep = self.choice([", ", ",\n    ", " ,\n\t"])
        tail = ""
        if self.chance(0.15):
            tail = " PARTITION BY " + self.choice(["RANGE (" + self.ident() + ")", "LIST (" + self.ident() + ")", "HASH (" + self.ident() + ")"])
        elif self.chance(0.15):
            tail = " WITH (fillfactor = " + self.choice(["70", "90", "100"]) + ")"
        return head + self.table() + " (\n    " + sep.join(cols) + "\n)" + tail

    def create_partition(self):
        kind = self.r.randrange(3)
        bound = ["FOR VALUES FROM (" + self.string() + ") TO (MAXVALUE)",
                 "FOR VALUES IN (" + self.string() + ", " + self.string() + ")",
                 "FOR VALUES WITH (MODULUS 8, REMAINDER " + str(self.r.randrange(8)) + ")"][kind]
        if self.chance(0.2):
            bound = "DEFAULT"
        return "CREATE TABLE " + self.plain_table() + "_p" + str(self.r.randrange(100)) + " PARTITION OF " + self.table() + " " + bound

    def alter_action(self):
        c = self.ident()
        n = self.name()
        return self.choice([
            "ADD COLUMN " + c + " " + self.coltype(),
            "ADD COLUMN IF NOT EXISTS " + c + " " + self.coltype() + " NOT NULL DEFAULT " + self.literal(),
            "ADD COLUMN " + c + " " + self.coltype() + " DEFAULT " + self.choice([self.literal(), "now()", "gen_random_uuid()", "NULL", "'{}'::jsonb"]),
            "ADD " + c + " " + self.coltype() + " REFERENCES " + self.table() + " (id)",
            "DROP COLUMN " + c, "DROP COLUMN IF EXISTS " + c + " CASCADE",
            "ALTER COLUMN " + c + " TYPE " + self.coltype(),
            "ALTER COLUMN " + c + " SET DATA TYPE " + self.coltype() + " USING " + c + "::" + self.coltype(),
            "ALTER COLUMN " + c + " SET DEFAULT " + self.literal(), "ALTER COLUMN " + c + " DROP DEFAULT",
            "ALTER COLUMN " + c + " SET NOT NULL", "ALTER COLUMN " + c + " DROP NOT NULL",
            "ALTER COLUMN " + c + " SET STATISTICS 200",
            "ADD CONSTRAINT " + n + "_ck CHECK (" + self.expr() + ") NOT VALID",
            "ADD CONSTRAINT " + n + "_ck CHECK (" + c + " IS NOT NULL) NOT VALID",
            "VALIDATE CONSTRAINT " + n + "_ck",
            "ADD CONSTRAINT " + n + "_fk FOREIGN KEY (" + c + ") REFERENCES " + self.table() + " (id) NOT VALID",
            "ADD CONSTRAINT " + n + "_key UNIQUE USING INDEX " + n + "_idx",
            "ADD CONSTRAINT " + n + "_key UNIQUE (" + c + ")",
            "ADD PRIMARY KEY (" + c + ")",
            "DROP CONSTRAINT IF EXISTS " + n + "_ck",
            "RENAME COLUMN " + c + " TO " + self.ident(),
            "RENAME TO " + self.choice(WORDS) + "_renamed",
            "SET SCHEMA archive", "OWNER TO app_owner", "SET (fillfactor = 80)", "RESET (fillfactor)",
            "ENABLE ROW LEVEL SECURITY", "DISABLE TRIGGER ALL", "REPLICA IDENTITY FULL",
            "SET LOGGED", "SET UNLOGGED", "CLUSTER ON " + n + "_idx", "SET WITHOUT CLUSTER",
            "ALTER COLUMN " + c + " ADD GENERATED BY DEFAULT AS IDENTITY",
            "DETACH PARTITION " + self.table() + " CONCURRENTLY",
            "ATTACH PARTITION " + self.table() + " FOR VALUES IN (" + self.string() + ")",
        ])

    def alter_table(self):
        head = "ALTER TABLE " + self.choice(["", "", "IF EXISTS ", "ONLY "]) + self.table() + " "
        action = self.alter_action()
        if action.startswith(("RENAME", "SET SCHEMA", "DETACH", "ATTACH")):
            return head + action
        actions = [action]
        for _ in range(self.r.choice([0, 0, 0, 1, 2])):
            a = self.alter_action()
            if not a.startswith(("RENAME", "SET SCHEMA", "DETACH", "ATTACH")):
                actions.append(a)
        return head + self.choice([", ", ",\n    "]).join(actions)

    def create_index(self):
        keys = []
        for _ in range(self.r.randint(1, 3)):
            k = self.r.randrange(5)
            c = self.ident()
            keys.append([c, c + " DESC " + self.p("NULLS LAST"), "lower(" + c + ")", "(" + c + " || " + self.string() + ")",
                         c + " text_pattern_ops"][k])
        s = "CREATE " + self.choice(["", "UNIQUE "]) + "INDEX " + self.choice(["", "CONCURRENTLY "])
        s += self.choice(["", "IF NOT EXISTS "]) + self.choice(WORDS) + "_" + str(self.r.randrange(1000)) + "_idx ON "
        s += self.choice(["", "ONLY "]) + self.table()
        s += self.choice(["", " USING btree", " USING gin", " USING gist", " USING brin", " USING hash"])
        s += " (" + ", ".join(keys) + ")"
        if self.chance(0.2):
            s += " INCLUDE (" + self.ident() + ")"
        if self.chance(0.15):
            s += " WITH (fillfactor = 90)"
        if self.chance(0.35):
            s += " WHERE " + self.expr()
        return s

    def drop(self):
        return self.choice([
            "DROP INDEX " + self.choice(["", "CONCURRENTLY "]) + self.choice(["", "IF EXISTS "]) + self.choice(WORDS) + "_idx",
            "DROP TABLE " + self.choice(["", "IF EXISTS "]) + self.table() + self.choice(["", " CASCADE", " RESTRICT"]),
            "DROP VIEW IF EXISTS " + self.table(), "DROP SEQUENCE IF EXISTS " + self.plain_table() + "_seq",
            "DROP TYPE IF EXISTS " + self.choice(WORDS) + "_kind CASCADE",
            "DROP FUNCTION IF EXISTS " + self.choice(WORDS) + "_fn(int, text)",
            "DROP TRIGGER IF EXISTS " + self.choice(WORDS) + "_trg ON " + self.table(),
        ])

    def plpgsql_stmt(self, tag):
        inner = self.choice([t for t in INNER_TAGS if t != tag])
        return self.choice([
            "UPDATE " + self.table() + " SET " + self.ident() + " = " + self.literal() + " WHERE " + self.expr() + ";",
            "INSERT INTO " + self.table() + " (" + self.ident() + ") VALUES (" + self.literal() + ");",
            "DELETE FROM " + self.table() + " WHERE " + self.expr() + ";",
            "PERFORM pg_sleep(0.01);",
            "RAISE NOTICE " + self.p("'progress %; done'") + ", v_count;",
            "EXECUTE " + self.p(inner + " UPDATE t SET a = 'x;y' WHERE b = $1 " + inner) + " USING v_count;",
            "EXECUTE format(" + self.p("'ALTER TABLE %I ADD COLUMN c int; -- inside a string'") + ", v_name);",
            "v_count := v_count + 1; -- counter; with a semicolon in a comment",
            "/* block comment ; with ' quote */ v_name := " + self.p("'it''s'") + ";",
            "IF v_count > 10 THEN\n        RETURN;\n    END IF;",
            "COMMIT;",
            "v_text := " + self.p("'contains " + ("$$" if tag != "$$" else "$ x $") + " and ; inside'") + ";",
            "FOR r IN SELECT * FROM " + self.table() + " LOOP\n        v_count := v_count + 1;\n    END LOOP;",
            "WHILE v_count < 100 LOOP\n        v_count := v_count * 2;\n        EXIT WHEN v_count > 50;\n    END LOOP;",
            "CASE v_count WHEN 1 THEN v_name := 'one'; ELSE v_name := 'many'; END CASE;",
        ])

    def plpgsql_body(self, tag, n):
        self.body_tag = tag
        try:
            return self._plpgsql_body(tag, n)
        finally:
            self.body_tag = None

    def _plpgsql_body(self, tag, n):
        body = ["DECLARE", "    v_count int := 0;", "    v_name text;", "    v_text text;", "    r record;", "BEGIN"]
        for _ in range(n):
            body.append("    " + self.plpgsql_stmt(tag))
        if self.chance(0.3):
            body += ["EXCEPTION", "    WHEN unique_violation THEN", "        RAISE WARNING " + self.p("'dup; skipped'") + ";"]
        body.append("END" + self.choice([";", ""]))
        return "\n".join(body)

    def function(self):
        tag = self.choice(TAGS)
        name = self.choice(WORDS) + "_" + self.choice(["fn", "sync", "touch", "calc", "audit"])
        args = self.choice(["", "p_id bigint", "p_id bigint, p_name text DEFAULT " + self.p("'x;y'"), "VARIADIC xs int[]", "IN a int, OUT b int"])
        ret = self.choice(["void", "trigger", "int", "text", "SETOF " + self.table(), "TABLE (id int, name text)", "boolean"])
        if "OUT" in args:
            ret = "int"
        body = self.plpgsql_body(tag, self.r.randint(1, 6))
        opts = " ".join(self.r.sample(["STABLE", "SECURITY DEFINER", "SET search_path = app, pg_temp", "PARALLEL UNSAFE", "COST 100", "STRICT"], self.r.randint(0, 2)))
        s = "CREATE " + self.choice(["", "OR REPLACE "]) + "FUNCTION " + self.choice(["", "app."]) + name + "(" + args + ")\n"
        s += "RETURNS " + ret + "\nLANGUAGE plpgsql " + opts + "\nAS " + self.p(tag + "\n" + body + "\n" + tag)
        return s

    def procedure(self):
        tag = self.choice(TAGS)
        return ("CREATE OR REPLACE PROCEDURE " + self.choice(WORDS) + "_batch(batch_size int DEFAULT 1000)\nLANGUAGE plpgsql\nAS "
                + self.p(tag + "\n" + self.plpgsql_body(tag, self.r.randint(2, 5)) + "\n" + tag))

    def atomic_stmt(self):
        return self.choice([
            "SELECT " + self.literal() + ";",
            "SELECT CASE WHEN " + self.expr() + " THEN 1 ELSE 0 END FROM " + self.table() + ";",
            "INSERT INTO " + self.table() + " (" + self.ident() + ") VALUES (" + self.literal() + ");",
            "UPDATE " + self.table() + " SET " + self.ident() + " = " + self.literal() + " WHERE " + self.expr() + ";",
            "DELETE FROM " + self.table() + " WHERE " + self.expr() + ";",
            "SELECT count(*) FROM " + self.table() + " WHERE " + self.ident() + " = p_id;",
        ])

    def atomic_function(self):
        stmts = "\n    ".join(self.atomic_stmt() for _ in range(self.r.randint(1, 4)))
        if self.chance(0.5):
            return ("CREATE " + self.choice(["", "OR REPLACE "]) + "FUNCTION " + self.choice(WORDS) + "_count(p_id bigint) RETURNS bigint\n"
                    + "LANGUAGE sql " + self.choice(["STABLE", "", "IMMUTABLE PARALLEL SAFE"]) + "\nBEGIN ATOMIC\n    " + stmts + "\nEND")
        return ("CREATE " + self.choice(["", "OR REPLACE "]) + "PROCEDURE " + self.choice(WORDS) + "_apply(p_id bigint)\n"
                + "LANGUAGE sql\nBEGIN ATOMIC\n    " + stmts + "\nEND")

    def sql_function(self):
        tag = self.choice(["$$", "$sql$", "$f$"])
        return ("CREATE FUNCTION " + self.choice(WORDS) + "_lookup(p text) RETURNS text LANGUAGE sql "
                + self.choice(["IMMUTABLE ", "STABLE ", ""]) + "AS " + self.p(tag + " SELECT " + self.choice(["p || ';'", "upper(p)", "'it''s; ' || p", "replace(p, '--', '')"]) + " " + tag))

    def do_block(self):
        tag = self.choice(TAGS)
        lead = self.choice(["DO ", "DO LANGUAGE plpgsql "])
        s = lead + self.p(tag + "\n" + self.plpgsql_body(tag, self.r.randint(2, 7)) + "\n" + tag)
        if lead == "DO " and self.chance(0.2):
            s += " LANGUAGE plpgsql"
        return s

    def trigger(self):
        return ("CREATE " + self.choice(["", "OR REPLACE "]) + "TRIGGER " + self.choice(WORDS) + "_trg\n    "
                + self.choice(["BEFORE", "AFTER"]) + " " + self.choice(["INSERT", "UPDATE", "INSERT OR UPDATE", "DELETE", "UPDATE OF " + self.ident()])
                + " ON " + self.table() + "\n    FOR EACH " + self.choice(["ROW", "STATEMENT"])
                + self.choice(["", "\n    WHEN (" + "pg_trigger_depth() < 1" + ")"])
                + "\n    EXECUTE " + self.choice(["FUNCTION", "PROCEDURE"]) + " app.touch(" + self.choice(["", self.string()]) + ")")

    def select(self):
        s = "SELECT " + ", ".join(self.choice(["*", self.ident(), "count(*)", self.literal() + " AS " + self.ident(), "max(" + self.ident() + ")"]) for _ in range(self.r.randint(1, 3)))
        s += "\nFROM " + self.table() + " t"
        if self.chance(0.4):
            s += "\nJOIN " + self.table() + " u ON u.id = t." + self.ident()
        if self.chance(0.6):
            s += "\nWHERE " + self.expr()
        if self.chance(0.2):
            s += "\nGROUP BY 1"
        if self.chance(0.3):
            s += "\nORDER BY 1 " + self.choice(["ASC", "DESC", ""])
        if self.chance(0.3):
            s += "\nLIMIT " + self.choice(["10", "1000", "ALL"])
        return s

    def view(self):
        q = self.select()
        if self.chance(0.3):
            q = "WITH recent AS (\n    " + self.select() + "\n)\n" + q
        kind = self.r.randrange(4)
        if kind == 0:
            return "CREATE OR REPLACE VIEW " + self.plain_table() + "_v AS\n" + q
        if kind == 1:
            return "CREATE MATERIALIZED VIEW " + self.choice(["", "IF NOT EXISTS "]) + self.plain_table() + "_mv AS\n" + q + self.choice(["", "\nWITH NO DATA", "\nWITH DATA"])
        if kind == 2:
            return "REFRESH MATERIALIZED VIEW " + self.choice(["", "CONCURRENTLY "]) + self.plain_table() + "_mv"
        return q

    def insert(self):
        cols = [self.ident() for _ in range(self.r.randint(1, 4))]
        rows = ["(" + ", ".join(self.value_expr() for _ in cols) + ")" for _ in range(self.r.randint(1, 4))]
        s = "INSERT INTO " + self.table() + " (" + ", ".join(cols) + ")\nVALUES " + ",\n       ".join(rows)
        if self.chance(0.2):
            s = "INSERT INTO " + self.table() + " (" + ", ".join(cols) + ")\n" + self.select()
        k = self.r.randrange(4)
        if k == 1:
            s += "\nON CONFLICT (" + cols[0] + ") DO NOTHING"
        elif k == 2:
            s += "\nON CONFLICT (" + cols[0] + ") DO UPDATE SET " + cols[-1] + " = EXCLUDED." + cols[-1] + self.choice(["", " WHERE " + self.expr()])
        elif k == 3:
            s += "\nON CONFLICT ON CONSTRAINT " + self.name() + "_key DO NOTHING"
        if self.chance(0.3):
            s += "\nRETURNING " + self.choice(["*", "id", cols[0]])
        return s

    def update(self):
        s = "UPDATE " + self.choice(["", "ONLY "]) + self.table() + " t\nSET " + ", ".join(self.ident() + " = " + self.value_expr() for _ in range(self.r.randint(1, 3)))
        if self.chance(0.4):
            s += "\nFROM " + self.table() + " s"
            s += "\nWHERE s.id = t." + self.ident() + self.choice(["", " AND " + self.expr()])
        elif self.chance(0.3):
            s += "\nWHERE t.id IN (SELECT id FROM " + self.table() + " WHERE " + self.expr() + " ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED)"
        elif self.chance(0.7):
            s += "\nWHERE " + self.expr()
        if self.chance(0.2):
            s += "\nRETURNING t.id"
        return s

    def delete(self):
        s = "DELETE FROM " + self.table() + " t"
        if self.chance(0.4):
            s += "\nUSING " + self.table() + " s\nWHERE s.id = t." + self.ident()
        elif self.chance(0.8):
            s += "\nWHERE " + self.expr()
        if self.chance(0.2):
            s += "\nRETURNING *"
        return s

    def merge(self):
        return ("MERGE INTO " + self.table() + " t\nUSING " + self.table() + " s ON s.id = t.id\n"
                + "WHEN MATCHED AND " + self.expr() + " THEN UPDATE SET " + self.ident() + " = " + self.literal() + "\n"
                + "WHEN MATCHED THEN DELETE\nWHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)")

    def cte_dml(self):
        return ("WITH moved AS (\n    DELETE FROM " + self.table() + " WHERE " + self.expr() + " RETURNING *\n)\n"
                + "INSERT INTO " + self.table() + " SELECT * FROM moved")

    def misc(self):
        t = self.table()
        pt = self.plain_table()
        w = self.choice(WORDS)
        return self.choice([
            "GRANT SELECT, INSERT ON " + t + " TO app_user",
            "GRANT ALL ON ALL TABLES IN SCHEMA app TO " + self.choice(["app_owner", "PUBLIC", self.p('"role;name"')]),
            "GRANT USAGE ON SCHEMA app TO readonly",
            "REVOKE ALL ON " + t + " FROM PUBLIC",
            "REVOKE UPDATE (" + self.ident() + ") ON " + t + " FROM app_user CASCADE",
            "COMMENT ON TABLE " + t + " IS " + self.string(),
            "COMMENT ON COLUMN " + t + "." + self.ident() + " IS " + self.string(),
            "COMMENT ON INDEX " + w + "_idx IS NULL",
            "CREATE TYPE " + w + "_kind AS ENUM (" + ", ".join(self.string() for _ in range(self.r.randint(1, 4))) + ")",
            "ALTER TYPE " + w + "_kind ADD VALUE " + self.choice(["", "IF NOT EXISTS "]) + self.string() + self.choice(["", " BEFORE " + self.string(), " AFTER " + self.string()]),
            "ALTER TYPE " + w + "_kind RENAME VALUE " + self.string() + " TO " + self.string(),
            "CREATE DOMAIN " + w + "_code AS text CHECK (VALUE ~ " + self.p("'^[A-Z;]{2,5}$'") + ")",
            "CREATE EXTENSION IF NOT EXISTS " + self.choice(["pgcrypto", "citext", "pg_trgm", self.p('"uuid-ossp"'), "btree_gist"]),
            "CREATE SCHEMA IF NOT EXISTS " + self.choice(["archive", "reporting", self.p('"tenant;1"')]),
            "CREATE SEQUENCE IF NOT EXISTS " + pt + "_seq START WITH " + self.choice(["1", "1000"]) + " INCREMENT BY 1",
            "ALTER SEQUENCE " + pt + "_seq RESTART WITH 1",
            "CREATE RULE " + w + "_rule AS ON INSERT TO " + t + " DO ALSO (\n    INSERT INTO app.audit (note) VALUES (" + self.string() + ");\n    NOTIFY " + w + "\n)",
            "CREATE RULE " + w + "_rule AS ON DELETE TO " + t + " DO INSTEAD (UPDATE " + t + " SET deleted_at = now() WHERE id = OLD.id; SELECT 1)",
            "CREATE RULE " + w + "_nothing AS ON UPDATE TO " + t + " WHERE OLD.status = " + self.string() + " DO INSTEAD NOTHING",
            "CREATE POLICY " + w + "_tenant ON " + t + " USING (tenant_id = current_setting(" + self.p("'app.tenant'") + ")::int)",
            "CREATE STATISTICS " + w + "_st ON " + self.ident() + ", " + self.ident() + " FROM " + t,
        ])

    def control(self):
        return self.choice([
            "BEGIN", "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION", "COMMIT", "COMMIT WORK", "END",
            "ROLLBACK", "SAVEPOINT sp_" + str(self.r.randrange(9)), "RELEASE SAVEPOINT sp_" + str(self.r.randrange(9)),
            "ROLLBACK TO SAVEPOINT sp_" + str(self.r.randrange(9)),
            "SET lock_timeout = " + self.p("'" + self.choice(["1s", "2s", "500ms"]) + "'"),
            "SET LOCAL statement_timeout TO " + self.choice(["0", "'30s'"]), "SET search_path TO app, public",
            "SET application_name = " + self.string(), "RESET lock_timeout", "RESET ALL",
            "VACUUM " + self.choice(["", "FULL ", "ANALYZE ", "(VERBOSE, ANALYZE) "]) + self.table(),
            "ANALYZE " + self.table(), "CLUSTER " + self.table() + " USING " + self.choice(WORDS) + "_idx",
            "REINDEX " + self.choice(["INDEX ", "INDEX CONCURRENTLY ", "TABLE ", "TABLE CONCURRENTLY "]) + self.table(),
            "LOCK TABLE " + self.table() + " IN " + self.choice(["ACCESS EXCLUSIVE", "SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"]) + " MODE" + self.choice(["", " NOWAIT"]),
            "SELECT pg_advisory_xact_lock(" + self.number() + ")",
            "NOTIFY " + self.choice(WORDS) + ", " + self.string(),
        ])

    KINDS = [("create_table", 10), ("create_partition", 2), ("alter_table", 16), ("create_index", 8), ("drop", 4),
             ("function", 5), ("procedure", 2), ("atomic_function", 4), ("sql_function", 2), ("do_block", 5),
             ("trigger", 3), ("view", 4), ("insert", 7), ("update", 6), ("delete", 4), ("merge", 1), ("cte_dml", 1),
             ("misc", 10), ("control", 8)]

    def statement(self):
        names = [k for k, _ in self.KINDS]
        weights = [w for _, w in self.KINDS]
        self.protected = []
        skeleton = getattr(self, self.r.choices(names, weights)[0])()
        return self.render(skeleton)

    # --- rendering: random case, whitespace and comments between tokens --------------------------------
    def render(self, skeleton):
        if self.chance(0.15):
            skeleton = lower_outside_placeholders(skeleton)
        parts = skeleton.split(" ")
        out = [parts[0]]
        for part in parts[1:]:
            out.append(self.gap())
            out.append(part)
        text = "".join(out)
        for i in range(len(self.protected) - 1, -1, -1):
            text = text.replace("\x00%d\x00" % i, self.protected[i])
        return text

    def gap(self):
        k = self.r.randrange(100)
        if k < 88:
            return " "
        if k < 92:
            return "\n    "
        if k < 94:
            return "  \t"
        if k < 96:
            return " /* " + self.choice(["c", "a; b", "it's", "\"q\"", "/* nested ; */", "$$", "--"]) + " */ "
        if k < 98:
            return " -- " + self.choice(["note; with semicolon", "it's", "/* not opened", "$$"]) + "\n    "
        return "/**/ "

    def between(self):
        k = self.r.randrange(100)
        if k < 55:
            return "\n"
        if k < 80:
            return "\n\n"
        if k < 88:
            return "\n-- " + self.choice(["next step; careful", "stepwise:ignore drop-column reason: tested", "it's fine", "/* not a block"]) + "\n"
        if k < 94:
            return "\n/* " + self.choice(["migration note; ", "multi\nline ' comment", "/* nested */ ;"]) + " */\n"
        if k < 97:
            return " -- same-line comment after the terminator\n"
        return "\n;\n"  # an empty statement


def lower_outside_placeholders(s):
    out = []
    inside = False
    for ch in s:
        if ch == "\x00":
            inside = not inside
            out.append(ch)
        else:
            out.append(ch if inside else ch.lower())
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=24)
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--out", default=os.path.join(HERE, "generated"))
    args = ap.parse_args()
    rng = random.Random(SEED)
    os.makedirs(args.out, exist_ok=True)
    for f in range(args.files):
        g = Gen(rng)
        chunks = ["-- Generated by tests/Stepwise.Sql.Tests/Corpus/postgres/generate.py (seed %d); do not edit.\n" % SEED]
        n = args.per_file
        for i in range(n):
            chunks.append(g.statement())
            last = i == n - 1
            if last and rng.random() < 0.25:
                chunks.append(rng.choice(["\n", " -- no terminator at the end\n", ""]))
                break
            chunks.append(rng.choice([";", ";", ";", ";", " ;", "\n;"]))
            chunks.append(g.between())
        with open(os.path.join(args.out, "gen_%02d.sql" % f), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("".join(chunks))


if __name__ == "__main__":
    main()
