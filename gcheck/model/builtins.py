"""Calls into the model: Go's builtins and the standard library gcheck knows.

`call_builtin` returns either the call's results (a tuple: it completed
locally), a PendingOp (a visible operation the explorer schedules: locks,
WaitGroups, sleeps, cancels, ...), or a new frame (a callback into the program).
Anything not listed here is abstracted: it returns unknown values and leaves a
note, never a crash.
"""

from __future__ import annotations

from gcheck.model import gofmt
from gcheck.model import symbolic as S
from gcheck.model import values as V
from gcheck.model.state import PendingOp
from gcheck.model.world import GoPanic, World

# Functions whose result never matters to concurrency and that need no note.
_QUIET = {
    "fmt.Println", "fmt.Printf", "fmt.Print", "fmt.Fprintf", "fmt.Fprintln", "fmt.Fprint",
    "log.Println", "log.Printf", "log.Print", "println", "print", "runtime.GC",
    "T.Log", "T.Logf", "T.Helper", "T.Error", "T.Errorf", "T.Parallel",
    "B.Log", "B.Logf", "B.ResetTimer", "B.StopTimer", "B.StartTimer", "B.ReportAllocs",
    "runtime.NumGoroutine", "runtime.GOMAXPROCS", "runtime.NumCPU",
}

_GOEXIT = {"runtime.Goexit", "T.FailNow", "T.Fatal", "T.Fatalf", "T.SkipNow", "T.Skip",
           "T.Skipf", "B.FailNow", "B.Fatal", "B.Fatalf", "B.SkipNow", "B.Skip", "B.Skipf"}
_EXIT = {"os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln"}


def call_builtin(w: World, g, f, fv, args: tuple, pos, resume: str, ndsts: int = 0, spread=False):
    if fv is None:
        raise GoPanic("nil-func", "invalid memory address or nil pointer dereference (nil func called)")
    t = type(fv)
    if t is V.BuiltinFunc:
        handler = HANDLERS.get(fv.name)
        if spread and fv.name in _PRINTERS:
            handler = None  # fmt.Sprintf(f, args...): the operands are in a slice
        if handler is not None:
            return handler(w, g, fv.bound, args, pos, resume)
        name = fv.name
        if name in _EXIT:
            return PendingOp("exit", (), pos, resume, name)
        if name in _GOEXIT:  # t.Skip too: it is t.SkipNow, which calls runtime.Goexit
            g.goexit = True
            if g.frames:
                g.frames[-1].returning = True
            return ()
        callback = _library_callback(w, g, name, args)
        if callback is not None:
            return callback
        if name not in _QUIET:
            w.note(pos, f"call to {name} is not modelled: treated as a no-op with unknown results")
        return _unknowns(w, name, pos, ndsts)
    if isinstance(fv, (V.Opaque, V.Unknown)):
        w.note(pos, "call of a func value gcheck cannot resolve: treated as a no-op with unknown results")
        return _unknowns(w, "func", pos, ndsts)
    raise GoPanic("model", f"call of non-function {fv!r}")


# Library functions that call methods of the program's own values, and which.
_IO_READERS = {"io.Copy": 1, "io.CopyN": 1, "io.ReadAll": 0, "io.ReadFull": 0, "io.ReadAtLeast": 0}


def _library_callback(w: World, g, name: str, args: tuple):
    """fmt.Print*/Sprint*/Errorf call an argument's Error or String method (which
    may lock); io.Copy and friends call the reader's Read. Modelled as a call of
    the first such method of the program's own types (results stay unknown)."""
    from gcheck.model.exec import new_frame
    from gcheck.model.runtime import method
    from gcheck.model.state import ONCE

    candidates = []
    if name.startswith("fmt."):
        for a in args:
            candidates += [(a, "Error", ()), (a, "String", ())]
    elif name in _IO_READERS and len(args) > _IO_READERS[name]:
        candidates.append((args[_IO_READERS[name]], "Read", (V.UNKNOWN,)))
    for v, mname, margs in candidates:
        if not isinstance(v, (V.StructV, V.Ptr, V.NamedV)):
            continue
        try:
            fv = method(w, w.prog, v, None, mname)
        except GoPanic:
            continue
        if type(fv) is V.BoundMethod:
            return new_frame(w, g, fv, margs, ONCE)
    return None


def _unknowns(w: World, name: str, pos, n: int) -> tuple:
    """Unknown results as symbols, one per result, so that testing the same
    result twice (err != nil) takes the same side both times."""
    if n == 0:
        return (V.UNKNOWN,)
    site = f"{name.split('(')[0]}@{pos.line}" if pos is not None else name
    return tuple(w.fresh(site) for _ in range(n))


def _op(name):
    """A builtin that is one visible operation on its bound receiver and args."""

    def handler(w, g, bound, args, pos, resume):
        return PendingOp(name, tuple(bound) + tuple(args), pos, resume)

    return handler


# ---------------------------------------------------------------- channels & runtime


def _close(w, g, bound, args, pos, resume):
    return PendingOp("close", (args[0],), pos, resume)


def _recover(w, g, bound, args, pos, resume):
    frames = g.frames
    # recover works only when called directly by a deferred function.
    if g.panic is not None and frames and frames[-1].kind == 1:
        value = g.panic[3]
        g.panic = None
        w.events.append("recovered")
        return (value,)
    return (None,)


def _gosched(w, g, bound, args, pos, resume):
    return PendingOp("sleep", (), pos, resume, "runtime.Gosched")


# ---------------------------------------------------------------- time


def _new_timer_chan(w: World) -> int:
    return w.alloc(V.ChanObj(1, (), False, V.Opaque("time.Time"), timer=True))


def _time_after(w, g, bound, args, pos, resume):
    ch = _new_timer_chan(w)
    w.alloc(V.TimerObj(ch, True, False, None, pos))
    return (V.Ref(ch),)


def _time_tick(w, g, bound, args, pos, resume):
    ch = _new_timer_chan(w)
    # time.Tick's ticker can never be stopped: it is kept alive like an AfterFunc.
    # Before Go 1.23 its ticker is never collected: kept alive like an AfterFunc.
    # From 1.23 it is collected once unreferenced (not a lost Stop: it has none).
    keep = "tick.keep" if w.go_version < (1, 23) else "tick.gc"
    w.alloc(V.TimerObj(ch, True, True, V.BuiltinFunc(keep), pos))
    return (V.Ref(ch),)


def _new_timer(periodic: bool):
    def handler(w, g, bound, args, pos, resume):
        ch = _new_timer_chan(w)
        return (V.Ref(w.alloc(V.TimerObj(ch, True, periodic, None, pos))),)

    return handler


def _after_func(w, g, bound, args, pos, resume):
    ch = _new_timer_chan(w)
    return (V.Ref(w.alloc(V.TimerObj(ch, True, False, args[1], pos))),)


def _timer_c(w: World, ref) -> V.Ref:
    return V.Ref(w.heap[ref.id].chan)


# ---------------------------------------------------------------- sync


def _new_cond(w, g, bound, args, pos, resume):
    return (V.Ref(w.alloc(V.CondObj(args[0]))),)


def _wg_add(w, g, bound, args, pos, resume):
    from gcheck.model.runtime import concrete

    # a symbolic delta (wg.Add(len(items))) forks over its feasible values
    return PendingOp("wg.add", (bound[0], concrete(w, args[0])), pos, resume)


def _wg_done(w, g, bound, args, pos, resume):
    return PendingOp("wg.add", (bound[0], -1), pos, resume, "Done")


def _wg_go(w, g, bound, args, pos, resume):
    return PendingOp("wg.go", (bound[0], args[0]), pos, resume)


def _once_do(w, g, bound, args, pos, resume):
    return PendingOp("once.do", (bound[0], args[0]), pos, resume)


def _mutex_trylock(w, g, bound, args, pos, resume):
    return PendingOp("trylock", (bound[0],), pos, resume)


# ---------------------------------------------------------------- context


def _ctx_new(w: World, parent: int | None, with_done: bool) -> int:
    done = w.alloc(V.ChanObj(0, (), False, None)) if with_done else None
    cid = w.alloc(V.CtxObj(done, parent, (), None))
    if parent is not None:
        p = w.heap[parent]
        w.heap[parent] = V.CtxObj(p.done, p.parent, p.children + (cid,), p.err, p.timer, p.values)
        if p.err is not None:
            cancel_ctx(w, cid, p.err)
    return cid


def _ctx_background(w, g, bound, args, pos, resume):
    return (V.Ref(w.alloc(V.CtxObj(None, None, (), None))),)


def _ctx_parent(w: World, v) -> int | None:
    if type(v) is V.Ref and type(w.heap[v.id]) is V.CtxObj:
        return v.id
    return None


def _foreign(w: World, v) -> bool:
    """A context gcheck does not model: a program's own Context type, or an
    unknown value. Go watches its Done channel (or registers with its
    AfterFunc); gcheck takes its cancellation to come at any time."""
    return v is not None and _ctx_parent(w, v) is None


def _ctx_with_cancel(w, g, bound, args, pos, resume):
    cid = _ctx_new(w, _ctx_parent(w, args[0]), True)
    if _foreign(w, args[0]):
        # the parent's cancellation, at any time: a timer that cancels (semantics._fire)
        w.note(pos, "the parent context is not modelled: its cancellation is taken to come at any time")
        tid = w.alloc(V.TimerObj(_new_timer_chan(w), True, False, V.BuiltinFunc("ctx.parent", (V.Ref(cid),)), pos))
        c = w.heap[cid]
        w.heap[cid] = V.CtxObj(c.done, c.parent, c.children, c.err, tid, c.values)
    return (V.Ref(cid), V.BuiltinFunc("ctx.cancel", (V.Ref(cid),)))


def _ctx_with_timeout(w, g, bound, args, pos, resume):
    cid = _ctx_new(w, _ctx_parent(w, args[0]), True)
    ch = _new_timer_chan(w)
    tid = w.alloc(V.TimerObj(ch, True, False, V.BuiltinFunc("ctx.deadline", (V.Ref(cid),)), pos))
    c = w.heap[cid]
    w.heap[cid] = V.CtxObj(c.done, c.parent, c.children, c.err, tid, c.values)
    return (V.Ref(cid), V.BuiltinFunc("ctx.cancel", (V.Ref(cid),)))


def _ctx_without_cancel(w, g, bound, args, pos, resume):
    return (V.Ref(w.alloc(V.CtxObj(None, None, (), None))),)


def _ctx_with_value(w, g, bound, args, pos, resume):
    parent = _ctx_parent(w, args[0])
    if parent is None:
        return (args[0],)
    p = w.heap[parent]
    cid = _ctx_new(w, parent, p.done is not None)
    c = w.heap[cid]
    # A value context shares its parent's cancellation: share the Done channel.
    inherited = tuple(kv for kv in p.values if kv[0] != _AFTER)
    w.heap[cid] = V.CtxObj(c.done, c.parent, c.children, c.err, c.timer,
                           inherited + ((args[1], args[2]),))
    return (V.Ref(cid),)


_AFTER = ("context.AfterFunc",)  # key of a registered AfterFunc in a context's values


def _ctx_after_func(w, g, bound, args, pos, resume):
    """context.AfterFunc(ctx, f): f runs in a new goroutine once ctx is done."""
    cid = _ctx_parent(w, args[0])
    if cid is None:
        if _foreign(w, args[0]):
            # f runs once the context is done, which may be at any time: as time.AfterFunc
            w.note(pos, "the context is not modelled: its cancellation, and f, are taken to come at any time")
            w.alloc(V.TimerObj(_new_timer_chan(w), True, False, args[1], pos))
        return (V.BuiltinFunc("ctx.stopafter"),)
    c = w.heap[cid]
    if c.err is not None:
        from gcheck.model.exec import start_goroutine

        start_goroutine(w, args[1], (), pos, "context.AfterFunc.func1")
    else:
        w.heap[cid] = V.CtxObj(c.done, c.parent, c.children, c.err, c.timer,
                               c.values + ((_AFTER, (args[1], pos)),))
    return (V.BuiltinFunc("ctx.stopafter"),)


def _ctx_stop_after(w, g, bound, args, pos, resume):
    return (V.UNKNOWN,)


def _ctx_done(w, g, bound, args, pos, resume):
    c = w.heap[bound[0].id]
    return (None if c.done is None else V.Ref(c.done),)


def _ctx_err(w, g, bound, args, pos, resume):
    c = w.heap[bound[0].id]
    # ctx.Err() reads state another goroutine's cancel() writes: like len(ch) it is
    # a visible step, ordered with the cancel (difftest: it ran at spawn time before)
    k = c
    while k.done is None and k.parent is not None:
        k = w.heap[k.parent]
    if k.done is not None and k.done not in w.observing:
        from gcheck.model.runtime import Observe

        raise Observe(k.done, "ctx.Err()")
    return (None if c.err is None else V.NamedV("error", f"context {c.err}"),)


def _ctx_value(w, g, bound, args, pos, resume):
    c = w.heap[bound[0].id]
    for k, v in reversed(c.values):
        if k == args[0]:
            return (v,)
    return (None,)


def cancel_ctx(w: World, cid: int, err: str) -> None:
    """Cancel a context and all its descendants: close Done, set Err, stop the timer."""
    c = w.heap[cid]
    if c.err is not None:
        return
    if c.done is not None:
        ch = w.heap[c.done]
        if not ch.closed:
            w.heap[c.done] = V.ChanObj(ch.cap, ch.buf, True, ch.zero, ch.timer)
    if c.timer is not None:
        t = w.heap[c.timer]
        w.heap[c.timer] = V.TimerObj(t.chan, False, t.periodic, t.func, t.pos)
    w.heap[cid] = V.CtxObj(c.done, c.parent, (), err, c.timer, c.values)
    for k, v in c.values:
        if k == _AFTER:
            from gcheck.model.exec import start_goroutine

            start_goroutine(w, v[0], (), v[1], "context.AfterFunc.func1")
    for child in c.children:
        cancel_ctx(w, child, err)


# ---------------------------------------------------------------- errors & misc


def _errors_new(w, g, bound, args, pos, resume):
    return (V.NamedV("error", args[0] if args else "error"),)


def _errors_is(w, g, bound, args, pos, resume):
    if isinstance(args[0], V.Unknown) or isinstance(args[1], V.Unknown):
        return (V.UNKNOWN,)
    return (args[0] == args[1],)


def _error_method(w, g, bound, args, pos, resume):
    v = bound[0]
    return (v.val if type(v) is V.NamedV else V.UNKNOWN,)


def _t_run(w, g, bound, args, pos, resume):
    # t.Run(name, f): runs f(t) and waits for it; modelled as a direct call.
    return PendingOp("call", (args[1], (bound[0],)), pos, resume, "t.Run")


# sync.Map: atomic operations on the value in its cell (local steps; see README).


def _smap_load(w, g, bound, args, pos, resume):
    ok, v = w.load(bound[0]).lookup(args[0])
    return (v, ok)


def _smap_store(w, g, bound, args, pos, resume):
    w.store(bound[0], w.load(bound[0]).store(args[0], args[1]))
    return ()


def _smap_load_or_store(w, g, bound, args, pos, resume):
    m = w.load(bound[0])
    ok, v = m.lookup(args[0])
    if ok:
        return (v, True)
    w.store(bound[0], m.store(args[0], args[1]))
    return (args[1], False)


def _smap_load_and_delete(w, g, bound, args, pos, resume):
    m = w.load(bound[0])
    ok, v = m.lookup(args[0])
    w.store(bound[0], m.delete(args[0]))
    return (v, ok)


def _smap_delete(w, g, bound, args, pos, resume):
    w.store(bound[0], w.load(bound[0]).delete(args[0]))
    return ()


# sync/atomic typed values: each method is one atomic local step on the cell.


def _atomic_load(w, g, bound, args, pos, resume):
    return (w.load(bound[0]).val,)


def _atomic_store(w, g, bound, args, pos, resume):
    w.store(bound[0], V.AtomicV(args[0]))
    return ()


def _atomic_add(w, g, bound, args, pos, resume):
    from gcheck.model.runtime import binop

    v = binop("+", w.load(bound[0]).val, args[0])
    w.store(bound[0], V.AtomicV(v))
    return (v,)


def _atomic_swap(w, g, bound, args, pos, resume):
    old = w.load(bound[0]).val
    w.store(bound[0], V.AtomicV(args[0]))
    return (old,)


def _atomic_cas(w, g, bound, args, pos, resume):
    from gcheck.model.runtime import binop

    eq = binop("==", w.load(bound[0]).val, args[0])
    if eq is True:
        w.store(bound[0], V.AtomicV(args[1]))
    return (eq,)


def _old_atomic(op):
    """atomic.AddInt32(&x, d) and friends, on a plain integer cell."""
    from gcheck.model.runtime import binop

    def handler(w, g, bound, args, pos, resume):
        p = args[0]
        cur = w.load(p)
        if op == "Load":
            return (cur,)
        if op == "Store":
            w.store(p, args[1])
            return ()
        if op == "Add":
            v = binop("+", cur, args[1])
            w.store(p, v)
            return (v,)
        if op == "Swap":
            w.store(p, args[1])
            return (cur,)
        eq = binop("==", cur, args[1])  # CompareAndSwap
        if eq is True:
            w.store(p, args[2])
        return (eq,)

    return handler


# Atomic operations on shared state: each is a visible step (a scheduling point
# whose cell partial-order reduction can see), carried out by SHARED_OPS.
SHARED_OPS = {
    "Atomic.Load": _atomic_load,
    "Atomic.Store": _atomic_store,
    "Atomic.Add": _atomic_add,
    "Atomic.Swap": _atomic_swap,
    "Atomic.CompareAndSwap": _atomic_cas,
    "Map.Load": _smap_load,
    "Map.Store": _smap_store,
    "Map.LoadOrStore": _smap_load_or_store,
    "Map.LoadAndDelete": _smap_load_and_delete,
    "Map.Delete": _smap_delete,
}
for _kind in ("Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Pointer"):
    for _verb in ("Load", "Store", "Add", "Swap", "CompareAndSwap"):
        SHARED_OPS[f"atomic.{_verb}{_kind}"] = _old_atomic(_verb)


def _shared(name):
    def handler(w, g, bound, args, pos, resume):
        cell = bound[0] if bound else args[0]
        return PendingOp("shared", (cell, name, tuple(bound), tuple(args)), pos, resume)

    return handler


def _bounded_random(w, g, bound, args, pos, resume):
    """rand.Intn(n) and friends: a fresh symbol r with 0 <= r < n."""
    r = w.fresh(f"rand@{pos.line}", "int")
    w.assume((">=", r.t, 0))
    n = args[0] if args else None
    if type(n) is int or type(n) is S.Sym:
        w.assume(("<", r.t, n if type(n) is int else n.t))
    return (r,)


def _printer(name: str, fn):
    """A handler for a formatting function of gofmt.py: its exact result when it
    can print the operands, else an unknown result and a note."""

    def handler(w, g, bound, args, pos, resume):
        s = fn(args)
        if s is not None:
            return (s,)
        w.note(pos, f"call to {name} with operands gcheck does not print: its result is unknown")
        return _unknowns(w, name, pos, 1)

    return handler


_PRINTERS = {
    "fmt.Sprintf": lambda args: gofmt.sprintf(args[0], args[1:]) if args else None,
    "fmt.Sprint": gofmt.sprint,
    "strconv.Itoa": lambda args: gofmt.itoa(args[0]) if len(args) == 1 else None,
}

HANDLERS = {
    "rand.Intn": _bounded_random,
    "rand.Int63n": _bounded_random,
    "rand.Int31n": _bounded_random,
    "rand.IntN": _bounded_random,
    "rand.N": _bounded_random,
    "close": _close,
    "recover": _recover,
    "runtime.Gosched": _gosched,
    "time.Sleep": _op("sleep"),
    "time.After": _time_after,
    "time.Tick": _time_tick,
    "time.NewTimer": _new_timer(False),
    "time.NewTicker": _new_timer(True),
    "time.AfterFunc": _after_func,
    "Timer.Stop": _op("timer.stop"),
    "Timer.Reset": _op("timer.reset"),
    "Ticker.Stop": _op("timer.stop"),
    "Ticker.Reset": _op("timer.reset"),
    "sync.NewCond": _new_cond,
    "Mutex.Lock": _op("lock"),
    "Mutex.Unlock": _op("unlock"),
    "Mutex.TryLock": _mutex_trylock,
    "RWMutex.Lock": _op("wlock"),
    "RWMutex.Unlock": _op("wunlock"),
    "RWMutex.RLock": _op("rlock"),
    "RWMutex.RUnlock": _op("runlock"),
    "WaitGroup.Add": _wg_add,
    "WaitGroup.Done": _wg_done,
    "WaitGroup.Wait": _op("wg.wait"),
    "WaitGroup.Go": _wg_go,
    "Once.Do": _once_do,
    "Cond.Wait": _op("cond.wait"),
    "Cond.Signal": _op("cond.signal"),
    "Cond.Broadcast": _op("cond.broadcast"),
    "context.Background": _ctx_background,
    "context.TODO": _ctx_background,
    "context.WithCancel": _ctx_with_cancel,
    "context.WithCancelCause": _ctx_with_cancel,
    "context.WithTimeout": _ctx_with_timeout,
    "context.WithDeadline": _ctx_with_timeout,
    "context.WithoutCancel": _ctx_without_cancel,
    "context.WithValue": _ctx_with_value,
    "ctx.cancel": _op("cancel"),
    "ctx.Done": _ctx_done,
    "ctx.Err": _ctx_err,
    "ctx.Value": _ctx_value,
    "context.AfterFunc": _ctx_after_func,
    "ctx.stopafter": _ctx_stop_after,
    "errors.New": _errors_new,
    "fmt.Errorf": _errors_new,
    "errors.Is": _errors_is,
    "error.Error": _error_method,
    "T.Run": _t_run,
}
HANDLERS.update({name: _shared(name) for name in SHARED_OPS})
HANDLERS.update({name: _printer(name, fn) for name, fn in _PRINTERS.items()})
