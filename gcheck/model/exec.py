"""Runs one goroutine's local instructions until it reaches a visible operation.

This is where a goroutine's purely local work (assignments, calls of the
program's own functions, defers, panics and recover) happens in one go; it
stops at the next visible operation, recording it as the goroutine's
`pending` op, or when the goroutine ends. Compiled expressions receive the
running MFrame as their context: `c.s` slots, `c.caps` captured cells, `c.w`
the World.
"""

from __future__ import annotations

from dataclasses import replace

from gcheck import ir
from gcheck.model import symbolic as S
from gcheck.model import values as V
from gcheck.model.canon import same_refs
from gcheck.model.runtime import NeedConcrete, Observe
from gcheck.model.state import CALL, DEFERRED, ONCE, ROOT, Crash, Frame, Goroutine, PendingOp
from gcheck.model.world import GoPanic, World

LOCAL_BUDGET = 20000  # instructions one step may run before it yields (an endless local loop)
MAX_FRAMES = 48  # recursion bound: deeper calls cut the exploration of that path
MAX_CONDITIONS = 16  # symbolic path bound: branches on symbols a path may take
MAX_SYMBOLIC_VALUE = 4  # a symbolic capacity or count is tried with the values 0..4


class MFrame:
    """A mutable frame while its goroutine runs."""

    __slots__ = ("fn", "pc", "s", "caps", "defers", "returning", "kind", "extra", "w", "g", "orig")

    def __init__(self, fn: ir.Function, pc, slots, caps, defers, returning, kind, extra, w, g,
                 orig=None):
        self.fn = fn
        self.pc = pc
        self.s = slots
        self.caps = caps
        self.defers = defers
        self.returning = returning
        self.kind = kind
        self.extra = extra
        self.w = w
        self.g = g
        self.orig = orig  # the Frame it was thawed from

    def forget_dead(self) -> None:
        """Clear the slots nobody reads again from here (dead variable reduction)."""
        dead = self.fn.dead
        if dead is not None and not self.returning and self.pc < len(dead):
            s = self.s
            for k in dead[self.pc]:
                s[k] = None

    def freeze(self) -> Frame:
        self.forget_dead()
        slots = tuple(self.s)
        defers = tuple(self.defers)
        o = self.orig
        if o is None:
            return Frame(self.fn.index, self.pc, slots, self.caps, defers,
                         self.returning, self.kind, self.extra)
        # an unchanged frame stays the same object: its cached hash and heap
        # references (canon._refs) are reused, and states compare by identity
        # (by identity: 1 == True, yet a frame holding the one is not the same as one holding the other)
        same = (o.caps is self.caps and o.extra is self.extra and _same(o.slots, slots)
                and _same(o.defers, defers))
        if same and o.pc == self.pc and o.returning == self.returning and o.kind == self.kind:
            return o
        if same:
            f = Frame(self.fn.index, self.pc, o.slots, o.caps, o.defers, self.returning, self.kind, o.extra)
            same_refs(f, o)
            return f
        return Frame(self.fn.index, self.pc, slots, self.caps, defers,
                     self.returning, self.kind, self.extra)


class MG:
    """A mutable goroutine while it runs."""

    __slots__ = ("gid", "frames", "created", "name", "panic", "goexit", "pending", "creator", "orig")

    def __init__(self, g: Goroutine, w: World):
        self.orig = g
        self.gid = g.gid
        self.created = g.created
        self.name = g.name
        self.panic = g.panic
        self.goexit = g.goexit
        self.creator = g.creator
        self.pending = None
        fns = w.prog.functions
        self.frames = [
            MFrame(fns[f.fn], f.pc, list(f.slots), f.caps, list(f.defers), f.returning, f.kind,
                   f.extra, w, self, f)
            for f in g.frames
        ]

    def freeze(self) -> Goroutine:
        frames = tuple([f.freeze() for f in self.frames])
        o = self.orig
        if (o.pending is self.pending and _same(o.frames, frames) and o.panic is self.panic
                and o.goexit == self.goexit and o.created is self.created and o.name == self.name
                and o.creator == self.creator):
            return o
        return Goroutine(self.gid, frames, self.pending,
                         self.created, self.name, self.panic, self.goexit, self.creator)


def _same(a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x is not y:
            return False
    return True


def new_frame(w: World, g: MG, fv, args: tuple, kind: int, spread=False, extra=None) -> MFrame | None:
    """A frame for calling func value fv, or None when fv is not a program function."""
    if type(fv) is V.Closure:
        fn = w.prog.functions[fv.fn]
        caps = fv.caps
    elif type(fv) is V.BoundMethod:
        fn = w.prog.functions[fv.fn]
        caps = ()
        args = (fv.recv,) + tuple(args)
    else:
        return None
    args = tuple(args)
    if fn.variadic and not spread:
        fixed = fn.nparams - 1
        rest = args[fixed:]
        packed = V.SliceV(w.alloc(V.ArrObj(rest)), 0, len(rest), len(rest)) if rest else None
        args = args[:fixed] + (packed,)
    slots = [None] * fn.nslots
    n = min(len(args), fn.nparams)
    slots[:n] = args[:n]
    for slot, zero in fn.zero_slots:
        slots[slot] = zero
    return MFrame(fn, 0, slots, caps, [], False, kind, extra, w, g)


def start_goroutine(w: World, fv, args: tuple, pos, name: str, spread=False, defer=None,
                    creator: str = "") -> int:
    """Create a goroutine running fv(args); it runs up to its first visible op later in the step.

    `defer` is a deferred call to plant in its root frame (wg.Go's Done)."""
    gid = w.next_gid
    w.next_gid += 1
    g = Goroutine(gid, (), None, pos, name, creator=creator)
    mg = MG(g, w)
    f = new_frame(w, mg, fv, args, ROOT, spread)
    if f is None:
        # go close(ch), go wg.Wait(): a goroutine whose whole body is one builtin call.
        from gcheck.model.builtins import call_builtin

        res = call_builtin(w, mg, None, fv, args, pos, "exit")
        if isinstance(res, PendingOp):
            mg.pending = res
        else:
            return gid  # finished at once
    else:
        if defer is not None:
            f.defers.append(defer)
        mg.frames.append(f)
    w.put(mg.freeze())
    w.spawned.append(gid)
    return gid


def run(w: World, gid: int, g: MG | None = None) -> None:
    """Run goroutine gid from where it stands to its next visible op (or its end).
    `g`: the goroutine already thawed (it then need not be in w.gs up to date)."""
    if g is None:
        g = MG(w.gs[gid], w)
    else:
        for f in g.frames:  # what freezing and thawing it again would do
            f.forget_dead()
    budget = LOCAL_BUDGET
    while True:
        if w.crash is not None or w.exited:
            break
        if not g.frames:
            break
        f = g.frames[-1]
        try:
            if f.returning:
                if _unwind_step(w, g, f):
                    break
                continue
            budget -= 1
            if budget <= 0:
                g.pending = PendingOp("yield", (), f.fn.code[f.pc].pos, "stay", "keeps running")
                break
            if _exec(w, g, f, f.fn.code[f.pc]):
                break
        except NeedConcrete as nc:
            g.pending = _concretize(w, nc.term, f.fn.code[f.pc].pos)
            break
        except Observe as ob:
            g.pending = PendingOp("observe", (V.Ref(ob.chan_id),), f.fn.code[f.pc].pos, "stay", ob.what)
            break
        except GoPanic as p:
            if p.check == "model":
                w.cut = f"unsupported: {p.message}"
                pos = f.fn.code[f.pc].pos if f.pc < len(f.fn.code) else f.fn.end
                w.note(pos, f"gcheck cannot model this ({p.message}): exploration of this path stops here")
                g.pending = PendingOp("cut", (), pos, text=p.message)
                break
            _begin_panic(w, g, f, p)
    w.observing.clear()
    if not g.frames and g.pending is None:
        _finish(w, g)
    else:
        w.put(g.freeze())


def _concretize(w: World, term, pos) -> PendingOp:
    """Fork over the feasible small values of a symbol an operation needs concrete."""
    values = tuple(k for k in range(MAX_SYMBOLIC_VALUE + 1) if w.feasible(("==", term, k)))
    if w.feasible((">", term, MAX_SYMBOLIC_VALUE)):
        w.cut = f"symbolic value bound ({S.show(term)} <= {MAX_SYMBOLIC_VALUE})"
        w.note(pos, f"{S.show(term)} is explored for the values 0..{MAX_SYMBOLIC_VALUE} only")
    if not values:
        return PendingOp("cut", (), pos, text=f"no small value for {S.show(term)}")
    return PendingOp("concretize", (term, values), pos, "stay", S.show(term))


def _finish(w: World, g: MG) -> None:
    w.gs.pop(g.gid, None)
    if g.panic is not None and w.crash is None:
        if g.pending is None and _others_may_act(w):
            # dying of a panic takes a moment in which the other goroutines still
            # run (and may panic first: difftest saw a WaitGroup reuse panic win
            # over a negative counter); the death is a step of its own
            g.pending = PendingOp("die", (), g.panic[2], "exit", "the panic ends the program")
            w.put(g.freeze())
            return
        check, message, pos, _ = g.panic
        w.crash = Crash(check, message, pos, g.gid)
        return
    if g.gid == 1:
        if g.name == "main.main" and not w.exited and _others_may_act(w):
            # main's return ends the process, but not in the same instant: the
            # other goroutines may still act first (a panic racing the exit
            # crashes the program; the runtime even waits for it). So the
            # return is a step of its own (difftest).
            fn = next((f for f in w.prog.functions if f.name == "main.main" and not f.synthetic), None)
            if fn is not None:
                g.pending = PendingOp("return", (), fn.end or fn.pos, "exit", "main returns")
                w.put(g.freeze())
                return
        w.entry_done = True


# The pending ops of a goroutine whose end is a step of its own, as it is only
# while others may act (`_finish`): main's return, a death by panic.
WAITS_A_STEP = ("return", "die")


def _others_may_act(w: World) -> bool:
    if w.gs:
        return True
    return any(acts_alone(o) for o in w.heap)


def acts_alone(obj) -> bool:
    """A heap object that may act with no goroutine left: an armed timer that runs
    a function (AfterFunc, a context deadline)."""
    return type(obj) is V.TimerObj and obj.armed and obj.func is not None


def _begin_panic(w: World, g: MG, f: MFrame, p: GoPanic) -> None:
    pos = f.fn.code[f.pc].pos if not f.returning and f.pc < len(f.fn.code) else f.fn.end
    if g.panic is None:
        # the value recover() returns: panic's argument, or a runtime error
        value = p.value if p.check == "panic" else V.NamedV("error", "runtime error: " + p.message)
        g.panic = (p.check, p.message, pos, value)
        w.events.append(f"panic: {p.message}")
    f.returning = True


def _exec(w: World, g: MG, f: MFrame, ins) -> bool:
    """Execute one instruction; True when the goroutine stops (pending or gone)."""
    t = type(ins)
    if t is ir.Exec:
        ins.fn(f)
        f.pc += 1
    elif t is ir.Branch:
        c = ins.cond(f)
        if c is True:
            f.pc += 1
        elif c is False:
            f.pc = ins.target
        elif type(c) is S.Sym:
            return _symbolic_branch(w, g, f, ins, c.t)
        else:
            g.pending = PendingOp("choice", (ins.target,), ins.pos, "branch", ins.text)
            return True
    elif t is ir.Jump:
        f.pc = ins.target
    elif t is ir.Call:
        return _call(w, g, f, ins)
    elif t is ir.Return:
        if ins.values is not None:
            vals = ins.values(f)
            for slot, v in zip(f.fn.result_slots, vals):
                if f.fn.slot_boxed[slot]:
                    w.store(f.s[slot], v)
                else:
                    f.s[slot] = v
        f.returning = True
    elif t is ir.Send:
        g.pending = PendingOp("send", (ins.chan(f), ins.value(f)), ins.pos, text=ins.text)
        return True
    elif t is ir.Recv:
        g.pending = PendingOp("recv", (ins.chan(f),), ins.pos, text=ins.text)
        return True
    elif t is ir.Select:
        cases = tuple(
            (c.kind, c.chan(f), c.value(f) if c.value is not None else None) for c in ins.cases
        )
        g.pending = PendingOp("select", (cases, ins.default_target >= 0), ins.pos, "case")
        return True
    elif t is ir.Go:
        fv = ins.callee(f)
        args = ins.args(f)
        if fv is None:
            raise GoPanic("nil-func", "go of nil func value")
        start_goroutine(w, fv, args, ins.pos, _func_name(w, fv, ins.name), ins.spread,
                        creator=f.fn.name)
        w.events.append(f"go {ins.name}")
        f.pc += 1
    elif t is ir.Defer:
        fv = ins.callee(f)
        args = ins.args(f)
        f.defers.append((fv, args, ins.pos, ins.spread))
        f.pc += 1
    elif t is ir.Panic:
        v = ins.value(f)
        raise GoPanic("panic", f"panic: {_show(v)}", v)
    else:
        raise AssertionError(f"unknown instruction {t.__name__}")
    return False


def _symbolic_branch(w: World, g: MG, f: MFrame, ins: ir.Branch, term) -> bool:
    """Take the feasible side(s) of a branch on a symbolic condition."""
    yes, no = w.feasible(term), w.feasible(S.negate(term))
    if yes and no:
        if len(w.pc) >= MAX_CONDITIONS:
            w.cut = f"symbolic path bound ({MAX_CONDITIONS} conditions)"
            g.pending = PendingOp("cut", (), ins.pos, text="symbolic path bound")
            return True
        g.pending = PendingOp("choice", (ins.target, term), ins.pos, "branch", ins.text)
        return True
    if yes:
        f.pc += 1
    elif no:
        f.pc = ins.target
    else:
        g.pending = PendingOp("cut", (), ins.pos, text="infeasible path")
        return True
    return False


def _call(w: World, g: MG, f: MFrame, ins: ir.Call) -> bool:
    fv = ins.callee(f)
    args = ins.args(f)
    if len(g.frames) >= MAX_FRAMES and type(fv) in (V.Closure, V.BoundMethod):
        w.cut = "recursion depth"
        g.pending = PendingOp("cut", (), ins.pos, text="recursion bound reached")
        return True
    nf = new_frame(w, g, fv, args, CALL, ins.spread)
    if nf is not None:
        g.frames.append(nf)
        return False
    from gcheck.model.builtins import call_builtin

    res = call_builtin(w, g, f, fv, args, ins.pos, "next", ndsts=len(ins.dsts), spread=ins.spread)
    if isinstance(res, PendingOp):
        g.pending = res if res.text else replace(res, text=ins.name)
        return True
    if isinstance(res, MFrame):  # the library calls back into the program (fmt -> String())
        for d in ins.dsts:
            f.s[d] = V.UNKNOWN  # the library's own result stays unknown
        g.frames.append(res)
        return False
    deliver(f, ins, res)
    f.pc += 1
    return False


def deliver(f: MFrame, ins: ir.Call, results: tuple) -> None:
    """Write a call's results into the caller's destination slots."""
    dsts = ins.dsts
    if not dsts:
        return
    if len(dsts) == 1:
        f.s[dsts[0]] = results[0] if len(results) == 1 else V.Tuple(tuple(results))
        return
    if len(results) == 1 and type(results[0]) is V.Tuple:
        results = results[0].vals
    for d, v in zip(dsts, results):
        f.s[d] = v
    for d in dsts[len(results):]:
        f.s[d] = V.UNKNOWN


def _unwind_step(w: World, g: MG, f: MFrame) -> bool:
    """One step of returning: run the next deferred call or pop the frame.
    True when the goroutine stops (a deferred visible op, or it ended)."""
    if f.defers:
        fv, args, pos, spread = f.defers.pop()
        nf = new_frame(w, g, fv, args, DEFERRED, spread)
        if nf is not None:
            if len(g.frames) >= MAX_FRAMES:
                w.cut = "recursion depth"
                return True
            g.frames.append(nf)
            return False
        from gcheck.model.builtins import call_builtin

        res = call_builtin(w, g, f, fv, args, pos, "defer", spread=spread)
        if isinstance(res, PendingOp):
            g.pending = res if res.text else replace(res, text=f"deferred {_builtin_name(fv)}")
            return True
        if isinstance(res, MFrame):
            res.kind = DEFERRED
            g.frames.append(res)
        return False
    results = tuple(
        (w.load(f.s[s]) if f.fn.slot_boxed[s] else f.s[s]) for s in f.fn.result_slots
    )
    g.frames.pop()
    if not g.frames:
        return True
    caller = g.frames[-1]
    if f.kind == ONCE and f.extra is not None:
        w.store(f.extra, V.OnceV(2))  # Once.Do marks itself done even when f panics
    if g.panic is not None or g.goexit:
        caller.returning = True
        return False
    if f.kind == CALL:
        deliver(caller, caller.fn.code[caller.pc], results)
        caller.pc += 1
    elif f.kind == ONCE:  # sync.Once.Do's f, or t.Run's f
        caller.pc += 1  # harmless when the caller is itself returning (defer once.Do(f))
    return False


def complete(w: World, gid: int, results: tuple = (), case: int | None = None) -> None:
    """Finish goroutine gid's pending op, then run it on to its next visible op.

    Results go where the op's instruction wants them: a Call's slots, a Recv's
    value/ok slots, or the chosen select case's slots (then jump to its body).
    """
    g = w.gs[gid]
    p = g.pending
    if p.resume == "exit":
        w.gs.pop(gid)
        if gid == 1:
            w.entry_done = True
        return
    mg = MG(g, w)
    if mg.frames:
        f = mg.frames[-1]
        if p.resume == "next":
            ins = f.fn.code[f.pc]
            if type(ins) is ir.Call:
                deliver(f, ins, results)
            elif type(ins) is ir.Recv:
                if ins.dst >= 0:
                    f.s[ins.dst] = results[0]
                if ins.okdst >= 0:
                    f.s[ins.okdst] = results[1]
            f.pc += 1
        elif p.resume == "case":
            ins = f.fn.code[f.pc]
            if case is None:
                f.pc = ins.default_target
            else:
                c = ins.cases[case]
                if c.dst >= 0:
                    f.s[c.dst] = results[0]
                if c.okdst >= 0:
                    f.s[c.okdst] = results[1]
                f.pc = c.target
        elif p.resume == "branch":
            f.pc = f.pc + 1 if results[0] else p.args[0]
        # "defer": the frame is still returning, so the unwinding goes on;
        # "stay": a yield in the middle of a local loop.
    run(w, gid, mg)


def push_call(w: World, gid: int, fv, args: tuple, kind: int, extra=None) -> None:
    """The pending op calls back into the program (sync.Once.Do): push fv's frame and run."""
    g = w.gs[gid]
    mg = MG(g, w)
    f = new_frame(w, mg, fv, args, kind, extra=extra)
    if f is None:
        if kind == ONCE:
            w.store(extra, V.OnceV(2))
            mg.frames[-1].pc += 1
        run(w, gid, mg)
        return
    mg.frames.append(f)
    run(w, gid, mg)


def panic_in(w: World, gid: int, check: str, message: str) -> None:
    """Goroutine gid's pending op panics (send on closed channel, ...)."""
    g = w.gs[gid]
    mg = MG(g, w)
    pos = g.pending.pos
    mg.panic = (check, message, pos, V.NamedV("error", message))
    w.events.append(f"panic: {message}")
    if mg.frames:
        mg.frames[-1].returning = True
        run(w, gid, mg)
    else:
        _finish(w, mg)


def fatal(w: World, gid: int, check: str, message: str) -> None:
    """An unrecoverable runtime error (fatal error: sync: unlock of unlocked mutex)."""
    w.crash = Crash(check, message, w.gs[gid].pending.pos, gid)


def _builtin_name(fv) -> str:
    return f"{fv.name}()" if type(fv) is V.BuiltinFunc else "call"


def _func_name(w: World, fv, written: str) -> str:
    if type(fv) in (V.Closure, V.BoundMethod):
        return w.prog.functions[fv.fn].name
    return written


def _show(v) -> str:
    if isinstance(v, str):
        return repr(v).replace("'", '"')
    return str(v)
