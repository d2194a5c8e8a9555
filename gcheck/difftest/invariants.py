"""The invariants between gcheck and the Go runtime, and the agreement table.

For every program:

* every outcome a run shows is among gcheck's findings: a global deadlock is
  a ``global-deadlock`` finding, a panic is a finding of its check id, a
  goroutine the ``goroutineleak`` profile flags (by the line of its ``go``
  statement) is a ``goroutine-leak`` finding for a goroutine created there,
  a run that hangs is a global deadlock or an entry that never returns;
* so when gcheck's exploration is complete and clean, no run shows any;
* a gcheck finding no run shows is *unconfirmed* (the noise did not reach its
  schedule, or it is spurious): counted and listed, worst first.

A runtime outcome gcheck misses is a *disagreement*; when gcheck's search was
bounded it is listed apart (a bound, not necessarily a model bug).
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from gcheck.difftest import generator as G
from gcheck.difftest.runner import GcheckView, GoWorkspace, Obs, gcheck_view, run_configs, runtime_key


@dataclass
class Verdict:
    prog: G.GenProgram
    runs: list  # one frozenset of Obs per run
    view: GcheckView | None
    missing: list = field(default_factory=list)  # runtime Obs gcheck does not report
    unconfirmed: list = field(default_factory=list)  # gcheck keys no run showed
    confirmed: list = field(default_factory=list)
    status: str = "agree"  # agree | disagree | bounded-miss | gcheck-error | broken | unexplained

    @property
    def counts(self) -> Counter:
        return Counter(o for r in self.runs for o in r)

    def report(self, source: bool = True) -> str:
        v = self.view
        lines = [f"== {self.prog.name}: {self.status.upper()}"]
        if v is not None:
            state = "complete" if v.complete else f"bounded by {v.bound}"
            lines.append(f"gcheck ({v.states} states, {state}, {v.seconds:.2f}s):")
            lines += [f"  line {ln}: {msg} -> {key}" for key, ln, msg in v.findings] or ["  no findings"]
            lines += [f"  error: {e}" for e in v.errors] + [f"  {n}" for n in v.internal]
        lines.append(f"runtime ({len(self.runs)} runs):")
        for o, n in sorted(self.counts.items(), key=lambda kv: str(kv[0])):
            lines.append(f"  {n:3d}x {o}")
        for o in self.missing:
            lines.append(f"  MISSING in gcheck: {o}")
        for k in self.unconfirmed:
            lines.append(f"  unconfirmed: {k}")
        if source:
            src = self.prog.source().splitlines()
            lines += [f"{i + 1:3d}  {s}" for i, s in enumerate(src)]
            lines.append(f"choices: {self.prog.choices}")
        return "\n".join(lines)


def covered(o: Obs, v: GcheckView) -> bool:
    if o.kind == "hang":
        return ("global-deadlock",) in v.keys or ("main-blocked",) in v.keys
    key = runtime_key(o)
    if key is None:
        return True
    if key in v.keys:
        return True
    if o.kind in ("panic", "post-main-panic"):
        # a panic raised while unwinding another: the runtime prints the chain
        # (first panic first), gcheck reports the crash under one of them
        return any((c,) in v.keys for c in o.chain)
    if o.kind == "goroutine-leak" and o.created is None:  # created outside the program text
        return any(k[0] == "goroutine-leak" and ln == o.line for k, ln, _ in v.findings)
    return False


_BLOCKED = ("chan send", "chan receive", "select", "sync.", "semacquire")


def judge(prog: G.GenProgram, runs: list, view: GcheckView | None) -> Verdict:
    vd = Verdict(prog, runs, view)
    if view is None:
        vd.status = "broken"
        return vd
    if view.errors:
        vd.status = "gcheck-error"
        return vd
    seen = {o for r in runs for o in r}
    for o in sorted(seen, key=str):
        if o.kind in ("clean", "alive"):
            continue
        if o.kind == "crash":
            vd.missing.append(o)
            continue
        if not covered(o, view):
            vd.missing.append(o)
    shown = {runtime_key(o) for o in seen} - {None}
    shown |= {(c,) for o in seen for c in o.chain}
    # A goroutine still blocked after main returned and the goroutines settled
    # confirms a leak at its creation site too: the profile does not flag every
    # one (a goroutine blocked in a second mu.Lock() is not in it).
    shown |= {("goroutine-leak", o.created) for o in seen
              if o.kind == "alive" and o.created is not None and o.detail.startswith(_BLOCKED)}
    hang = any(o.kind == "hang" for o in seen)
    for key in sorted(view.keys, key=str):
        if key in shown or (hang and key in (("global-deadlock",), ("main-blocked",))):
            vd.confirmed.append(key)
        elif key[0] == "goroutine-leak" and any(
                o.kind == "goroutine-leak" and o.created is None and o.line == ln
                for o in seen for k, ln, _ in view.findings if k == key):
            vd.confirmed.append(key)
        else:
            vd.unconfirmed.append(key)
    if vd.missing:
        if any(o.kind == "crash" for o in vd.missing):
            vd.status = "unexplained"
        elif view.complete:
            vd.status = "disagree"
        else:
            vd.status = "bounded-miss"
    return vd


# --------------------------------------------------------------------------
# A campaign: generate, build, run, check, judge


@dataclass
class Campaign:
    verdicts: list = field(default_factory=list)
    runs: int = 0
    seconds: dict = field(default_factory=dict)
    vet_problems: dict = field(default_factory=dict)
    broken: dict = field(default_factory=dict)

    def by_status(self, status: str) -> list:
        return [v for v in self.verdicts if v.status == status]

    def table(self) -> str:
        return agreement_table(self)


def run_campaign(programs: list, runs: int = 10, *, jobs: int = 2, vet: bool = False,
                 limits=None, settle_ms: int = 10, timeout: float = 10.0, batch: int = 500,
                 progress=None) -> Campaign:
    """Builds the programs (``batch`` per binary), runs each ``runs`` times,
    checks each with gcheck while the runs go on, and judges them."""
    camp = Campaign(runs=runs)
    t = Counter()
    for start in range(0, len(programs), batch):
        chunk = programs[start:start + batch]
        with GoWorkspace() as ws:
            for p in chunk:
                ws.add(p)
            t0 = time.monotonic()
            built = ws.build()
            t["build"] += time.monotonic() - t0
            camp.broken.update(built.broken)
            if vet:
                t0 = time.monotonic()
                camp.vet_problems.update(ws.vet([p for p in chunk if p.name in built.index]))
                t["vet"] += time.monotonic() - t0
            cfgs = run_configs(runs)
            tasks = [(p, c) for p in chunk if p.name in built.index for c in cfgs]
            t0 = time.monotonic()
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futs = [pool.submit(ws.run, built, p, c, timeout, settle_ms) for p, c in tasks]
                views = {}
                tg = time.monotonic()
                for p in chunk:
                    views[p.name] = gcheck_view(ws.gcheck_path(p), limits) if p.name in built.index else None
                t["gcheck"] += time.monotonic() - tg
                results: dict = {p.name: [] for p in chunk}
                for (p, _c), f in zip(tasks, futs):
                    results[p.name].append(f.result())
            t["run+gcheck"] += time.monotonic() - t0
            for p in chunk:
                camp.verdicts.append(judge(p, results[p.name], views[p.name]))
        if progress:
            progress(camp, start + len(chunk))
    camp.seconds = dict(t)
    return camp


def seeded_programs(n: int, seed0: int = 0) -> list:
    return [G.from_seed(seed0 + i, f"seed{seed0 + i}") for i in range(n)]


# --------------------------------------------------------------------------
# The agreement table


def agreement_table(camp: Campaign) -> str:
    vs = camp.verdicts
    judged = [v for v in vs if v.view is not None and not v.view.errors]
    status = Counter(v.status for v in vs)
    total_runs = sum(len(v.runs) for v in vs)
    out = []
    out.append(f"programs generated     {len(vs)}")
    out.append(f"runs per program       {camp.runs}   (total runs {total_runs})")
    out.append(f"did not compile        {len(camp.broken)}")
    if camp.vet_problems:
        out.append(f"go vet complaints      {len(camp.vet_problems)}")
    complete = sum(1 for v in judged if v.view.complete)
    out.append(f"gcheck complete        {complete} / {len(judged)}   (errors {status['gcheck-error']})")
    out.append("")
    out.append(f"{'runtime outcome':<38}{'programs':>9}{'runs':>8}{'gcheck has it':>15}")
    rows: dict = {}
    for v in judged:
        per_prog: dict = {}
        for r in v.runs:
            for o in r:
                label = _label(o)
                per_prog.setdefault(label, [0, True])
                per_prog[label][0] += 1
                if o.kind not in ("clean", "alive") and o in v.missing:
                    per_prog[label][1] = False
        for label, (n, ok) in per_prog.items():
            row = rows.setdefault(label, [0, 0, 0])
            row[0] += 1
            row[1] += n
            row[2] += ok
    for label in sorted(rows, key=_order):
        p, n, ok = rows[label]
        agree = "-" if label.startswith(("clean", "alive")) else f"{ok}/{p}"
        out.append(f"{label:<38}{p:>9}{n:>8}{agree:>15}")
    out.append("")
    findings = Counter()
    confirmed = Counter()
    for v in judged:
        for k in v.view.keys:
            findings[k[0]] += 1
        for k in v.confirmed:
            confirmed[k[0]] += 1
    out.append(f"{'gcheck finding':<38}{'reported':>9}{'seen at run time':>18}{'unconfirmed':>13}")
    out.append("(a leak is seen when the profile flags it, or when its goroutine is still blocked after settling)")
    for kind in sorted(findings):
        f, c = findings[kind], confirmed[kind]
        out.append(f"{kind:<38}{f:>9}{c:>18}{f - c:>13}")
    tf, tc = sum(findings.values()), sum(confirmed.values())
    rate = (tf - tc) / tf if tf else 0.0
    out.append(f"{'all':<38}{tf:>9}{tc:>18}{tf - tc:>13}   unconfirmed rate {rate:.1%}")
    out.append("")
    clean_complete = [v for v in judged if v.view.complete and not v.view.keys]
    viol = [v for v in clean_complete if v.missing]
    out.append(f"complete and clean     {len(clean_complete)} programs, runs showing a bug: {len(viol)}")
    out.append(f"agree                  {status['agree']}")
    out.append(f"disagree               {status['disagree']}   (gcheck complete, misses a runtime outcome)")
    out.append(f"bounded miss           {status['bounded-miss']}   (gcheck bounded, misses a runtime outcome)")
    out.append(f"unexplained            {status['unexplained']}   (runtime crash/exit outside the model)")
    if camp.seconds:
        out.append("seconds                " + ", ".join(f"{k} {s:.1f}" for k, s in camp.seconds.items()))
    return "\n".join(out)


def _label(o: Obs) -> str:
    if o.kind == "panic":
        return f"panic: {o.check}"
    if o.kind == "post-main-panic":
        return f"panic after main: {o.check}"
    if o.kind == "alive":
        return "alive, not flagged (ignored)"
    return o.kind


def _order(label: str):
    order = ["clean", "global-deadlock", "panic:", "panic after", "goroutine-leak", "hang", "crash", "alive"]
    for i, p in enumerate(order):
        if label.startswith(p):
            return (i, label)
    return (99, label)


def unconfirmed_worst(camp: Campaign, n: int = 5) -> list:
    """Programs with the most unconfirmed findings (ties: most states)."""
    vs = [v for v in camp.verdicts if v.unconfirmed]
    vs.sort(key=lambda v: (-len(v.unconfirmed), -(v.view.states if v.view else 0)))
    return vs[:n]


# --------------------------------------------------------------------------
# One program at a time (hypothesis, shrinking)


def check_one(prog, runs: int = 10, *, jobs: int = 2, limits=None, timeout: float = 10.0) -> Verdict:
    """Build, run and check a single program (about a second with a warm Go cache)."""
    return run_campaign([prog], runs, jobs=jobs, limits=limits, timeout=timeout).verdicts[0]


def _signature(v: Verdict) -> set:
    return {(o.kind, o.check) for o in v.missing}


def shrink(v: Verdict, runs: int = 20, max_tries: int = 150, log=None) -> Verdict:
    """A smaller program with the same kind of disagreement (a missing runtime
    outcome of the same kind and check), by shrinking the generator's choices.
    Each try builds and runs the candidate; the smallest found is returned."""
    want = _signature(v)
    if not want or not v.prog.choices:
        return v
    best = [v]

    def still_fails(prog) -> bool:
        cand = check_one(prog, runs)
        ok = cand.status in ("disagree", "unexplained") and _signature(cand) & want
        if ok:
            best[0] = cand
            if log:
                log(f"shrunk to {len(prog.source().splitlines())} lines")
        return bool(ok)

    G.shrink_choices(v.prog.choices, still_fails, max_tries=max_tries)
    return best[0]
