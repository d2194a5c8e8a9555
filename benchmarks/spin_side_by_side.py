"""gcheck and SPIN side by side on the same programs, in one table.

    python benchmarks/spin_side_by_side.py [--max-n 5] [--timeout 60] [--family NAME ...]

For each family of benchmarks/families.py and N = 1..K, the Go program is
checked by gcheck (reductions off, and partial-order plus symmetry reduction on) and exported with
`gcheck export --promela` for SPIN, which runs twice:

- no reduction: `spin -a -o1` (-o1: no dead-variable elimination, SPIN's
  own; the export clears dead variables the way gcheck does) and pan.c
  compiled with -DNOREDUCE;
- default: `spin -a` and pan.c with SPIN's default partial-order reduction.

Both pan runs are safety searches (-DSAFETY) that go on after an error
(-c0), so that the states are those of the whole graph, as gcheck's are.
SPIN is installed from Debian (`apt-get install spin`) when it is missing.

Columns: states and states/s of each run (states/s over the search alone:
gcheck's exploration time, pan's elapsed time; `~` marks a run too short
for pan's clock, timed by the wall clock of the pan process instead); the
ratio of gcheck's states/s to SPIN's without and with reduction; whether
the four deadlock verdicts agree (gcheck's global-deadlock, SPIN's "invalid
end state"); and how gcheck's state count without reduction compares with
SPIN's: `=+1` is exact agreement up to the one state SPIN stores before
main's first statement (gcheck's first state is after main's local prefix).

The `pool-unrolled` rows are a control: the pool family with its jobs sent
by N statements `jobs <- k` (k = 1..N) instead of a loop. See the notes the
script prints after the table for why the counts differ where they do.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from families import FAMILIES, pool  # noqa: E402

from gcheck.api import Options, check_paths  # noqa: E402
from gcheck.export.promela import export_path  # noqa: E402
from gcheck.solver.search import Limits  # noqa: E402


def pool_unrolled(n: int) -> str:
    """pool(n) with the jobs sent one statement each (no loop around the send)."""
    src = pool(n)
    loop = f"\tfor i := 0; i < {n}; i++ {{\n\t\tjobs <- i\n\t}}\n"
    assert loop in src
    return src.replace(loop, "".join(f"\tjobs <- {k}\n" for k in range(1, n + 1)))


ALL = dict(FAMILIES)
ALL["pool-unrolled"] = pool_unrolled

NOTES = """\
Notes on the state counts without reduction (gcheck POR off vs SPIN -DNOREDUCE -o1):
- =+1 everywhere the exported model mirrors gcheck's steps: SPIN also stores the state
  before main's first statement; gcheck starts after main's local prefix.
- pool (the loop `for i := 0; i < N; i++ { jobs <- i }`) differs for two reasons:
  (1) + states: a rendezvous moves both processes but only the receiver goes on inside
      its atomic block; main's local code after `jobs <- i` (i++, i < N) is a SPIN
      transition of its own, so SPIN stores every state in which main has handed a job
      over and not yet run that code, interleaved with the workers' steps. gcheck runs
      both sides' local code in the hand-off step. The mapping: collapse each such state
      into its successor by main's local step.
  (2) - states: gcheck tells a variable never assigned (nil) from one holding 0; Promela
      variables start at 0. A worker that received no job and one that received job 0
      both wait in their deferred wg.Done with j == 0 in SPIN, but with j nil / j == 0 in
      gcheck (it keeps a returning frame's slots). The mapping: give unassigned ints a
      value no Go run can hold.
  pool-unrolled removes both (no local code after each send, jobs 1..N): it agrees =+1.
- Other sources of difference (not in these families, see gcheck/export/promela.py):
  a goroutine whose body starts with local code rests once at its first statement;
  a panic is an assertion that stops SPIN, where gcheck steps into the panic;
  gcheck drops unreachable heap objects, SPIN keeps every channel it allocated.
"""


# ---------------------------------------------------------------- SPIN


def ensure_spin() -> bool:
    if shutil.which("spin") and shutil.which("gcc"):
        return True
    print("spin not found: installing the Debian package (apt-get install spin)", flush=True)
    cmd = "apt-get update && apt-get install -y spin"
    if os.geteuid() != 0 and shutil.which("sudo"):
        cmd = "sudo sh -c 'apt-get update && apt-get install -y spin'"
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL)
    return bool(shutil.which("spin") and shutil.which("gcc"))


@dataclasses.dataclass
class Run:
    states: int = 0
    secs: float = 0.0
    deadlock: bool | None = None  # None: unknown (search incomplete and nothing found)
    complete: bool = True
    note: str = ""
    wall: bool = False  # timed by the wall clock (too fast for pan's clock)

    @property
    def rate(self) -> float | None:
        return self.states / self.secs if self.secs > 0 else None


def run_spin(pml: str, reduce: bool, timeout: float, expect: int = 1_000_000) -> Run:
    """pan's hash table and stack are sized from the expected number of states
    (gcheck's): allocating a large fixed one would dominate small runs."""
    depth = min(10_000_000, max(10_000, 4 * expect))
    for _ in range(3):
        r = _run_pan(pml, reduce, timeout, expect, depth)
        if "max search depth too small" not in r.note or depth >= 10_000_000:
            return r
        depth = 10_000_000
    return r


def _run_pan(pml: str, reduce: bool, timeout: float, expect: int, depth: int) -> Run:
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "model.pml"), "w") as f:
            f.write(pml)
        gen = subprocess.run(["spin", "-a"] + ([] if reduce else ["-o1"]) + ["model.pml"], cwd=d,
                             capture_output=True, text=True)
        if gen.returncode != 0:
            return Run(complete=False, note="spin -a failed: " + (gen.stdout + gen.stderr).strip()[:200])
        flags = ["-DSAFETY"] + ([] if reduce else ["-DNOREDUCE"])
        cc = subprocess.run(["gcc", "-w", "-O2"] + flags + ["-o", "pan", "pan.c"], cwd=d,
                            capture_output=True, text=True)
        if cc.returncode != 0:
            return Run(complete=False, note="gcc failed: " + cc.stderr.strip()[:200])
        t0 = time.perf_counter()
        try:
            w = min(26, max(16, (4 * expect).bit_length()))
            out = subprocess.run(["./pan", "-c0", f"-m{depth}", f"-w{w}"], cwd=d, capture_output=True,
                                 text=True, timeout=timeout).stdout
        except subprocess.TimeoutExpired:
            return Run(complete=False, note=f"timeout ({timeout:g}s)")
        wall = time.perf_counter() - t0
    r = Run()
    m = re.search(r"(\d+) states, stored", out)
    r.states = int(m.group(1)) if m else 0
    m = re.search(r"pan: elapsed time ([\d.e+-]+) seconds", out)
    r.secs = float(m.group(1)) if m else 0.0
    if r.secs < 0.01:
        r.secs, r.wall = wall, True
    r.deadlock = bool(re.search(r"pan:\d+: invalid end state", out))
    if "assertion violated" in out:
        r.note = "assertion violated (a panic)"
    if "max search depth too small" in out:
        r.complete = False
        r.note = (r.note + "; " if r.note else "") + "max search depth too small"
    return r


# ---------------------------------------------------------------- gcheck


def run_gcheck(path: str, por: bool, timeout: float, max_states: int) -> Run:
    kw = {}
    if "cache" in {f.name for f in dataclasses.fields(Options)}:
        kw["cache"] = False  # always explore: never a cached result
    # "reduced" is every reduction gcheck has (partial-order and symmetry), "no reduction" none
    limits = Limits(timeout=timeout, max_states=max_states, por=por)
    if "symmetry" in {f.name for f in dataclasses.fields(Limits)}:
        limits.symmetry = por
    res = check_paths([path], Options(limits=limits, **kw))
    if res.errors or not res.stats:
        return Run(complete=False, note="; ".join(res.errors)[:200] or "no entry explored")
    st = res.stats[0]
    checks = {f.check for f in res.findings}
    r = Run(st.states, st.seconds, complete=st.complete)
    r.deadlock = True if "global-deadlock" in checks else (False if st.complete else None)
    if not st.complete:
        r.note = f"bounded by {st.bound}"
    others = sorted(checks - {"global-deadlock", "goroutine-leak"})
    if others:
        r.note = (r.note + "; " if r.note else "") + ", ".join(others)
    return r


# ---------------------------------------------------------------- table


def _num(x) -> str:
    if x is None:
        return "-"
    if x >= 1e6:
        return f"{x / 1e6:.1f}M"
    if x >= 1e4:
        return f"{x / 1e3:.0f}k"
    return f"{x:.0f}"


def _rate(r: Run) -> str:
    if not r.complete and not r.states:
        return "-"
    return ("~" if r.wall else "") + _num(r.rate)


def _ratio(a: Run, b: Run) -> str:
    if a.rate is None or b.rate is None or not b.rate:
        return "-"
    return f"{a.rate / b.rate:.3f}"


HEADER = (f"{'family':<19}{'N':>3} | {'gc-off':>8}{'st/s':>7} | {'gc-on':>8}{'st/s':>7} | "
          f"{'spin-nored':>10}{'st/s':>7} | {'spin-def':>9}{'st/s':>7} | {'ratio off':>9}{'ratio on':>9} | "
          f"{'deadlock':<14}| {'count (off vs nored)'}")


def row(name: str, n: int, off: Run, on: Run, sn: Run, sd: Run) -> str:
    verdicts = [off.deadlock, on.deadlock, sn.deadlock, sd.deadlock]
    known = [v for v in verdicts if v is not None]
    word = "yes" if known and known[0] else "no"
    if not known:
        agree = "? (bounded)"
    elif all(v == known[0] for v in known):
        agree = f"{word}: agree" if len(known) == 4 else f"{word}: agree*"
    else:
        agree = "DISAGREE " + "/".join("?" if v is None else "y" if v else "n" for v in verdicts)
    if off.complete and sn.complete:
        d = sn.states - off.states
        count = "=+1 (exact)" if d == 1 else f"differs by {d:+d}"
    else:
        count = "n/a (bounded)"
    notes = "; ".join(x for x in {off.note, on.note, sn.note, sd.note} if x)
    return (f"{name:<19}{n:>3} | {off.states:>8}{_rate(off):>7} | {on.states:>8}{_rate(on):>7} | "
            f"{sn.states:>10}{_rate(sn):>7} | {sd.states:>9}{_rate(sd):>7} | "
            f"{_ratio(off, sn):>9}{_ratio(on, sd):>9} | {agree:<14}| {count}" + (f"  [{notes}]" if notes else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-n", type=int, default=5, help="N = 1..K (default 5)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per gcheck or pan run (default 60)")
    ap.add_argument("--max-states", type=int, default=2_000_000, help="gcheck's state bound")
    ap.add_argument("--family", action="append", choices=sorted(ALL), help="(repeatable; default all)")
    a = ap.parse_args()
    if not ensure_spin():
        print("spin (and gcc) are needed: apt-get install spin gcc", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as d:  # warm up (imports, parser tables) outside the timings
        with open(os.path.join(d, "main.go"), "w") as f:
            f.write(ALL["prodcons"](1))
        run_gcheck(d, False, a.timeout, a.max_states)
    print(HEADER)
    print("-" * len(HEADER))
    disagreements = 0
    for name in a.family or list(ALL):
        gen = ALL[name]
        for n in range(1, a.max_n + 1):
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "main.go"), "w") as f:
                    f.write(gen(n))
                pml = export_path(d)
                off = run_gcheck(d, False, a.timeout, a.max_states)
                on = run_gcheck(d, True, a.timeout, a.max_states)
            expect = off.states if off.complete else 1_000_000
            sn = run_spin(pml, False, a.timeout, expect)
            sd = run_spin(pml, True, a.timeout, expect)
            line = row(name, n, off, on, sn, sd)
            disagreements += "DISAGREE" in line
            print(line, flush=True)
            if not (off.complete and on.complete and sn.complete and sd.complete):
                break  # the next N only takes longer
    print()
    print("st/s: states per second of the search; ratio: gcheck's st/s / SPIN's st/s (off: no reduction")
    print("on either side; on: gcheck POR vs SPIN's default reduction); agree*: a bounded run did not decide.")
    print()
    print(NOTES)
    return 1 if disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
