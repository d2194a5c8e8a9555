"""-j N (process pool, results merged in package order) and the per-package
result cache keyed by file contents, gcheck's code and the options."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gcheck import cache
from gcheck.api import Options, check_paths
from gcheck.cli import run
from gcheck.solver.search import Limits

LEAK = "package main\n\nfunc main() {\n\tch := make(chan int)\n\tgo func() { ch <- %d }()\n}\n"
CLEAN = "package main\n\nfunc main() {\n\tch := make(chan int, 1)\n\tch <- %d\n}\n"


@pytest.fixture
def tree(tmp_path):
    for i in range(4):
        d = tmp_path / "src" / f"p{i}"
        d.mkdir(parents=True)
        (d / "main.go").write_text((LEAK if i % 2 == 0 else CLEAN) % i)
    return tmp_path / "src"


def _shape(r):
    return ([(f.check, f.pos.file, f.pos.line, f.message, f.entry) for f in r.findings],
            [(n.pos, n.message) for n in r.notes], r.errors, [(s.entry, s.states) for s in r.stats], r.files)


def test_parallel_equals_sequential(tree):
    seq = check_paths([f"{tree}/..."], Options())
    par = check_paths([f"{tree}/..."], Options(jobs=2))
    assert _shape(par) == _shape(seq)
    assert [f.check for f in seq.findings] == ["goroutine-leak", "goroutine-leak"]
    assert seq.packages == par.packages == 4


def test_cache_hits_and_invalidation(tree, tmp_path):
    cdir = str(tmp_path / "cache")
    opts = Options(cache=True, cache_dir=cdir)
    first = check_paths([f"{tree}/..."], opts)
    assert first.cache_hits == 0 and first.packages == 4
    second = check_paths([f"{tree}/..."], opts)
    assert second.cache_hits == 4 and _shape(second) == _shape(first)
    # a changed file: only its package is explored again
    (tree / "p1" / "main.go").write_text(LEAK % 1)
    third = check_paths([f"{tree}/..."], opts)
    assert third.cache_hits == 3 and len(third.findings) == 3
    # other options: another key
    assert check_paths([f"{tree}/..."], Options(cache=True, cache_dir=cdir, disable=("defer-in-loop",))).cache_hits == 0
    # parallel workers read the same cache
    assert check_paths([f"{tree}/..."], Options(cache=True, cache_dir=cdir, jobs=2)).cache_hits == 4


def test_corrupt_entries_are_misses(tree, tmp_path):
    cdir = tmp_path / "cache"
    opts = Options(cache=True, cache_dir=str(cdir))
    check_paths([f"{tree}/..."], opts)
    entries = list(cdir.rglob("*.pickle"))
    assert len(entries) == 4
    for e in entries:
        e.write_bytes(b"not a pickle")
    r = check_paths([f"{tree}/..."], opts)
    assert r.cache_hits == 0 and len(r.findings) == 2


def test_timeout_bounded_results_are_not_stored(tree, tmp_path):
    from gcheck.diagnostics import EntryStats, Result

    r = Result(stats=[EntryStats("main", 1, 0, 0, 0.1, False, "timeout (1s)")])
    assert not cache.cacheable(r)
    assert cache.cacheable(Result(stats=[EntryStats("main", 1, 0, 0, 0.1, False, "max-states (5)")]))
    assert not cache.store("ab" * 32, tmp_path / "c", r)


def test_key_covers_content_options_and_code(tree):
    from gcheck.loader import expand

    (pkg, *_), _ = expand([f"{tree}/..."])
    k1 = cache.key(pkg, Options().cache_key(), None)
    assert k1 == cache.key(pkg, Options(jobs=4, cache=True).cache_key(), None)  # not result-changing
    assert k1 != cache.key(pkg, Options(limits=Limits(max_states=10)).cache_key(), None)
    assert k1 != cache.key(pkg, Options(goos="windows").cache_key(), None)
    Path(pkg.files[0]).write_text("package main\n\nfunc main() {}\n")
    assert k1 != cache.key(pkg, Options().cache_key(), None)
    assert len(cache.code_fingerprint()) == 64


def test_cli_uses_the_cache_by_default_and_no_cache_skips_it(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("GCHECK_CACHE_DIR", str(tmp_path / "envcache"))
    out = io.StringIO()
    assert run(["check", f"{tree}/..."], out, io.StringIO()) == 1
    out = io.StringIO()
    assert run(["check", "-j", "2", f"{tree}/..."], out, io.StringIO()) == 1
    assert "4 of 4 package(s) from the cache" in out.getvalue().splitlines()[-1]
    out = io.StringIO()
    assert run(["check", "--no-cache", f"{tree}/..."], out, io.StringIO()) == 1
    assert "from the cache" not in out.getvalue()
    assert run(["check", "-j", "0", f"{tree}/..."], io.StringIO(), io.StringIO()) == 2
