"""ticker-not-stopped for time.Tick: a ticker nobody can ever Stop.

time.Tick returns only the channel, so its ticker can never be stopped.
That is fine in code that lives as long as the program (main, a package
variable); anywhere else, and above all inside a loop, each call starts
another ticker that runs forever — before Go 1.23 none is ever collected
(an error); from 1.23 an unreferenced one is (a warning: still a ticker per
call until the collector gets to it).
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck.diagnostics import Finding
from gcheck.lower.escape import children

CHECK = "ticker-not-stopped"


def _is_time_tick(call: A.CallExpr, time_names: set) -> bool:
    f = call.fun
    return (type(f) is A.SelectorExpr and type(f.x) is A.Ident and f.x.name in time_names
            and f.sel.name == "Tick")


def _time_names(file: A.File) -> set:
    out = set()
    for imp in file.imports:
        if imp.path.value.strip('"`') == "time":
            out.add(imp.name.name if imp.name is not None else "time")
    return out


def check(files, ctx) -> list:
    findings = []
    old = ctx.go_version < (1, 23)
    for file in files:
        names = _time_names(file)
        if not names:
            continue
        for d in file.decls:
            if type(d) is not A.FuncDecl or d.body is None:
                continue
            main_lifetime = d.recv is None and d.name.name in ("main", "init") and ctx.package == "main"
            for call, in_loop in _tick_calls(d.body, names):
                if main_lifetime and not in_loop:
                    continue
                where = "inside a loop: every iteration starts another ticker" if in_loop else \
                    f"in {d.name.name}, which does not live as long as the program"
                consequence = ("it is never stopped and, before Go 1.23, never collected: it keeps firing "
                               "forever" if old else
                               "it can never be stopped (Go 1.23+ collects it once unreferenced)")
                findings.append(Finding(
                    CHECK, "error" if old else "warning", call.pos,
                    f"time.Tick {where}; {consequence}; use time.NewTicker and defer t.Stop()", ""))
    return findings


def _tick_calls(body, names):
    """(call, inside a loop) for every time.Tick call in a function body,
    including func literals (whose loops count from their own body)."""
    stack = [(body, False)]
    while stack:
        n, in_loop = stack.pop()
        t = type(n)
        if t is A.CallExpr and _is_time_tick(n, names):
            yield n, in_loop
        if t is A.FuncLit:
            stack.append((n.body, False))
            continue
        if t is A.ForStmt:
            for part in (n.init,):
                if part is not None:
                    stack.append((part, in_loop))
            for part in (n.cond, n.post, n.body):
                if part is not None:
                    stack.append((part, True))
            continue
        if t is A.RangeStmt:
            stack.append((n.x, in_loop))  # evaluated once
            stack.append((n.body, True))
            continue
        for ch in children(n):
            stack.append((ch, in_loop))
