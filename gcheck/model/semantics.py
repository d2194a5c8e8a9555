"""Which steps are enabled in a state, and what a step does.

Following Stateright's split: `enabled(prog, state)` lists the steps in a
fixed order (goroutines by id, their options in order, then timers by heap
position), and `step(prog, state, s)` computes the successor. A step is one
visible operation (two goroutines' for an unbuffered channel hand-off),
followed by each goroutine involved running on to its next visible op.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gcheck.goast import Pos
from gcheck.model import values as V
from gcheck.model.builtins import cancel_ctx
from gcheck.model.symbolic import negate
from gcheck.model.exec import complete, fatal, panic_in, push_call, run, start_goroutine
from gcheck.model.state import ONCE, Crash, PendingOp, State
from gcheck.model.world import Infeasible, World

TIMER = -1  # the pseudo-goroutine that fires timers


@V.cached_hash
@dataclass(frozen=True, slots=True)
class Step:
    """One transition. `gid` acts (TIMER for a timer firing); `partner` is the
    other side of an unbuffered hand-off; `case`/`pcase` the select cases used
    (-1: not a select, -2: the default case); `choice` picks among outcomes.
    Made by `make_step`, which gives equal steps one object."""

    kind: str
    gid: int
    case: int = -1
    partner: int = 0
    pcase: int = -1
    choice: int = 0
    target: int = -1  # heap id of the timer for TIMER steps
    _h: int = V.hash_slot()

    def actors(self) -> tuple:
        return (self.gid, self.partner) if self.partner else (self.gid,)


_STEPS: dict = {}  # (kind, gid, case, partner, pcase, choice, target) -> the one Step


def make_step(kind: str, gid: int, case: int = -1, partner: int = 0, pcase: int = -1,
              choice: int = 0, target: int = -1) -> Step:
    """The Step with these fields, one object for all of a process's searches: a
    search meets a few dozen distinct steps in each of thousands of states, and
    the graph's edges, the diamonds and the step memo hash and compare them."""
    key = (kind, gid, case, partner, pcase, choice, target)
    st = _STEPS.get(key)
    if st is None:
        if len(_STEPS) >= 100_000:
            _STEPS.clear()  # (goroutine ids and heap ids are bounded per search; this is a guard)
        st = _STEPS[key] = Step(kind, gid, case, partner, pcase, choice, target)
    return st


# ---------------------------------------------------------------- helpers


def _chan(heap, ch):
    return heap[ch.id] if type(ch) is V.Ref else None


def _offers(p: PendingOp):
    """The channel operations a pending op offers: (case, kind, chan, value)."""
    if p.op == "send":
        return ((-1, "send", p.args[0], p.args[1]),)
    if p.op == "recv":
        return ((-1, "recv", p.args[0], None),)
    if p.op == "select":
        return tuple((i, k, c, v) for i, (k, c, v) in enumerate(p.args[0]))
    return ()


def _solo_ready(heap, kind, ch) -> bool:
    """Can this channel op complete without a partner goroutine?"""
    c = _chan(heap, ch)
    if c is None:
        # nil: never ready; a channel from unmodelled code: may be ready at any time
        return isinstance(ch, V.Unknown)
    if kind == "send":
        return c.closed or len(c.buf) < c.cap
    return bool(c.buf) or c.closed


# ---------------------------------------------------------------- enabled


def enabled(prog, state: State) -> list[Step]:
    if state.over:
        return []
    heap = state.heap
    steps: list[Step] = []
    receivers: dict = {}  # chan id -> [(gid, case, polling)] waiting to receive on an unbuffered chan
    for g in state.gs:
        p = g.pending
        if p is None:
            continue
        for case, kind, ch, _ in _offers(p):
            if kind == "recv":
                c = _chan(heap, ch)
                if c is not None and c.cap == 0 and not c.closed:
                    receivers.setdefault(ch.id, []).append((g.gid, case, _polls(p), p.parked))
    for g in state.gs:
        p = g.pending
        if p is None:
            continue
        op = p.op
        if op in ("send", "recv", "select"):
            before = len(steps)
            for case, kind, ch, _ in _offers(p):
                if _solo_ready(heap, kind, ch):
                    steps.append(make_step(kind, g.gid, case))
                elif kind == "send":
                    c = _chan(heap, ch)
                    if c is not None and c.cap == 0:
                        for rg, rcase, rpolls, _parked in receivers.get(ch.id, ()):
                            # two selects with default never wait for each other: neither is queued
                            if rg != g.gid and not (rpolls and _polls(p)):
                                steps.append(make_step("sync", g.gid, case, rg, rcase))
            if op == "select" and p.args[1] and all(st.kind == "sync" for st in steps[before:]):
                # default runs when no case is ready by the channels' own state
                # (buffer, closed) and no partner is parked on an unbuffered one.
                # A partner that has only just arrived at its operation may not
                # have parked yet (the runtime shows it: difftest), so it does
                # not rule default out; once a sleep has passed it has parked.
                if not _parked_partner(state, g.gid, p, receivers):
                    steps.append(make_step("default", g.gid, -2))
        else:
            _enabled_sync(state, g, p, steps)
    for i, obj in enumerate(heap):
        if type(obj) is V.TimerObj and obj.armed:
            if obj.periodic and heap[obj.chan].buf:
                continue  # a ticker drops ticks while its channel is full
            steps.append(make_step("fire", TIMER, target=i))
    return steps


def _parked_partner(state: State, gid: int, p: PendingOp, receivers: dict) -> bool:
    """Is a parked goroutine ready to complete one of select p's unbuffered cases?"""
    heap = state.heap
    mine = set()
    for _, kind, ch, _ in _offers(p):
        if kind == "send" and type(ch) is V.Ref:
            if any(rg != gid and parked and not rpolls for rg, _, rpolls, parked in receivers.get(ch.id, ())):
                return True
        elif kind == "recv" and type(ch) is V.Ref:
            mine.add(ch.id)
    if not mine:
        return False
    for g in state.gs:
        q = g.pending
        if g.gid == gid or q is None or not q.parked or _polls(q):
            continue
        for _, kind, ch, _ in _offers(q):
            if kind == "send" and type(ch) is V.Ref and ch.id in mine:
                c = heap[ch.id]
                if c.cap == 0 and not c.closed:
                    return True
    return False


def _polls(p: PendingOp) -> bool:
    """A select with a default case: it never waits, so no partner can find it waiting."""
    return p.op == "select" and bool(p.args[1])


def _enabled_sync(state: State, g, p: PendingOp, steps: list) -> None:
    op = p.op
    heap = state.heap
    if op in ("lock", "trylock", "wlock", "wlock2", "rlock", "wg.wait2", "once.do", "cond.wake"):
        v = _load(state, p.args[0])
        if op == "lock" and v.locked:
            return
        if op == "wlock" and v.writer != 0:
            return
        if op == "wlock2" and v.readers != 0:
            return
        if op == "rlock" and v.writer != 0:
            return
        if op == "wg.wait2" and g.gid not in v.woken:
            return
        if op == "once.do" and v.state == 1:
            return
        if op == "cond.wake":
            cond = heap[p.args[0].id]
            if g.gid not in cond.signalled or not _lock_free(_load(state, cond.lock)):
                return
    elif op == "cut":
        return
    elif op == "return" and any(x.pending is not None and x.pending.op == "die" for x in state.gs):
        return  # main's exit waits for a goroutine that is dying of a panic (runtime.main)
    if op == "choice":
        steps.append(make_step(op, g.gid, choice=1))
        steps.append(make_step(op, g.gid, choice=0))
    elif op == "concretize":
        for i in range(len(p.args[1])):
            steps.append(make_step(op, g.gid, choice=i))
    else:
        steps.append(make_step(op, g.gid))


def _load(state: State, ptr):
    v = state.heap[ptr.id]
    if type(ptr) is V.Ptr:
        for s in ptr.path:
            v = v.get(s) if type(v) is V.StructV else v.vals[s]
    return v


# ---------------------------------------------------------------- step


def step(prog, state: State, s: Step, notes: dict, limits=None, solver=None) -> tuple[State, list[str], bool]:
    """The successor of state under s (None: infeasible), what happened (for the
    trace), and whether canonicalising it moved or dropped heap objects."""
    w = World(prog, state, notes, limits, solver)
    if s.gid == TIMER:
        _fire(w, s.target)
    else:
        p = w.gs[s.gid].pending
        try:
            _apply(w, s, p)
        except Infeasible:
            return None, w.events, True
    run_spawned(w)
    return w.freeze(), w.events, w.renumbered


def run_spawned(w: World) -> None:
    """Run goroutines created during this step up to their first visible op."""
    while w.spawned:
        gid = w.spawned.pop(0)
        g = w.gs.get(gid)
        if g is not None and g.pending is None and g.frames:
            run(w, gid)


def _apply(w: World, s: Step, p: PendingOp) -> None:
    gid = s.gid
    kind = s.kind
    if kind in ("send", "recv", "sync"):
        ch = p.args[0] if s.case < 0 else p.args[0][s.case][1]
        if kind == "sync":
            _handoff(w, s, p, ch)
        elif kind == "send":
            _send(w, gid, s.case, ch, p.args[1] if s.case < 0 else p.args[0][s.case][2])
        else:
            _recv(w, gid, s.case, ch)
        return
    if kind == "default":
        complete(w, gid, case=None)
        return
    handler = _SYNC[kind]
    handler(w, gid, p, s)


def _resume(w, gid, case, results):
    if case >= 0:
        complete(w, gid, results, case=case)
    else:
        complete(w, gid, results)


def _send(w: World, gid, case, ch, value):
    if type(ch) is not V.Ref:
        _unknown_chan(w, gid)
        _resume(w, gid, case, ())
        return
    c = w.heap[ch.id]
    if c.closed:
        panic_in(w, gid, "send-on-closed", "send on closed channel")
        return
    w.heap[ch.id] = V.ChanObj(c.cap, c.buf + (value,), c.closed, c.zero, c.timer)
    _resume(w, gid, case, ())


def _unknown_chan(w: World, gid) -> None:
    w.note(w.gs[gid].pending.pos, "operation on a channel from unmodelled code: assumed ready")


def _recv(w: World, gid, case, ch):
    if type(ch) is not V.Ref:
        _unknown_chan(w, gid)
        _resume(w, gid, case, (V.UNKNOWN, V.UNKNOWN))
        return
    c = w.heap[ch.id]
    if c.buf:
        v, ok = c.buf[0], True
        w.heap[ch.id] = V.ChanObj(c.cap, c.buf[1:], c.closed, c.zero, c.timer)
    else:
        v, ok = c.zero, False
    _resume(w, gid, case, (v, ok))


def _handoff(w: World, s: Step, p: PendingOp, ch):
    value = p.args[1] if s.case < 0 else p.args[0][s.case][2]
    w.events.append(f"hands {_short(value)} to goroutine {s.partner}")
    _resume(w, s.gid, s.case, ())
    _resume(w, s.partner, s.pcase, (value, True))


def _short(v) -> str:
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return '"' + v[:20] + '"'
    return "a value"


# ---------------------------------------------------------------- sync ops


def _close(w, gid, p, s):
    ch = p.args[0]
    if ch is None:
        panic_in(w, gid, "close-of-nil", "close of nil channel")
        return
    if type(ch) is not V.Ref:
        complete(w, gid)
        return
    c = w.heap[ch.id]
    if c.closed:
        panic_in(w, gid, "close-of-closed", "close of closed channel")
        return
    w.heap[ch.id] = V.ChanObj(c.cap, c.buf, True, c.zero, c.timer)
    complete(w, gid)


def _lock(w, gid, p, s):
    w.store(p.args[0], V.MutexV(True, gid))
    complete(w, gid)


def _trylock(w, gid, p, s):
    m = w.load(p.args[0])
    if m.locked:
        complete(w, gid, (False,))
    else:
        w.store(p.args[0], V.MutexV(True, gid))
        complete(w, gid, (True,))


def _unlock(w, gid, p, s):
    m = w.load(p.args[0])
    if not m.locked:
        fatal(w, gid, "unlock-of-unlocked", "fatal error: sync: unlock of unlocked mutex")
        return
    w.store(p.args[0], V.MutexV(False))
    complete(w, gid)


def _wlock(w, gid, p, s):
    m = w.load(p.args[0])
    w.store(p.args[0], V.RWMutexV(m.readers, 1))
    g = w.gs[gid]
    # The writer has announced itself; it now waits for the readers to leave.
    w.put(_with_pending(g, PendingOp("wlock2", p.args, p.pos, p.resume, p.text)))


def _wlock2(w, gid, p, s):
    m = w.load(p.args[0])
    w.store(p.args[0], V.RWMutexV(m.readers, 2, gid))
    complete(w, gid)


def _wunlock(w, gid, p, s):
    m = w.load(p.args[0])
    if m.writer != 2:
        fatal(w, gid, "unlock-of-unlocked", "fatal error: sync: Unlock of unlocked RWMutex")
        return
    w.store(p.args[0], V.RWMutexV(m.readers, 0))
    complete(w, gid)


def _rlock(w, gid, p, s):
    m = w.load(p.args[0])
    w.store(p.args[0], V.RWMutexV(m.readers + 1, m.writer, m.holder))
    complete(w, gid)


def _runlock(w, gid, p, s):
    m = w.load(p.args[0])
    if m.readers <= 0:
        fatal(w, gid, "unlock-of-unlocked", "fatal error: sync: RUnlock of unlocked RWMutex")
        return
    w.store(p.args[0], V.RWMutexV(m.readers - 1, m.writer, m.holder))
    complete(w, gid)


def _wg_add(w, gid, p, s):
    wg = w.load(p.args[0])
    delta = p.args[1]
    if isinstance(delta, V.Unknown):
        w.note(p.pos, "WaitGroup.Add with an unknown delta: treated as 1")
        delta = 1
    n = wg.count + delta
    if n < 0:
        # Go stores the negative counter before it panics: a woken Wait sees it
        w.store(p.args[0], V.WaitGroupV(n, wg.waiters, wg.woken))
        panic_in(w, gid, "negative-waitgroup", "sync: negative WaitGroup counter")
        return
    if n == 0 and wg.waiters:  # the counter reaches zero: release the waiters
        w.store(p.args[0], V.WaitGroupV(0, (), wg.woken + wg.waiters))
    else:
        w.store(p.args[0], V.WaitGroupV(n, wg.waiters, wg.woken))
    complete(w, gid)


def _wg_wait(w, gid, p, s):
    wg = w.load(p.args[0])
    if wg.count == 0:
        complete(w, gid)
        return
    # the counter is not zero: park until an Add brings it to zero (wg.wait2)
    w.store(p.args[0], V.WaitGroupV(wg.count, wg.waiters + (gid,), wg.woken))
    w.put(_with_pending(w.gs[gid], PendingOp("wg.wait2", p.args, p.pos, p.resume, p.text)))


def _wg_wait2(w, gid, p, s):
    wg = w.load(p.args[0])
    w.store(p.args[0], V.WaitGroupV(wg.count, wg.waiters, tuple(x for x in wg.woken if x != gid)))
    if wg.count != 0:  # an Add came between the release and this return (difftest)
        panic_in(w, gid, "waitgroup-reuse", "sync: WaitGroup is reused before previous Wait has returned")
        return
    complete(w, gid)


def _wg_go(w, gid, p, s):
    wg = w.load(p.args[0])
    w.store(p.args[0], V.WaitGroupV(wg.count + 1, wg.waiters, wg.woken))
    start_goroutine(w, p.args[1], (), p.pos, "sync.(*WaitGroup).Go.func1",
                    defer=(V.BuiltinFunc("WaitGroup.Done", (p.args[0],)), (), p.pos, False))
    complete(w, gid)


def _once_do(w, gid, p, s):
    once = w.load(p.args[0])
    if once.state == 2:
        complete(w, gid)
        return
    w.store(p.args[0], V.OnceV(1))
    g = w.gs[gid]
    w.put(_with_pending(g, None))
    push_call(w, gid, p.args[1], (), ONCE, extra=p.args[0])


def _call(w, gid, p, s):
    g = w.gs[gid]
    w.put(_with_pending(g, None))
    push_call(w, gid, p.args[0], p.args[1], ONCE, extra=None)


# A Cond's L is a *Mutex or a *RWMutex (its write lock).


def _lock_held(m) -> bool:
    return m.writer == 2 if type(m) is V.RWMutexV else m.locked


def _lock_free(m) -> bool:
    return (m.writer, m.readers) == (0, 0) if type(m) is V.RWMutexV else not m.locked


def _lock_set(m, held: bool, gid: int = 0):
    if type(m) is V.RWMutexV:
        return V.RWMutexV(m.readers, 2 if held else 0, gid if held else 0)
    return V.MutexV(held, gid if held else 0)


def _cond_wait(w, gid, p, s):
    cref = p.args[0]
    cond = w.heap[cref.id]
    m = w.load(cond.lock)
    if not _lock_held(m):
        fatal(w, gid, "unlock-of-unlocked", "fatal error: sync: unlock of unlocked mutex")
        return
    w.store(cond.lock, _lock_set(m, False))
    w.heap[cref.id] = V.CondObj(cond.lock, cond.waiters + (gid,), cond.signalled)
    g = w.gs[gid]
    w.put(_with_pending(g, PendingOp("cond.wake", p.args, p.pos, p.resume, p.text)))


def _cond_wake(w, gid, p, s):
    cref = p.args[0]
    cond = w.heap[cref.id]
    w.heap[cref.id] = V.CondObj(cond.lock, cond.waiters, tuple(x for x in cond.signalled if x != gid))
    w.store(cond.lock, _lock_set(w.load(cond.lock), True, gid))
    complete(w, gid)


def _cond_signal(w, gid, p, s):
    cref = p.args[0]
    cond = w.heap[cref.id]
    n = len(cond.waiters) if p.op == "cond.broadcast" else min(1, len(cond.waiters))
    w.heap[cref.id] = V.CondObj(cond.lock, cond.waiters[n:], cond.signalled + cond.waiters[:n])
    complete(w, gid)


def _sleep(w, gid, p, s):
    complete(w, gid)


def _slept(w, gid, p, s):
    """time.Sleep returns: time has passed, so every goroutine waiting at a
    channel operation has parked by now (a select with default sees it)."""
    for other in list(w.gs.values()):
        q = other.pending
        if other.gid != gid and q is not None and q.op in ("send", "recv", "select") and not q.parked:
            w.put(replace(other, pending=replace(q, parked=True)))
    complete(w, gid)


def _choice(w, gid, p, s):
    if len(p.args) > 1:  # a branch on a symbolic condition: remember which side
        term = p.args[1]
        side = term if s.choice else negate(term)
        # other goroutines may have narrowed the path condition since this
        # branch was reached: a side that is no longer possible is no step
        if not w.feasible(side):
            raise Infeasible
        w.assume(side)
    complete(w, gid, (bool(s.choice),))


def _concretize(w, gid, p, s):
    term, values = p.args
    w.assume(("==", term, values[s.choice]))
    complete(w, gid)


def _cancel(w, gid, p, s):
    cancel_ctx(w, p.args[0].id, "canceled")
    complete(w, gid)


def _timer_stop(w, gid, p, s):
    t = w.heap[p.args[0].id]
    was = t.armed
    periodic = t.periodic
    w.heap[p.args[0].id] = V.TimerObj(t.chan, p.op == "timer.reset", periodic, t.func, t.pos)
    if w.go_version >= (1, 23):
        # Go 1.23: Stop and Reset guarantee no stale value is received afterwards,
        # and a fired value not yet received counts as still pending (true).
        c = w.heap[t.chan]
        was = was or bool(c.buf)
        w.heap[t.chan] = V.ChanObj(c.cap, (), c.closed, c.zero, c.timer)
    complete(w, gid, (was,))


def _shared(w, gid, p, s):
    from gcheck.model.builtins import SHARED_OPS

    cell, name, bound, args = p.args
    complete(w, gid, SHARED_OPS[name](w, None, bound, args, p.pos, p.resume))


def _observe(w, gid, p, s):
    w.observing.add(p.args[0].id)
    complete(w, gid)


def _die(w, gid, p, s):
    g = w.gs.pop(gid)
    check, message, pos, _ = g.panic
    w.crash = Crash(check, message, pos, gid)


def _exit(w, gid, p, s):
    w.exited = True


def _fire(w: World, tid: int):
    t = w.heap[tid]
    w.heap[tid] = V.TimerObj(t.chan, t.periodic, t.periodic, t.func, t.pos)
    f = t.func
    if f is None or (type(f) is V.BuiltinFunc and f.name in ("tick.keep", "tick.gc")):
        c = w.heap[t.chan]
        if not c.buf:
            w.heap[t.chan] = V.ChanObj(c.cap, (V.Opaque("time.Time"),), c.closed, c.zero, c.timer)
        w.events.append("timer fires")
    elif type(f) is V.BuiltinFunc and f.name == "ctx.deadline":
        w.events.append("context deadline passes")
        cancel_ctx(w, f.bound[0].id, "deadline exceeded")
    elif type(f) is V.BuiltinFunc and f.name == "ctx.parent":
        w.events.append("the parent context is cancelled")
        cancel_ctx(w, f.bound[0].id, "canceled")
    else:
        w.events.append("time.AfterFunc timer fires")
        start_goroutine(w, f, (), t.pos, "time.goFunc")


def _with_pending(g, p):
    return replace(g, pending=p)


_SYNC = {
    "close": _close,
    "lock": _lock,
    "trylock": _trylock,
    "unlock": _unlock,
    "wlock": _wlock,
    "wlock2": _wlock2,
    "wunlock": _wunlock,
    "rlock": _rlock,
    "runlock": _runlock,
    "wg.add": _wg_add,
    "wg.wait": _wg_wait,
    "wg.wait2": _wg_wait2,
    "wg.go": _wg_go,
    "once.do": _once_do,
    "call": _call,
    "cond.wait": _cond_wait,
    "cond.wake": _cond_wake,
    "cond.signal": _cond_signal,
    "cond.broadcast": _cond_signal,
    "sleep": _slept,
    "yield": _sleep,
    "return": _sleep,  # main returns (exec._finish): the process ends
    "choice": _choice,
    "concretize": _concretize,
    "cancel": _cancel,
    "timer.stop": _timer_stop,
    "timer.reset": _timer_stop,
    "exit": _exit,
    "die": _die,
    "shared": _shared,
    "observe": _observe,
}

# Goroutine status in the runtime's words, for dumps.
STATUS = {
    "send": "chan send",
    "recv": "chan receive",
    "select": "select",
    "lock": "sync.Mutex.Lock",
    "wlock": "sync.RWMutex.Lock",
    "wlock2": "sync.RWMutex.Lock",
    "rlock": "sync.RWMutex.RLock",
    "wg.wait": "sync.WaitGroup.Wait",
    "wg.wait2": "sync.WaitGroup.Wait",
    "once.do": "sync.Mutex.Lock",
    "cond.wake": "sync.Cond.Wait",
    "sleep": "sleep",
}


def holder_of(state: State, g) -> int:
    """For a goroutine waiting to lock: the goroutine holding that lock (0: unknown)."""
    p = g.pending
    if p is None or p.op not in ("lock", "wlock", "wlock2", "rlock", "cond.wake"):
        return 0
    try:
        ptr = state.heap[p.args[0].id].lock if p.op == "cond.wake" else p.args[0]
        m = _load(state, ptr)
    except (AttributeError, IndexError, KeyError, TypeError):
        return 0
    return getattr(m, "holder", 0)


def status(state: State, g) -> str:
    p = g.pending
    if p is None:
        return "running"
    s = STATUS.get(p.op, "runnable")
    if p.op in ("send", "recv") and p.args[0] is None:
        s += " (nil chan)"
    if p.op == "select" and not p.args[0] and not p.args[1]:
        s = "select (no cases)"
    return s


def pos_of(g) -> Pos | None:
    return g.pending.pos if g.pending is not None else None
