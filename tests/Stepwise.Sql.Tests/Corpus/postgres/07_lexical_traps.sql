/* A file of lexical traps: every statement below hides a ';', a quote or a comment opener where a naive
   splitter would stop.  /* Nested comments are real in PostgreSQL; this one ends here: */ still comment; */
SELECT 'a;b' AS semi, 'it''s' AS doubled, '' AS empty, '''' AS lone_quote;
SELECT E'\'' AS escaped_quote, E'\\' AS backslash, E'\\\'' AS both, e'line\nbreak; tab\t' AS lower_e;
SELECT E'ends with backslash-quote \\'; SELECT 'next statement starts here';
SELECT E'\x41\101\u00e9\U0001F600;' AS escapes;
SELECT U&'d\0061t\+000061;' AS u_string, U&'d!0061t' UESCAPE '!' AS custom_escape, u&'\0041' AS lower_u;
SELECT U&"d\0061t;" FROM app.kv;
SELECT 'multi
line; string
with -- no comment /* inside */' AS multiline;
SELECT 'con'
    'tinu'
'ation;' AS continued;
SELECT "we;ird", "q""uote", "--not a comment", "/* not one either", "$$" FROM "app"."Weird ; Table";
SELECT 1 AS "a;b", 2 AS """", 3 AS "'" ;
SELECT /* inline ; comment */ 1 /* another 'quoted' "thing" */ + 2;
SELECT 1 -- trailing comment with ; and ' and " and $$ and /*
     + 2;
SELECT /* /* /* triple ; nested */ */ */ 3;
SELECT 4 /* a comment with a lone * star, a / slash, a /-* pair ; */;
SELECT $$;$$, $$'$$, $$"$$, $$--$$, $$/*$$, $a$$$a$, $$$$;
SELECT $tag$ $other$ ; $other$ $tag$ AS nested_tags;
SELECT $_$ underscore tag $_$, $a1$ digits in tag $a1$, $Ü$ non-ascii tag ; $Ü$;
SELECT x$$y$$ FROM (SELECT 1 AS x$$y$$) s;
SELECT a$b FROM (SELECT 2 AS a$b) AS s;
SELECT $1, $2::int, $10 FROM app.kv WHERE k = $3;
SELECT 1.5e10, .5, 5., 1e-3, 0.000, 42::bigint, -7;
SELECT 'x' ~ '^[;]$', 'y' !~* ';', 5 << 2, 6 >> 1, 7 & 3, 8 | 1, 9 # 2, ~10, @ -11, |/ 16, ||/ 27;
SELECT '{"a": ";"}'::jsonb -> 'a', '{"a": {"b": 1}}'::jsonb #>> '{a,b}', '[1]'::jsonb @? '$[*] ? (@ > 0)';
SELECT 1 +-- comment right after an operator
2;
SELECT 2 */* comment right after an operator */3;
SELECT 3 -/**/-4;
SELECT 'naïve café 😀 ; 名前' AS unicode_text, "名前" FROM app.i18n;
SELECT B'1010', X'DEAD', N'national; string', b'0', x'beef';
SELECT 'a' COLLATE "C" < 'b' COLLATE "de-DE-x-icu";
SELECT (array[1,2,3])[2], (array['a;', 'b'])[1:1], ROW(1, 'x;')::app.pair;
SELECT 1	/* tab before */	;
SELECT CAST('1;2' AS text), interval '1 day; not really', TIMESTAMP '2024-01-01 00:00:00+00';
SELECT format('%s;%s', 'a', 'b'), concat_ws(';', 'x', 'y');
SELECT 'mixed ' || E'e\';' || $q$dollar;$q$ || U&'\0021' || 'end';
;
;;
SELECT 'empty statements above are skipped';
/* a comment-only "statement" */ ;
-- line comment before the last statement; which has no terminator
SELECT 'no terminator at end of file' /* trailing block */ -- trailing line
