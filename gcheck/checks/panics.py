"""Runtime panics and fatal errors reached on some interleaving.

send-on-closed, close-of-closed, close-of-nil, negative-waitgroup and
unlock-of-unlocked have their own ids; other runtime panics (nil map write,
index out of range, an explicit panic) are reported as runtime-panic.
"""

from __future__ import annotations

from gcheck import ir
from gcheck.solver.search import Graph
from gcheck.solver.trace import FirstOnly, finding

OWN_IDS = {"send-on-closed", "close-of-closed", "close-of-nil", "negative-waitgroup",
           "unlock-of-unlocked"}

DOC = {
    "send-on-closed": "a send on a closed channel: the program panics",
    "close-of-closed": "closing a channel that is already closed: the program panics",
    "close-of-nil": "closing a nil channel: the program panics",
    "negative-waitgroup": "WaitGroup counter below zero (Done called more often than Add): panic",
    "unlock-of-unlocked": "Unlock of a mutex that is not locked: a fatal error, not recoverable",
    "runtime-panic": "another runtime panic (nil map write, index out of range, explicit panic)",
}


def check(prog: ir.Program, g: Graph, entry: str, is_main: bool) -> list:
    out = []
    once = FirstOnly()
    for i, s in enumerate(g.states):
        c = s.crash
        if c is None:
            continue
        if is_main and i > 0 and g.states[g.parent[i]].entry_done:
            continue  # main had already returned: the process was gone before this could happen
        check_id = c.check if c.check in OWN_IDS else "runtime-panic"
        if not once.first(check_id, c.pos):
            continue
        msg = c.message if c.message.startswith(("fatal error", "panic")) else f"panic: {c.message}"
        out.append(finding(prog, g, i, check_id, c.pos, f"{msg} (goroutine {c.gid})", entry, {c.gid}))
    return out
