"""gcheck export --promela: valid Promela, SPIN's verdicts, clean refusals.

The SPIN tests run when `spin` and a C compiler are installed (.ci/run
installs the Debian package) and skip otherwise. Each compiles one small
pan verifier (well under a second).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from gcheck.cli import run
from gcheck.export.promela import NotInSubset, export_file_source

HAVE_SPIN = bool(shutil.which("spin") and (shutil.which("gcc") or shutil.which("cc")))
needs_spin = pytest.mark.skipif(not HAVE_SPIN, reason="spin (Debian package `spin`) or a C compiler missing")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "benchmarks"))


def _src(text: str) -> str:
    return textwrap.dedent(text).lstrip()


DEADLOCK = _src(
    """
    package main

    import "sync"

    func main() {
    	var mu sync.Mutex
    	c := make(chan int)
    	go func() {
    		mu.Lock()
    		c <- 1
    		mu.Unlock()
    	}()
    	mu.Lock()
    	<-c
    	mu.Unlock()
    }
    """
)

CLEAN = _src(
    """
    package main

    import "sync"

    func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
    	defer wg.Done()
    	for j := range jobs {
    		results <- j + id
    	}
    }

    func main() {
    	jobs := make(chan int)
    	results := make(chan int, 4)
    	var wg sync.WaitGroup
    	for w := 0; w < 2; w++ {
    		wg.Add(1)
    		go worker(w, jobs, results, &wg)
    	}
    	for i := 0; i < 3; i++ {
    		jobs <- i
    	}
    	close(jobs)
    	wg.Wait()
    	close(results)
    	n := 0
    	for range results {
    		n++
    	}
    	if n != 3 {
    		panic("lost a result")
    	}
    }
    """
)

SELECT = _src(
    """
    package main

    func main() {
    	c := make(chan int)
    	quit := make(chan struct{})
    	go func() {
    		for {
    			select {
    			case v, ok := <-c:
    				if !ok || v > 1 {
    					close(quit)
    					return
    				}
    			case <-quit:
    				return
    			}
    		}
    	}()
    	for i := 0; i < 3; i++ {
    		select {
    		case c <- i:
    		case <-quit:
    			return
    		}
    	}
    	<-quit
    }
    """
)

# main hands off to a goroutine whose select takes `default` when nobody is
# parked yet, as gcheck allows: a deadlock on some interleaving
POLL_DEADLOCK = _src(
    """
    package main

    func main() {
    	c := make(chan int)
    	go func() {
    		select {
    		case c <- 1:
    		default:
    		}
    	}()
    	<-c
    }
    """
)

CLOSE_TWICE = _src(
    """
    package main

    func main() {
    	c := make(chan bool, 1)
    	done := make(chan bool)
    	go func() {
    		close(c)
    		done <- true
    	}()
    	select {
    	case <-c:
    	default:
    		close(c)
    	}
    	<-done
    }
    """
)


def _pan(pml: str, tmp_path, reduce: bool = True) -> str:
    (tmp_path / "m.pml").write_text(pml)
    gen = subprocess.run(["spin", "-a"] + ([] if reduce else ["-o1"]) + ["m.pml"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert gen.returncode == 0, gen.stdout + gen.stderr + "\n" + pml
    cc = shutil.which("gcc") or shutil.which("cc")
    flags = ["-DSAFETY"] + ([] if reduce else ["-DNOREDUCE"])
    out = subprocess.run([cc, "-w", "-O0"] + flags + ["-o", "pan", "pan.c"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    res = subprocess.run(["./pan", "-c0", "-m100000", "-w18"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60)
    return res.stdout


def _deadlock(out: str) -> bool:
    return bool(re.search(r"pan:\d+: invalid end state", out))


def _states(out: str) -> int:
    return int(re.search(r"(\d+) states, stored", out).group(1))


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- output shape (no SPIN needed)


def test_export_shape():
    pml = export_file_source(CLEAN, "clean/main.go")
    assert "active proctype main()" in pml
    assert re.search(r"proctype worker\(int id; chan jobs; chan results; byte wg\)", pml)
    assert "[0] of {int, bit, bit, bit}" in pml  # jobs: a rendezvous channel
    assert "[4] of {int}" in pml  # results: buffered
    assert "inline wg_add" in pml
    # goroutines' operations are valid end states; main's are not
    assert re.search(r"end_S\d+:", pml) and re.search(r"\n    S\d+:", pml)


def test_cli_writes_file(tmp_path):
    d = tmp_path / "prog"
    d.mkdir()
    (d / "main.go").write_text(CLEAN)
    out = tmp_path / "m.pml"
    code, stdout, err = _cli("export", "--promela", str(d), "-o", str(out))
    assert code == 0, err
    assert stdout == ""
    assert "active proctype main()" in out.read_text()
    code, stdout, err = _cli("export", "--promela", str(d / "main.go"))
    assert code == 0 and "proctype worker" in stdout


def test_cli_entry(tmp_path):
    d = tmp_path / "prog"
    d.mkdir()
    (d / "main.go").write_text(CLEAN.replace("func main()", "func run()") + "\nfunc main() { run() }\n")
    code, stdout, err = _cli("export", "--promela", str(d), "--entry", "run")
    assert code == 0, err
    assert "run worker(" in stdout
    code, stdout, err = _cli("export", "--promela", str(d))  # main calls a function: outside the subset
    assert code == 2 and "not in the Promela subset" in err


UNSUPPORTED = [
    # (source of main's body or file, expected line, expected column, words in the message)
    ("package main\n\nfunc main() {\n\tm := map[int]int{}\n\t_ = m\n}\n", 4, 7, "composite literal"),
    ("package main\n\nfunc main() {\n\tvar c chan int\n\tc <- 1\n}\n", 4, 6, "nil channel"),
    ("package main\n\nimport \"time\"\n\nfunc main() {\n\ttime.Sleep(1)\n}\n", 6, 2, "Sleep"),
    ("package main\n\nfunc f() {}\n\nfunc main() {\n\tf()\n}\n", 6, 2, "call of f"),
    ("package main\n\nfunc main() {\n\tc := make(chan int)\n\tfor i := 0; i < 2; i++ {\n"
     "\t\tdefer close(c)\n\t}\n}\n", 6, 3, "defer"),
    ("package main\n\nfunc main() {\n\tx := 0\n\tgo func() { x++ }()\n}\n", 5, 14, "captured"),
    ("package main\n\nfunc main() {\n\tc := make(chan int)\n\tfor v := range c {\n"
     "\t\tgo func() { <-c }()\n\t\t_ = v\n\t}\n}\n", 6, 3, "without a constant bound"),
    ("package main\n\nfunc main() {\n\tc := make(chan string, 1)\n\tc <- \"x\"\n}\n", 4, 17, "element type"),
    ("package main\n\nfunc main() {\n\tn := 2\n\tc := make(chan int)\n\tif n > 1 {\n\t\tc = make(chan int, 1)\n"
     "\t}\n\tc <- 1\n}\n", 5, 7, "buffered and unbuffered"),
]


@pytest.mark.parametrize("src,line,col,words", UNSUPPORTED, ids=[u[3].replace(" ", "-") for u in UNSUPPORTED])
def test_unsupported_exit_2(tmp_path, src, line, col, words):
    d = tmp_path / "prog"
    d.mkdir()
    (d / "main.go").write_text(src)
    code, stdout, err = _cli("export", "--promela", str(d))
    assert code == 2, (stdout, err)
    assert stdout == ""
    path = str(d / "main.go")
    m = re.match(r"(.+):(\d+):(\d+): not in the Promela subset: (.*)", err.strip())
    assert m, err
    assert m.group(1) == path
    assert (int(m.group(2)), int(m.group(3))) == (line, col), err
    assert words in m.group(4), err


def test_errors_exit_2(tmp_path):
    code, _, err = _cli("export", "--promela", str(tmp_path / "missing"))
    assert code == 2 and "no such file" in err
    (tmp_path / "bad.go").write_text("package main\nfunc main() {\n")
    code, _, err = _cli("export", "--promela", str(tmp_path / "bad.go"))
    assert code == 2 and "bad.go:" in err
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "main.go").write_text("package main\n\nfunc main() {}\n")
    code, _, err = _cli("export", str(tmp_path / "ok"))  # no format chosen
    assert code == 2 and "--promela" in err


def test_not_in_subset_message():
    with pytest.raises(NotInSubset) as e:
        export_file_source("package main\n\nfunc main() {\n\tvar f float64\n\t_ = f\n}\n", "x/main.go")
    assert str(e.value).startswith("x/main.go:4:8: not in the Promela subset: ")


# ---------------------------------------------------------------- SPIN


@needs_spin
@pytest.mark.parametrize("name,src,deadlock,modes", [
    ("deadlock", DEADLOCK, True, (False, True)),
    ("clean", CLEAN, False, (False, True)),
    ("select", SELECT, False, (True,)),
    ("poll", POLL_DEADLOCK, True, (True,)),
], ids=["deadlock", "clean", "select", "poll"])
def test_spin_verdicts(tmp_path, name, src, deadlock, modes):
    """SPIN's invalid end state is gcheck's global deadlock, with and without SPIN's reduction."""
    pml = export_file_source(src, f"{name}/main.go")
    for reduce in modes:
        out = _pan(pml, tmp_path, reduce)
        assert _deadlock(out) == deadlock, out
        assert "assertion violated" not in out, out


@needs_spin
def test_spin_finds_close_of_closed(tmp_path):
    out = _pan(export_file_source(CLOSE_TWICE, "c/main.go"), tmp_path)
    assert "assertion violated" in out, out


@needs_spin
@pytest.mark.parametrize("family,n", [("prodcons", 2), ("pipeline", 2), ("philosophers", 2),
                                      ("philosophers-fixed", 2)])
def test_state_counts_agree_without_reduction(tmp_path, family, n):
    """The cross-check: without reductions SPIN stores exactly gcheck's states,
    plus the one before main's first statement (gcheck starts after main's
    local prefix). benchmarks/spin_side_by_side.py explains where they differ."""
    from families import FAMILIES

    from gcheck.api import Options, check_paths
    from gcheck.export.promela import export_path
    from gcheck.solver.search import Limits

    d = tmp_path / "prog"
    d.mkdir()
    (d / "main.go").write_text(FAMILIES[family](n))
    r = check_paths([str(d)], Options(limits=Limits(por=False, symmetry=False, timeout=30)))
    st = r.stats[0]
    assert st.complete
    out = _pan(export_path(str(d)), tmp_path, reduce=False)
    assert _states(out) == st.states + 1, out
    assert _deadlock(out) == any(f.check == "global-deadlock" for f in r.findings)
