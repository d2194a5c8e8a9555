"""ticker-not-stopped: a running time.Ticker that becomes unreachable.

Found on the explored paths: canonicalisation notices when the last
reference to a ticker that was never stopped disappears (its function
returned, its goroutine ended, the variable was overwritten), so a Stop
skipped by an early `return err` is reported with exactly that path. Before
Go 1.23 such a ticker is never collected and keeps firing (an error); from
1.23 on the runtime collects it once unreferenced (a warning: it still fires
until then, and the missing Stop is usually a bug). When `main` itself
returns, the process ends: tickers it drops then are not reported.
"""

from __future__ import annotations

from gcheck import ir
from gcheck.solver.search import Graph
from gcheck.solver.trace import FirstOnly, finding

DOC = {
    "ticker-not-stopped": "a time.Ticker that becomes unreachable while still running (no Stop)",
}


def check(prog: ir.Program, g: Graph, entry: str, is_main: bool) -> list:
    out = []
    once = FirstOnly()
    old = prog.go_version < (1, 23)
    for i, s in enumerate(g.states):
        if not s.lost_tickers:
            continue
        if is_main and s.entry_done and (i == 0 or not g.states[g.parent[i]].entry_done):
            continue  # main returned: the process exits and takes its tickers along
        for pos in s.lost_tickers:
            if not once.first("ticker-not-stopped", pos):
                continue
            if old:
                msg = ("ticker is never stopped: it becomes unreachable while running and, before "
                       "Go 1.23, is never collected and keeps firing forever; call Stop (defer t.Stop())")
            else:
                msg = ("ticker is never stopped: it becomes unreachable while running; Go 1.23+ "
                       "collects it, but call Stop (defer t.Stop()) to release it promptly")
            f = finding(prog, g, i, "ticker-not-stopped", pos, msg, entry, stuck=set())
            f.severity = "error" if old else "warning"
            out.append(f)
    return out
