"""gcheck against the example corpus: every ``// want`` comment must be
matched by a finding (same check id, file and line; message regexp if
given), and every finding must be wanted. Also checks the corpus layout
contract (see examples/ and tests/wants.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import wants as W

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ALL = W.list_examples(EXAMPLES)


def _id(p: Path) -> str:
    return p.relative_to(EXAMPLES).as_posix()


def _same_file(finding_file: str, want_path: Path, example_dir: Path) -> bool:
    f = Path(finding_file)
    candidates = [f] if f.is_absolute() else [Path.cwd() / f, example_dir / f, EXAMPLES / f]
    return any(c.resolve() == want_path for c in candidates if c.exists()) or (
        not f.is_absolute() and want_path.as_posix().endswith("/" + f.as_posix())
    )


def _fmt_finding(f) -> str:
    return f"{f.pos.file}:{f.pos.line}:{f.pos.col}: {f.check}: {f.message} (entry {f.entry})"


def _text_report(result) -> str:
    try:
        from gcheck.report import text

        return text.render(result)
    except Exception as e:  # the report is only debugging help
        return f"(text report unavailable: {type(e).__name__}: {e})"


def match(example: Path, wants: list[W.Want], findings: list) -> tuple[list[W.Want], list]:
    """Pairs each want with a distinct finding. Returns (unmatched wants,
    unwanted findings)."""
    left = list(findings)
    missing = []
    for w in wants:
        for f in left:
            if (
                f.check == w.check
                and f.pos.line == w.line
                and _same_file(f.pos.file, w.path, example)
                and w.matches_message(f.message)
            ):
                left.remove(f)
                break
        else:
            missing.append(w)
    return missing, left


@pytest.mark.parametrize("example", ALL, ids=_id)
def test_example(example: Path):
    from gcheck.api import Options, check_paths

    wants = W.collect_expectations(example)
    result = check_paths([str(example)], Options())
    missing, unexpected = match(example, wants, result.findings)
    problems = []
    if result.errors:
        problems.append("errors:\n" + "\n".join("  " + e for e in result.errors))
    if missing:
        problems.append("missing findings:\n" + "\n".join(f"  {w}" for w in missing))
    if unexpected:
        problems.append("unexpected findings:\n" + "\n".join("  " + _fmt_finding(f) for f in unexpected))
    if problems:
        got = "\n".join("  " + _fmt_finding(f) for f in result.findings) or "  (none)"
        want = "\n".join(f"  {w}" for w in wants) or "  (none: expected clean)"
        pytest.fail(
            f"{_id(example)}\n" + "\n".join(problems) + f"\nwanted:\n{want}\nfound:\n{got}\n"
            f"--- gcheck output:\n{_text_report(result)}",
            pytrace=False,
        )


# ---------------------------------------------------------------------------
# The layout contract of the corpus (no gcheck, no Go toolchain needed)


def test_corpus_is_not_empty():
    assert len(ALL) >= 40, f"only {len(ALL)} examples under {EXAMPLES}"
    assert (EXAMPLES / "go.mod").read_text().split() == ["module", "gcheck.examples", "go", "1.27"]


@pytest.mark.parametrize("example", ALL, ids=_id)
def test_layout(example: Path):
    rel = example.relative_to(EXAMPLES)
    assert len(rel.parts) == 2, f"{rel}: want examples/<check-id>/<name>/"
    check, name = rel.parts
    assert check in W.KNOWN_CHECKS, f"{rel}: unknown check id directory {check!r}"
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name), f"{rel}: name must be a Go identifier in snake case"
    files = {f.name for f in W.go_files(example)}
    pkg = W.package_name(example)
    if "main.go" in files:
        assert pkg == "main", f"{rel}: main.go must be package main"
        assert "func main()" in (example / "main.go").read_text()
    else:
        assert f"{name}_test.go" in files, f"{rel}: want main.go or {name}_test.go"
        assert pkg == name, f"{rel}: package {pkg}, want package {name}"
        assert W.list_test_functions(example), f"{rel}: no func TestXxx(t *testing.T)"
    wants = W.collect_expectations(example)
    if name.endswith("_fixed"):
        assert not wants, f"{rel}: a fixed twin must expect no finding, has {[str(w) for w in wants]}"
        assert (example.parent / name.removesuffix("_fixed")).is_dir(), f"{rel}: no buggy twin"
    else:
        assert wants, f"{rel}: a buggy example needs a // want comment"
        assert (example.parent / (name + "_fixed")).is_dir(), f"{rel}: no fixed twin {name}_fixed"
        assert any(w.check == check for w in wants), f"{rel}: no want of its own check {check}"


def test_example_names_are_unique():
    names = Counter(p.name for p in ALL)
    assert not [n for n, c in names.items() if c > 1], "example names repeat across check ids"


# ---------------------------------------------------------------------------
# The want-comment parser


def test_parse_want(tmp_path: Path):
    (tmp_path / "a_test.go").write_text(
        "package a\n"
        "\n"
        "func f() {\n"
        '\tch <- 1 // want goroutine-leak "blocked .*send"\n'
        '\ts := "// want close-of-nil" // not a want\n'
        "\tmu.Lock() // want global-deadlock goroutine-leak `raw \\d`\n"
        "}\n"
        "// oracle: runs=5\n"
    )
    ws = W.collect_expectations(tmp_path)
    assert [(w.line, w.check, w.regexp) for w in ws] == [
        (4, "goroutine-leak", "blocked .*send"),
        (6, "global-deadlock", None),
        (6, "goroutine-leak", r"raw \d"),
    ]
    assert ws[0].matches_message("goroutine 7 blocked forever on chan send")
    assert W.read_oracle_directives(tmp_path) == W.OracleDirectives(skip=None, runs=5)


@pytest.mark.parametrize(
    "comment",
    ["// want", "// want no-such-check", '// want "re first"', "// want goroutine-leak ("],
)
def test_parse_want_errors(tmp_path: Path, comment: str):
    (tmp_path / "main.go").write_text(f"package main\n\nfunc main() {{}} {comment}\n")
    with pytest.raises(W.WantSyntaxError):
        W.collect_expectations(tmp_path)
