"""gcheck bench: rows (CSV + JSONL), scores against expectations, plots,
reproducibility metadata, EXPECT generation from // want comments."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from gcheck.cli import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

LEAK = """package main

func main() {
	ch := make(chan int)
	go func() { ch <- 1 }() // want goroutine-leak "blocked"
}
"""
FIXED = """package main

func main() {
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	<-ch
}
"""
# a false negative on purpose: the want names the wrong line
MISSED = """package main

func main() { // want global-deadlock
	ch := make(chan int)
	<-ch
}
"""
TEST_PKG = """package lib

import "testing"

func TestA(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }() // want goroutine-leak
}

func TestB(t *testing.T) {}
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    for name, src, fname in [("leak", LEAK, "main.go"), ("leak_fixed", FIXED, "main.go"),
                             ("missed", MISSED, "main.go"), ("lib", TEST_PKG, "lib_test.go")]:
        (root / name).mkdir()
        (root / name / fname).write_text(src)
    return root


@pytest.fixture(scope="module")
def bench_run(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    expect = out / "expect.json"
    o, e = io.StringIO(), io.StringIO()
    assert run(["bench", str(corpus), "--write-expect", str(expect)], o, e) == 0, e.getvalue()
    o, e = io.StringIO(), io.StringIO()
    code = run(["bench", str(corpus), "--expect", str(expect), "-j", "2", "--out", str(out / "b"),
                "--max-states", "5000"], o, e)
    assert code == 0, e.getvalue()
    return out / "b", o.getvalue(), e.getvalue(), expect


def test_expect_file_from_want_comments(bench_run):
    _, _, _, expect = bench_run
    progs = json.loads(expect.read_text())["programs"]
    assert progs == {
        "leak": [{"file": "main.go", "line": 5, "check": "goroutine-leak"}],
        "leak_fixed": [],
        "missed": [{"file": "main.go", "line": 3, "check": "global-deadlock"}],
        "lib": [{"file": "lib_test.go", "line": 7, "check": "goroutine-leak"}],
    }


def test_rows_csv_and_jsonl(bench_run):
    out, _, _, _ = bench_run
    rows = [json.loads(line) for line in (out / "rows.jsonl").read_text().splitlines()]
    assert [(r["program"], r["entry"]) for r in rows] == [
        ("leak", "main"), ("leak_fixed", "main"), ("lib", "TestA"), ("lib", "TestB"), ("missed", "main")]
    by = {(r["program"], r["entry"]): r for r in rows}
    assert by[("leak", "main")]["verdict"] == "findings"
    assert by[("leak", "main")]["findings_by_check"] == {"goroutine-leak": 1}
    assert by[("leak_fixed", "main")]["verdict"] == "clean"
    assert by[("lib", "TestB")]["verdict"] == "clean" and by[("lib", "TestA")]["findings"] == 1
    for r in rows:
        assert r["states"] >= 1 and r["transitions"] >= 0 and r["depth"] >= 0
        assert r["seconds"] >= 0 and r["z3_seconds"] >= 0 and r["program_seconds"] >= r["seconds"] * 0.5
        assert r["peak_rss_mb"] > 10
    with open(out / "rows.csv", newline="") as f:
        csv_rows = list(csv.DictReader(f))
    assert len(csv_rows) == len(rows)
    assert csv_rows[0]["findings_by_check"] == "goroutine-leak=1"
    assert set(csv_rows[0]) >= {"verdict", "states", "transitions", "depth", "seconds", "z3_seconds", "bound",
                                "peak_rss_mb"}


def test_scores_and_table(bench_run):
    out, stdout, _, _ = bench_run
    s = json.loads((out / "summary.json").read_text())
    assert s["scores"]["goroutine-leak"] == {"tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    dl = s["scores"]["global-deadlock"]
    assert dl["tp"] == 0 and dl["fn"] == 1 and dl["fp"] == 1  # reported on line 5, wanted on line 3
    assert s["scores"]["all"]["tp"] == 2 and s["scores"]["all"]["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert s["programs"] == 4 and s["seconds_p95"] >= s["seconds_median"] > 0
    assert "global-deadlock" in stdout and "precision" in stdout and "median" in stdout
    assert "| **all** | 2 | 1 | 1 |" in (out / "summary.md").read_text()


def test_plots_and_metadata(bench_run):
    out, _, _, expect = bench_run
    for name in ("time_vs_states", "time_per_program", "states_per_program"):
        assert (out / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / f"{name}.pdf").stat().st_size > 1000
    meta = json.loads((out / "meta.json").read_text())
    assert meta["gcheck"]["version"] and len(meta["gcheck"]["code_sha256"]) == 64
    assert meta["python"]["version"] == ".".join(map(str, sys.version_info[:3]))
    assert meta["bounds"]["max_states"] == 5000 and meta["bounds"]["max_depth"] == 5000
    assert meta["jobs"] == 2 and meta["corpus"]["programs"] == 4 and len(meta["corpus"]["sha256"]) == 64
    assert meta["expect"]["path"] == str(expect)
    assert meta["platform"]["cpus"] >= 1 and meta["libraries"]["z3-solver"]


def test_progress_bar_and_missing_matplotlib(corpus, tmp_path, monkeypatch):
    import gcheck.bench as B

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    sub = tmp_path / "one"
    sub.mkdir()
    (sub / "p").mkdir()
    (sub / "p" / "main.go").write_text(FIXED)
    o, e = io.StringIO(), io.StringIO()
    assert run(["bench", str(sub), "--out", str(tmp_path / "o"), "-j", "1"], o, e) == 0
    assert "bench" in e.getvalue() and "1/1" in e.getvalue()  # the progress bar, with its tally
    assert "clean 1" in e.getvalue()
    assert B.PLOTS_HINT in e.getvalue() and "pip install 'gcheck[bench]'" in B.PLOTS_HINT
    assert (tmp_path / "o" / "rows.csv").exists() and not (tmp_path / "o" / "time_vs_states.png").exists()


def test_bad_arguments(tmp_path):
    assert run(["bench", str(tmp_path / "nope")], io.StringIO(), io.StringIO()) == 2
    (tmp_path / "e.json").write_text("[]")
    assert run(["bench", str(tmp_path), "--expect", str(tmp_path / "e.json")], io.StringIO(), io.StringIO()) == 2


def test_want_reader_agrees_with_the_test_suite_parser():
    import wants as W

    from gcheck.bench import wants_of

    for ex in W.list_examples(EXAMPLES):
        mine = sorted((w["file"], w["line"], w["check"]) for w in wants_of(ex))
        theirs = sorted((w.path.name, w.line, w.check) for w in W.collect_expectations(ex))
        assert mine == theirs, ex


def test_dask_executor_gives_the_same_rows(corpus, bench_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    out, _, _, _ = bench_run
    local = [json.loads(line) for line in (out / "rows.jsonl").read_text().splitlines()]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        o, e = io.StringIO(), io.StringIO()
        code = run(["bench", str(corpus), "--executor", address, "--out", str(tmp_path / "d"), "--no-plots",
                    "--no-progress", "--max-states", "5000"], o, e)
    assert code == 0, e.getvalue()
    rows = [json.loads(line) for line in (tmp_path / "d" / "rows.jsonl").read_text().splitlines()]
    key = lambda r: (r["program"], r["entry"], r["verdict"], r["states"], r["findings_by_check"])  # noqa: E731
    assert [key(r) for r in rows] == [key(r) for r in local]
    assert json.loads((tmp_path / "d" / "meta.json").read_text())["executor"] == address


def test_unknown_executor(corpus, tmp_path):
    e = io.StringIO()
    code = run(["bench", str(corpus), "--executor", "ray://x", "--out", str(tmp_path), "--no-progress"],
               io.StringIO(), e)
    assert code == 2 and "unknown --executor" in e.getvalue()
