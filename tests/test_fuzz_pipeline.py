"""Whole-pipeline fuzzing and hard resource bounds (issue 7).

Fuzzing: mutants of the examples and of real Go files (the installed
toolchain's standard library), and pathological files (10,000 nested
parentheses and blocks, a 50 MB file, a file of NUL bytes, ...), through
``gcheck check``: each ends with exit 0/1, or exit 2 with an error message;
never a traceback, never a hang.

Hard bounds: --max-states, --max-depth, --timeout and --max-memory on a
program whose state space explodes (12 goroutines of 10 independent
operations each, with partial-order reduction off; and the same with the
operations sharing a mutex, which explodes even with it): the run stops in
time, reports the findings so far and says "bounded by X". Ctrl-C does the
same (exit 130).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gcheck.difftest import fuzz as F  # noqa: E402

MUTANTS = int(os.environ.get("GCHECK_FUZZ_MUTANTS", "600"))
FAST = ["--no-cache", "--no-config", "--timeout", "2", "--max-states", "5000"]

# 12 goroutines, each doing 10 operations on its own channel (independent of
# every other goroutine), and one that closes a channel twice a few steps in:
# the finding the bounded runs must still report.
EXPLODING = """\
package main

func main() {
	done := make(chan int, 1)
	go func() {
		done <- 1
		close(done)
		close(done)
	}()
	for g := 0; g < 12; g++ {
		go func() {
			own := make(chan int, 10)
			for i := 0; i < 10; i++ {
				own <- i
			}
		}()
	}
	<-done
}
"""

# The same with every operation on one shared mutex: partial-order reduction
# cannot help, the state space explodes with the default options.
EXPLODING_SHARED = """\
package main

import "sync"

func main() {
	var mu sync.Mutex
	done := make(chan int, 1)
	go func() {
		done <- 1
		close(done)
		close(done)
	}()
	for g := 0; g < 12; g++ {
		go func() {
			for i := 0; i < 10; i++ {
				mu.Lock()
				mu.Unlock()
			}
		}()
	}
	<-done
}
"""


def _report(rep: F.Report) -> str:
    return rep.summary()


# --------------------------------------------------------------------------
# Fuzzing


def test_special_inputs():
    inputs = F.special_inputs(big_mb=50)
    rep = F.run_corpus(inputs, limit=120, args=FAST)
    print("\n" + _report(rep))
    assert not rep.problems, _report(rep)
    by_name = {o.name: o for o in rep.outcomes}
    for name in ("nul.go", "big-50mb.go", "parens-10000.go", "blocks-10000.go", "binary.go", "empty.go"):
        assert by_name[name].exit == 2, (name, by_name[name].tail)
    assert "too large" in by_name["big-50mb.go"].tail
    assert by_name["crlf.go"].exit == 1  # a CRLF file is still Go: its deadlock is found
    assert all(o.seconds < 60 for o in rep.outcomes), _report(rep)


def test_seeded_mutants_never_crash_or_hang():
    inputs = [i for i in F.corpus(MUTANTS, seed=7, stdlib=30, big_mb=0) if i.kind != "special"]
    assert len(inputs) == MUTANTS
    kinds = {k for i in inputs for k in i.kind.split("+")}
    assert {"delete", "insert", "truncate", "random-bytes", "nest"} <= kinds
    rep = F.run_corpus(inputs, limit=60, args=FAST)
    print("\n" + _report(rep))
    assert not rep.problems, _report(rep)
    assert {o.exit for o in rep.outcomes} >= {0, 2}


def test_the_real_command_line():
    """`python -m gcheck check` as a separate process, on the worst inputs."""
    specials = {i.name: i for i in F.special_inputs(big_mb=50)}
    for name in ("nul.go", "big-50mb.go", "parens-10000.go"):
        rc, out, err, secs = F.run_cli_subprocess(specials[name].data, limit=120, args=FAST)
        assert rc == 2, (name, rc, out[-500:], err[-500:])
        assert "Traceback" not in out + err
        assert "error" in out + err


def test_run_one_reports_a_traceback(monkeypatch, tmp_path):
    """The harness itself: an exception escaping cli.run is caught as a problem."""
    from gcheck import cli

    def boom(argv, stdout=None, stderr=None):
        raise RuntimeError("planted")

    monkeypatch.setattr(cli, "run", boom)
    o = F.run_one(F.Input("x.go", b"package main\n", "t"), tmp_path, limit=30)
    assert "traceback" in o.problem and "planted" in o.problem


# --------------------------------------------------------------------------
# Hard bounds


def _cli(src: str, args: list, tmp_path: Path, limit: float = 120.0, driver: bool = False):
    d = tmp_path / "boom"
    d.mkdir(exist_ok=True)
    (d / "main.go").write_text(src)
    argv = ["check", "--no-cache", "--no-config", "--format", "json", *args, str(d)]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if driver:  # report the child's peak RSS on stderr
        code = ("import resource, sys\nfrom gcheck import cli\nrc = cli.run(sys.argv[1:])\n"
                "sys.stderr.write('PEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
                "sys.exit(rc)\n")
        cmd = [sys.executable, "-c", code, *argv]
    else:
        cmd = [sys.executable, "-m", "gcheck", *argv]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, env=env, stdin=subprocess.DEVNULL)
    return p, time.monotonic() - t0


def _bounded(p, bound: str) -> dict:
    assert p.returncode == 1, (p.returncode, p.stdout[-1000:], p.stderr[-1000:])
    rep = json.loads(p.stdout)
    (st,) = rep["stats"]
    assert not st["complete"] and st["bound"].startswith(bound), st
    checks = {f["check"] for f in rep["findings"]}
    assert "close-of-closed" in checks, rep["findings"]  # the findings so far
    for f in rep["findings"]:
        assert f"bounded by {bound}" in f["trace"]["explored"], f["trace"]["explored"]
    return st


def test_max_states_is_honoured(tmp_path):
    p, secs = _cli(EXPLODING, ["--no-por", "--max-states", "3000"], tmp_path)
    st = _bounded(p, "max-states (3000)")
    assert st["states"] <= 3000
    assert secs < 60


def test_max_depth_is_honoured(tmp_path):
    p, secs = _cli(EXPLODING, ["--no-por", "--max-depth", "4"], tmp_path)
    st = _bounded(p, "max-depth (4)")
    assert st["depth"] <= 4
    assert secs < 60


@pytest.mark.parametrize("src,args", [(EXPLODING, ["--no-por"]), (EXPLODING_SHARED, [])],
                         ids=["independent-no-por", "shared-mutex"])
def test_timeout_is_honoured(tmp_path, src, args):
    p, secs = _cli(src, [*args, "--timeout", "3"], tmp_path)
    st = _bounded(p, "timeout (3s)")
    assert st["seconds"] < 3 + 1.5, st  # the search itself stops within about a step
    assert secs < 3 + 15, secs  # the whole run: start-up, lowering, checks, report


def test_memory_ceiling_is_honoured(tmp_path):
    base, _ = _cli("package main\n\nfunc main() {}\n", [], tmp_path, driver=True)
    base_kb = int(base.stderr.split("PEAK_KB")[1].split()[0])
    p, secs = _cli(EXPLODING, ["--no-por", "--max-memory", "60", "--timeout", "100"], tmp_path, driver=True)
    peak_kb = int(p.stderr.split("PEAK_KB")[1].split()[0])
    _bounded(p, "memory (60 MB)")
    # the search stops once it holds 60 MB more than at its start; the checks
    # and the report that follow need some more
    assert peak_kb - base_kb < (60 + 80) * 1024, (base_kb, peak_kb)
    assert secs < 90


def test_ctrl_c_stops_the_search_and_reports(tmp_path):
    d = tmp_path / "boom"
    d.mkdir()
    (d / "main.go").write_text(EXPLODING)
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "gcheck", "check", "--no-cache", "--no-config", "--no-por",
                             str(d)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            stdin=subprocess.DEVNULL)
    time.sleep(4)  # start-up, then well into the search
    assert proc.poll() is None, proc.communicate()
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 15
    assert proc.returncode == 130, (out[-800:], err[-800:])
    assert "Traceback" not in out + err
    assert "bounded by interrupted" in out and "[close-of-closed]" in out, out[-1500:]
    assert "interrupted" in err


def test_explore_interrupt_hook_and_keyboard_interrupt(tmp_path, monkeypatch):
    from gcheck.lower import lower_package
    from gcheck.model import semantics as M
    from gcheck.solver import search
    from gcheck.syntax import parse_file

    (tmp_path / "main.go").write_text(EXPLODING)
    prog = lower_package([parse_file(str(tmp_path / "main.go"))], (1, 27))
    entry = prog.entries["main"]
    lim = search.Limits(por=False)
    calls = {"n": 0}

    def stop_after_300():
        calls["n"] += 1
        return calls["n"] > 300

    g = search.explore(prog, entry, lim, interrupt=stop_after_300)
    assert g.bound == "interrupted" and not g.complete and 0 < len(g.states) < lim.max_states

    real = M.step
    steps = {"n": 0}

    def step(*a, **k):
        steps["n"] += 1
        if steps["n"] == 2000:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(M, "step", step)
    g = search.explore(prog, entry, lim)
    assert g.bound == "interrupted"
    assert len(g.states) == len(g.parent) == len(g.depth) == len(g.succ) == len(g.expanded)


# --------------------------------------------------------------------------
# What the fuzzing found (each fixed; kept as regressions)

FOUND = {
    # solver/search.py: an exception in the entry's first local run (building
    # the initial state) escaped explore, which guarded only the steps: a
    # traceback. Now an internal-error note and a bounded result.
    "initial-state-exception.go": b"""package main

import "sync"

func main() {
\tvar wg sync.WaitGroup
\ts := append(wg.Done, 1)
\t_ = s
}
""",
    # solver/search.py: enabled() (outside the per-step guard) raised on a Lock
    # of a field whose type is from an unknown package: a traceback. Now an
    # internal-error note; the state is left unexpanded (never a deadlock).
    "lock-of-unknown-type.go": b"""package main

type counter struct {
\tmu disabled.Mutex
\tn  int
}

func main() {
\tc := &counter{}
\tc.mu.Lock()
\tc.n++
\tc.mu.Unlock()
}
""",
    # lower/types.py: a struct type containing itself by value (invalid Go) made
    # each zero value cost 2^20 calls: a hang. A type being expanded is now nil.
    "recursive-struct-type.go": b"""package main

type object struct {
\tname, version object
}

func main() {
\t_ = []object{{}, {}}
}
""",
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_fuzz_finding(name, tmp_path):
    F.warm_up(tmp_path, FAST)
    o = F.run_one(F.Input(name, FOUND[name], "found"), tmp_path, limit=30, args=FAST)
    assert not o.problem, (o.problem, o.tail)
    assert o.exit in (0, 1) and o.seconds < 20, (o.exit, o.seconds, o.tail)
