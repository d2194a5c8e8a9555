"""//gcheck:ignore CHECK-ID reason: on the line or the line above; a reason is
required (bad-suppression), an unused one is reported (unused-suppression)."""

from __future__ import annotations

import io
import json

import pytest

from gcheck.api import Options, check_paths
from gcheck.cli import run


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GCHECK_CACHE_DIR", str(tmp_path / "cache"))


def _prog(tmp_path, body: str, name="p"):
    d = tmp_path / name
    d.mkdir()
    (d / "main.go").write_text("package main\n\n" + body)
    return d


def _check(d, **kw):
    r = check_paths([str(d)], Options(**kw))
    return r, sorted((f.check, f.pos.line) for f in r.findings)


LEAK_TRAILING = """func main() {
	ch := make(chan int)
	go func() { ch <- 1 }() //gcheck:ignore goroutine-leak the process exits right after: reviewed
}
"""

LEAK_ABOVE = """func main() {
	ch := make(chan int)
	//gcheck:ignore goroutine-leak a reviewed leak
	go func() { ch <- 1 }()
}
"""


def test_trailing_comment_suppresses_its_line(tmp_path):
    r, got = _check(_prog(tmp_path, LEAK_TRAILING))
    assert got == []
    (s,) = r.suppressed
    assert s.finding.check == "goroutine-leak" and s.finding.pos.line == 5
    assert s.reason == "the process exits right after: reviewed"
    assert s.directive.line == 5


def test_comment_on_the_line_above_suppresses_the_next_line(tmp_path):
    r, got = _check(_prog(tmp_path, LEAK_ABOVE))
    assert got == [] and len(r.suppressed) == 1


def test_two_lines_above_does_not_suppress(tmp_path):
    body = LEAK_ABOVE.replace("\t//gcheck:ignore goroutine-leak a reviewed leak\n",
                              "\t//gcheck:ignore goroutine-leak a reviewed leak\n\n")
    _, got = _check(_prog(tmp_path, body))
    assert got == [("goroutine-leak", 7), ("unused-suppression", 5)]


def test_a_trailing_comment_does_not_reach_the_next_line(tmp_path):
    body = """func main() {
	ch := make(chan int) //gcheck:ignore goroutine-leak wrong line
	go func() { ch <- 1 }()
}
"""
    _, got = _check(_prog(tmp_path, body))
    assert got == [("goroutine-leak", 5), ("unused-suppression", 4)]


def test_other_check_ids_are_not_suppressed(tmp_path):
    body = LEAK_TRAILING.replace("ignore goroutine-leak", "ignore global-deadlock")
    _, got = _check(_prog(tmp_path, body))
    assert ("goroutine-leak", 5) in got and ("unused-suppression", 5) in got


def test_several_ids_in_one_comment(tmp_path):
    body = LEAK_TRAILING.replace("ignore goroutine-leak", "ignore global-deadlock,goroutine-leak")
    r, got = _check(_prog(tmp_path, body))
    assert got == [("unused-suppression", 5)]  # global-deadlock suppressed nothing
    assert len(r.suppressed) == 1


@pytest.mark.parametrize("comment, why", [
    ("//gcheck:ignore goroutine-leak", "needs a reason"),
    ("//gcheck:ignore", "needs a check id and a reason"),
    ("//gcheck:ignore goroutine-lek typo here", "unknown check id"),
    ("//gcheck:nolint goroutine-leak reason", "unknown gcheck directive"),
])
def test_bad_suppressions_are_errors_and_suppress_nothing(tmp_path, comment, why):
    body = LEAK_TRAILING.replace("//gcheck:ignore goroutine-leak the process exits right after: reviewed", comment)
    r, got = _check(_prog(tmp_path, body))
    assert got == [("bad-suppression", 5), ("goroutine-leak", 5)]
    bad = next(f for f in r.findings if f.check == "bad-suppression")
    assert bad.severity == "error" and why in bad.message
    assert not r.suppressed


def test_unused_is_not_reported_when_the_check_did_not_run_completely(tmp_path):
    body = LEAK_TRAILING.replace("go func() { ch <- 1 }()", "go func() { ch <- 1; <-ch }()").replace(
        "make(chan int)", "make(chan int, 1)")
    d = _prog(tmp_path, body)
    assert _check(d)[1] == [("unused-suppression", 5)]
    assert _check(d, entry="main")[1] == []  # not every entry explored
    assert _check(d, disable=("goroutine-leak",))[1] == []  # check disabled
    assert _check(d, disable=("unused-suppression",))[1] == []


def test_static_check_findings_are_suppressible(tmp_path):
    body = """import "os"

func main() {
	for _, n := range []string{"a", "b"} {
		f, _ := os.Open(n)
		defer f.Close() //gcheck:ignore defer-in-loop two files only
	}
}
"""
    r, got = _check(_prog(tmp_path, body))
    assert got == [] and [s.finding.check for s in r.suppressed] == ["defer-in-loop"]


def test_cli_exit_codes_json_and_no_suppress(tmp_path):
    d = _prog(tmp_path, LEAK_TRAILING)
    out, err = io.StringIO(), io.StringIO()
    assert run(["check", str(d)], out, err) == 0
    assert "1 suppressed" in out.getvalue().splitlines()[-1]
    out = io.StringIO()
    assert run(["check", "--format", "json", str(d)], out, err) == 0
    doc = json.loads(out.getvalue())
    (s,) = doc["suppressed"]
    assert s["check"] == "goroutine-leak" and s["reason"].startswith("the process exits")
    assert s["directive"]["line"] == 5
    from gcheck.report import json_report
    import jsonschema

    jsonschema.validate(doc, json_report.schema(), cls=jsonschema.Draft202012Validator)
    assert run(["check", "--no-suppress", str(d)], io.StringIO(), err) == 1
