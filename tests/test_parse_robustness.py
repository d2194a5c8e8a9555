"""Robustness of the front end: whatever bytes it is given, parsing ends in a
goast.File or a GcheckError (never another exception, never a RecursionError),
and the `gcheck parse` command reports files, errors and totals correctly."""

from __future__ import annotations

import io
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from any directory

from gcheck import goast as A  # noqa: E402
from gcheck import syntax  # noqa: E402
from gcheck.errors import GcheckError, GoSyntaxError, NestingError, SourceError  # noqa: E402
from gcheck.parse_cmd import dump_tree, run_parse  # noqa: E402
from gcheck.syntax import MAX_NESTING, parse_file, parse_source  # noqa: E402

SNIPPETS = Path(__file__).parent / "go_snippets"
SOURCES = [p.read_bytes() for p in sorted(SNIPPETS.glob("*.go"))]

# Rough Go tokens, for mutating at token granularity.
_TOKEN = re.compile(rb'`[^`]*`|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/'
                    rb"|\w+|\.\.\.|<<=|>>=|&\^=|[-+*/%&|^<>=!:]=?|&&|\|\||<-|\+\+|--|\S|\n", re.S)
_POOL = [b"(", b")", b"{", b"}", b"[", b"]", b",", b";", b":", b"=", b":=", b"<-", b"chan", b"func",
         b"go", b"select", b"case", b"default", b"type", b"interface", b"struct", b"map", b"range",
         b"...", b".", b"*", b"&", b"~", b"|", b"x", b"1", b'"s"', b"`r`", b"'c'", b"\n", b"/*", b"//",
         b"else", b"if", b"for", b"switch", b"return", b"import", b"package", b"var", b"const"]


def outcome(data) -> str:
    """'ok' or 'error'; any other exception fails the calling test."""
    try:
        tree = parse_source(data, "m.go")
    except GcheckError as e:
        text = str(e)
        assert text.startswith("m.go:") and "\n" not in text, text
        return "error"
    assert isinstance(tree, A.File)
    return "ok"


def mutate(rng: random.Random, src: bytes) -> bytes:
    toks = _TOKEN.findall(src)
    kind = rng.randrange(7)
    i = rng.randrange(len(toks))
    if kind == 0:  # delete a token
        del toks[i]
    elif kind == 1:  # insert a token
        toks.insert(i, rng.choice(_POOL))
    elif kind == 2:  # replace a token
        toks[i] = rng.choice(_POOL)
    elif kind == 3:  # truncate anywhere, even inside a token
        return src[: rng.randrange(len(src) + 1)]
    elif kind == 4:  # random bytes (often invalid UTF-8 or NUL)
        pos = rng.randrange(len(src) + 1)
        return src[:pos] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + src[pos:]
    elif kind == 5:  # swap two tokens
        j = rng.randrange(len(toks))
        toks[i], toks[j] = toks[j], toks[i]
    else:  # nest deeply at a random point
        opener = rng.choice([b"(", b"[", b"{", b"-", b"*", b"<-", b"!"])
        toks.insert(i, opener * rng.choice([10, MAX_NESTING + 5, 3000]))
    return b" ".join(toks)


def test_snippets_parse():
    assert SOURCES and all(outcome(src) == "ok" for src in SOURCES)


def test_seeded_mutants_never_crash():
    rng = random.Random(20240611)
    results = {"ok": 0, "error": 0}
    for _ in range(600):
        src = rng.choice(SOURCES)
        for _ in range(rng.randint(1, 3)):
            src = mutate(rng, src)
        results[outcome(src)] += 1
    # Both outcomes must occur, or the mutator is not exercising anything.
    assert results["ok"] >= 5 and results["error"] > 300, results


_go_tokens = st.lists(st.sampled_from([t.decode() for t in _POOL] + ["é", "0x1p-2", "2i", "\t"]),
                      max_size=60)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_go_tokens)
def test_token_soup_never_crashes(tokens):
    outcome("package p\n" + " ".join(tokens))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    outcome("package p\n" + text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data):
    outcome(b"package p\n" + data)


# ---------------------------------------------------------------- nesting


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("[", "]"), ("{", "}")])
def test_deep_brackets_give_clean_error(opener, closer):
    body = "x := " + opener * 10000 + "1" + closer * 10000 if opener != "{" else "{" * 10000 + "}" * 10000
    with pytest.raises(NestingError) as e:
        parse_source("package p\nfunc f() {\n" + body + "\n}\n", "deep.go")
    assert str(e.value).startswith("deep.go:3:") and str(e.value).endswith(": too deeply nested")


@pytest.mark.parametrize("op", ["-", "!", "*", "<-", "^", "&"])
def test_deep_unary_chains_give_clean_error(op):
    with pytest.raises(NestingError):
        parse_source("package p\nvar x = " + (op + " ") * 10000 + "y\n", "deep.go")


def test_nesting_just_under_the_limit_parses():
    depth = MAX_NESTING - 2
    tree = parse_source("package p\nvar x = " + "(" * depth + "1" + ")" * depth + "\n", "ok.go")
    node = tree.decls[0].specs[0].values[0]
    for _ in range(depth):
        node = node.x
    assert isinstance(node, A.BasicLit)


def test_long_flat_constructs_do_not_recurse():
    chain = " + ".join(["x"] * 20000)
    tree = parse_source(f"package p\nvar y = {chain}\n", "long.go")
    assert isinstance(tree.decls[0].specs[0].values[0], A.BinaryExpr)
    elifs = "if a {\n} " + "else if a {\n} " * 3000 + "\n"
    assert parse_source("package p\nfunc f() {\n" + elifs + "}\n", "elif.go").decls


# ---------------------------------------------------------------- bad input


def test_nul_byte():
    with pytest.raises(GoSyntaxError) as e:
        parse_source(b"package p\nvar s = \"a\x00b\"\n", "nul.go")
    assert str(e.value) == "nul.go:2:11: syntax error: invalid NUL character"


def test_invalid_utf8():
    with pytest.raises(GoSyntaxError) as e:
        parse_source(b"package p\n// caf\xe9\n", "latin1.go")
    assert str(e.value) == "latin1.go:2:7: syntax error: invalid UTF-8 encoding"


def test_lone_surrogate_in_str():
    with pytest.raises(GoSyntaxError) as e:
        parse_source("package p\nvar s = \"\udc80\"\n", "s.go")
    assert str(e.value) == "s.go:2:10: syntax error: invalid UTF-8 encoding"


def test_byte_order_mark():
    assert parse_source("\ufeffpackage p\n", "bom.go").package.name == "p"
    with pytest.raises(GoSyntaxError, match="invalid BOM"):
        parse_source("package p\nvar x = \ufeff1\n", "bom.go")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(SourceError) as e:
        parse_file(str(tmp_path / "nope.go"))
    assert str(e.value) == f"{tmp_path / 'nope.go'}:1:1: cannot read: no such file"
    with pytest.raises(SourceError) as e:
        parse_file(str(tmp_path))
    assert str(e.value).startswith(f"{tmp_path}:1:1: cannot read: is a directory")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.go"
    p.write_bytes(b"")
    with pytest.raises(GoSyntaxError, match="empty file"):
        parse_file(str(p))


def test_unterminated_literals_and_comments():
    for src, msg in [('var s = "abc', "string literal not terminated"),
                     ("var s = `abc", "raw string literal not terminated"),
                     ("var r = 'a", "rune literal not terminated"),
                     ("/* x", "comment not terminated")]:
        with pytest.raises(GoSyntaxError, match=msg):
            parse_source("package p\n" + src, "u.go")


# ---------------------------------------------------------------- loading


def test_tables_built_once_per_process():
    assert syntax.tables() is syntax.tables()


def test_unwritable_cache_still_builds(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    parser = syntax._build_lark(str(blocked / "sub" / "grammar.lark-cache"))
    assert len(parser.rules) > 100


def test_cache_path_falls_back(monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # cannot hold a directory
    path = syntax._cache_path()
    assert path is None or not path.startswith(str(blocked))


# ---------------------------------------------------------------- gcheck parse


@pytest.fixture
def tree_dir(tmp_path: Path) -> Path:
    (tmp_path / "a" / "sub").mkdir(parents=True)
    for skipped in ("testdata", "vendor", ".hidden", "_tmp"):
        (tmp_path / "a" / skipped).mkdir()
        (tmp_path / "a" / skipped / "bad.go").write_text("package x\nfunc (\n")
    (tmp_path / "a" / "ok.go").write_text("package a\n\nfunc F() {}\n")
    (tmp_path / "a" / "notes.txt").write_text("not go")
    (tmp_path / "a" / "sub" / "ok.go").write_text("package sub\nvar X = 1\n")
    (tmp_path / "a" / "sub" / "bad.go").write_text("package sub\nfunc f( {\n}\n")
    (tmp_path / "empty").mkdir()
    return tmp_path


def run(paths, dump=False):
    out, err = io.StringIO(), io.StringIO()
    code = run_parse([str(p) for p in paths], dump, out, err)
    return code, out.getvalue(), err.getvalue()


_SUMMARY = re.compile(r"^parsed (\d+) files, (\d+) lines, (\d+) errors in \d+\.\d\ds \(\d+ lines/s\)$")


def test_parse_cmd_recursive_pattern(tree_dir):
    code, out, err = run([f"{tree_dir / 'a'}/..."])
    assert code == 2
    assert _SUMMARY.match(out.strip()).groups() == ("3", "8", "1")
    assert err.splitlines() == [f"{tree_dir / 'a' / 'sub' / 'bad.go'}:2:9: syntax error: "
                                "unexpected {, expected ), type, ..."]


def test_parse_cmd_directory_is_not_recursive(tree_dir):
    code, out, err = run([tree_dir / "a"])
    assert code == 0 and err == ""
    assert _SUMMARY.match(out.strip()).groups() == ("1", "3", "0")


def test_parse_cmd_file_and_missing(tree_dir):
    code, out, err = run([tree_dir / "a" / "ok.go", tree_dir / "missing.go"])
    assert code == 2 and err == f"{tree_dir / 'missing.go'}: no such file or directory\n"
    assert _SUMMARY.match(out.strip()).groups() == ("1", "3", "0")


def test_parse_cmd_directory_without_go_files(tree_dir):
    code, out, err = run([tree_dir / "empty"])
    assert code == 2 and err == f"{tree_dir / 'empty'}: no Go files\n"
    assert _SUMMARY.match(out.strip()).groups() == ("0", "0", "0")


def test_parse_cmd_dump(tree_dir):
    code, out, err = run([tree_dir / "a" / "ok.go"], dump=True)
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"File path={tree_dir / 'a' / 'ok.go'} lines=3 @1:1"
    assert lines[1:4] == ["  package: Ident a @1:9", "  decls[0]: FuncDecl @3:1", "    name: Ident F @3:6"]
    assert _SUMMARY.match(lines[-1])


def test_dump_handles_deep_trees():
    chain = " + ".join(["x"] * 3000)
    text = dump_tree(parse_source(f"package p\nvar y = {chain}\n", "d.go"))
    assert text.count("BinaryExpr") == 2999
