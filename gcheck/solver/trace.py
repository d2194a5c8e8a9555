"""Counterexample traces: the path from the start to a state, step by step,
and a Go-style dump of the goroutines there."""

from __future__ import annotations

from dataclasses import replace

from gcheck import ir
from gcheck.diagnostics import Finding, FrameDump, GoroutineDump, Trace, TraceStep
from gcheck.model import semantics as M
from gcheck.model.state import State
from gcheck.solver.search import Graph


def path_to(g: Graph, i: int) -> list[int]:
    path = []
    while i >= 0:
        path.append(i)
        i = g.parent[i]
    return path[::-1]


def describe(prog: ir.Program, src: State, st: M.Step, events: list) -> tuple[int, object, str]:
    """(goroutine, position, text) for one step taken from state src."""
    if st.gid == M.TIMER:
        timer = src.heap[st.target]
        return -1, timer.pos, "; ".join(events) or "timer fires"
    gor = src.goroutine(st.gid)
    p = gor.pending
    text = _op_text(prog, gor, st, src)
    extra = [e for e in events if not e.startswith("hands")]
    if extra:
        text += " (" + "; ".join(extra) + ")"
    return st.gid, p.pos, text


def _op_text(prog, gor, st: M.Step, src: State) -> str:
    p = gor.pending
    op = p.op
    if st.kind == "sync":
        case = _case_text(prog, gor, st.case)
        partner = src.goroutine(st.partner)
        pcase = _case_text(prog, partner, st.pcase)
        return f"{case}: received by goroutine {st.partner} ({pcase}, line {partner.pending.pos.line})"
    if op == "select":
        if st.kind == "default":
            return "select: no case is ready, takes default"
        return f"select: {_case_text(prog, gor, st.case)}"
    if op == "send":
        return f"{p.text or 'send'}" + (" (panics: channel is closed)" if st.kind == "send" and _closed(src, p.args[0]) else "")
    if op == "recv":
        if _closed(src, p.args[0]) and not src.heap[p.args[0].id].buf:
            return f"{p.text or 'receive'} (channel closed: zero value)"
        return p.text or "receive"
    if op == "choice":
        how = "symbolic" if len(p.args) > 1 else "unknown value"
        return f"if {p.text}: {'true' if st.choice else 'false'} ({how})" if p.text else \
            f"branch {'taken' if st.choice else 'not taken'} ({how})"
    if op == "concretize":
        return f"with {p.text} = {p.args[1][st.choice]}"
    if op == "wg.wait":
        n = getattr(M._load(src, p.args[0]), "count", 0)
        if n:
            return f"{p.text or 'WaitGroup.Wait()'} (counter is {n}: waits)"
    names = {
        "close": "close", "lock": "Lock()", "unlock": "Unlock()", "wlock": "Lock() (writer announced)",
        "wlock2": "Lock() acquired", "wunlock": "Unlock()", "rlock": "RLock()", "runlock": "RUnlock()",
        "wg.add": "WaitGroup.Add", "wg.wait": "WaitGroup.Wait() returns",
        "wg.wait2": "WaitGroup.Wait() returns", "once.do": "Once.Do",
        "cond.wait": "Cond.Wait() (releases the lock)", "cond.wake": "Cond.Wait() wakes",
        "cond.signal": "Cond.Signal()", "cond.broadcast": "Cond.Broadcast()", "sleep": "time.Sleep",
        "yield": "keeps running", "cancel": "context cancel()", "timer.stop": "timer Stop()",
        "timer.reset": "timer Reset()", "exit": "os.Exit", "observe": "len(ch)", "shared": "atomic operation", "call": "t.Run", "wg.go": "WaitGroup.Go",
        "trylock": "TryLock()",
    }
    base = names.get(op, op)
    if op == "wg.add" and p.text == "Done":
        p = replace(p, text="")
        base = "WaitGroup.Done()"
    if p.text:
        suffix = {"wlock": " (writer announced, waits for readers)", "wlock2": " acquired",
                  "wg.wait": " returns", "wg.wait2": " returns", "cond.wait": " (releases the lock)", "cond.wake": " wakes"}
        return p.text + suffix.get(op, "")
    return base


def _closed(src, ch) -> bool:
    return ch is not None and hasattr(ch, "id") and src.heap[ch.id].closed


def _case_text(prog, gor, case: int) -> str:
    """The Go text of the operation (or select case) a goroutine waits at."""
    p = gor.pending
    if p.op == "select" and case >= 0 and gor.frames:
        f = gor.frames[-1]
        ins = prog.functions[f.fn].code[f.pc]
        if isinstance(ins, ir.Select) and case < len(ins.cases):
            return f"case {ins.cases[case].text}"
    return p.text or p.op


def dump(prog: ir.Program, s: State, only=None) -> list[GoroutineDump]:
    out = []
    for g in s.gs:
        if only is not None and g.gid not in only:
            continue
        frames = []
        for k in range(len(g.frames) - 1, -1, -1):
            f = g.frames[k]
            fn = prog.functions[f.fn]
            if fn.synthetic:
                continue
            if k == len(g.frames) - 1 and g.pending is not None:
                pos = g.pending.pos
            elif f.pc < len(fn.code):
                pos = fn.code[f.pc].pos
            else:
                pos = fn.end
            frames.append(FrameDump(fn.name, pos))
        out.append(GoroutineDump(g.gid, M.status(s, g), tuple(frames),
                                 g.creator or None, g.created, M.holder_of(s, g)))
    return out


class FirstOnly:
    """One finding per check, position and leak origin, as api._check_entries keeps
    them (the first): a check asks before it makes a finding, so that no trace or
    z3 witness is made for a repeat (bufio's own tests reached one panic in
    thousands of states: 118 s of witnesses)."""

    def __init__(self):
        self.seen: set = set()

    def first(self, check: str, pos, origin=None) -> bool:
        key = (check, pos, origin)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def finding(prog: ir.Program, g: Graph, i: int, check: str, pos, message: str, entry: str,
            stuck=None) -> Finding:
    """A finding at state i: its shortest trace, and the input values (z3's
    model of the path condition) under which it happens."""
    s = g.states[i]
    cond = s.pc + s.trail
    witness = _readable(g.solver.witness(cond)) if (g.solver is not None and cond) else {}
    return Finding(check, "error", pos, message, entry, trace_to(prog, g, i, stuck), witness)


def _readable(witness: dict) -> dict:
    """Witness names as a user reads them: `strconv.Atoi@12` for the result of
    the call at line 12 (`#k`/`~n` are gcheck's bookkeeping; repeats are numbered)."""
    out: dict = {}
    for name, value in witness.items():
        base = name.split("#")[0].split("~")[0]
        key, n = base, 1
        while key in out:
            n += 1
            key = f"{base} ({n})"
        out[key] = value
    return out


def trace_to(prog: ir.Program, g: Graph, i: int, stuck=None) -> Trace:
    steps = []
    path = path_to(g, i)
    for n, j in enumerate(path[1:], start=1):
        src = g.states[g.parent[j]]
        gid, pos, text = describe(prog, src, g.via[j], g.events[j])
        steps.append(TraceStep(n, gid, pos, text))
    return Trace(steps, dump(prog, g.states[i], stuck))
