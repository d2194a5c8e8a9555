"""global-deadlock and goroutine-leak, decided on the bottom SCCs of the graph.

In a bottom SCC, a live goroutine either takes steps forever or never takes
one again. One that never steps is blocked forever; once the entry has
returned that is a leak (a partial deadlock). One that steps forever never
terminates: a leak for a test (it outlives the test, as goleak reports), but
not for main (process exit reaps it; servers loop by design). A terminal
state where the entry itself is blocked and no timer can fire is what the
runtime calls "all goroutines are asleep".
"""

from __future__ import annotations

from gcheck import ir
from gcheck.diagnostics import Finding
from gcheck.model import semantics as M
from gcheck.model import values as V
from gcheck.solver.scc import bottom_sccs, goroutine_fates
from gcheck.solver.search import Graph
from gcheck.solver.trace import FirstOnly, finding

DOC = {
    "global-deadlock": "every goroutine is blocked: the runtime kills the program with "
                       "'all goroutines are asleep - deadlock!'",
    "goroutine-leak": "a goroutine that is blocked forever (or never terminates) after the "
                      "entry function has returned",
}


def _armed_timers(state) -> bool:
    return any(type(o) is V.TimerObj and o.armed for o in state.heap)


def check(prog: ir.Program, g: Graph, entry: str, is_main: bool) -> list[Finding]:
    findings: list[Finding] = []
    once = FirstOnly()

    def add(rep: int, check_id: str, pos, msg: str, stuck: set, origin=None) -> None:
        if not once.first(check_id, pos, origin):
            return
        f = _finding(prog, g, rep, check_id, pos, msg, entry, stuck)
        f.origin = origin
        findings.append(f)

    for comp in bottom_sccs(g):
        rep = comp[0]  # lowest BFS index: the shortest trace into this component
        s = g.states[rep]
        if s.over:
            continue
        if any(gr.pending is not None and gr.pending.op == "cut" for v in comp for gr in g.states[v].gs):
            continue  # a bound stopped a goroutine here: what happens next is unexplored
        stepping, ending = goroutine_fates(g, comp, rep)
        live = [gr for gr in s.gs]
        stuck = [gr for gr in live if gr.gid not in stepping]
        entry_alive = not s.entry_done
        terminal = len(comp) == 1 and not g.succ[rep]
        # A ticker nobody waits on keeps the runtime awake before Go 1.23; from 1.23
        # on a timer channel without waiters is not in the timer heap at all.
        timers_awake = prog.go_version < (1, 23) and _armed_timers(s)
        if entry_alive and terminal and not timers_awake and all(gr.pending for gr in live):
            e = s.goroutine(1)
            if e is not None:
                add(rep, "global-deadlock", e.pending.pos,
                    f"all goroutines are asleep: {_who(e)} is blocked in {M.status(s, e)} forever "
                    "(global deadlock)", {gr.gid for gr in live})
                continue
        for gr in stuck:
            if gr.pending is None or gr.pending.op == "cut":
                continue
            if gr.gid == 1 and entry_alive:
                if is_main and gr.pending.op == "select" and gr.pending.args == ((), False):
                    continue  # main parked on `select {}` while other goroutines run: a server
                msg = (f"{entry} never returns: it is blocked in {M.status(s, gr)} forever")
            else:
                msg = (f"goroutine {gr.gid} ({_who(gr)}) is blocked in {M.status(s, gr)} forever"
                       f"{' after ' + entry + ' returned' if not entry_alive else ''}: goroutine leak")
            add(rep, "goroutine-leak", gr.pending.pos, msg, {x.gid for x in stuck}, gr.created)
        if not is_main:
            for gr in live:
                if gr.gid in stepping and gr.gid not in ending and gr.gid != M.TIMER:
                    if gr.gid == 1 and entry_alive:
                        pos = gr.pending.pos if gr.pending else g.states[rep].gs[0].created
                        msg = f"{entry} never returns: it runs forever without finishing"
                    else:
                        pos = gr.created
                        after = f"after {entry} returns" if not entry_alive else f"while {entry} never returns"
                        msg = (f"goroutine {gr.gid} ({_who(gr)}) never terminates: it keeps running "
                               f"{after} (goroutine leak)")
                    if pos is not None:
                        add(rep, "goroutine-leak", pos, msg, {gr.gid})
    return findings


def _who(gr) -> str:
    return gr.name


_finding = finding
