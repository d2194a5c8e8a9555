"""Canonical heap numbering and garbage collection.

Two interleavings that allocate the same objects in a different order must
reach the same State. After every step the heap is walked from the roots
(globals, then goroutines by id, then armed AfterFunc timers) in a fixed
order; objects are renumbered in visit order and unreachable ones dropped.
"""

from __future__ import annotations

from operator import is_

from gcheck.goast import Pos
from gcheck.model import symbolic as S
from gcheck.model import memo
from gcheck.model.memo import IdentityMemo
from gcheck.model import values as V
from gcheck.model.state import Frame, Goroutine, PendingOp

_ATOMS = (int, str, bool, float, complex, type(None), V.Unknown, V.Opaque, V.MutexV,
          V.RWMutexV, V.WaitGroupV, V.OnceV, Pos)  # SyncMapV holds values: walked below


_LIVE: list | None = None  # while not None, _walk collects the symbolic terms it meets
_REN: dict = {}  # symbol renaming applied by _remap


def _walk(v, visit):
    """Call visit(id) for every heap id directly referenced by value v."""
    t = type(v)
    if t in _ATOMS_SET:
        return
    if t is S.Sym:
        if _LIVE is not None:
            _LIVE.append(v.t)
        return
    if t is V.Ptr or t is V.Ref:
        visit(v.id)
    elif t is V.StructV or t is V.ArrayV or t is V.Tuple:
        for x in v.vals:
            _walk(x, visit)
    elif t is V.SliceV:
        visit(v.arr)
    elif t is tuple:
        for x in v:
            _walk(x, visit)
    elif t is V.Closure:
        for x in v.caps:
            _walk(x, visit)
    elif t is V.BoundMethod:
        _walk(v.recv, visit)
    elif t is V.BuiltinFunc:
        _walk(v.bound, visit)
    elif t is V.NamedV:
        _walk(v.val, visit)
    elif t is V.ChanObj:
        _walk(v.buf, visit)
        _walk(v.zero, visit)
    elif t is V.AtomicV:
        _walk(v.val, visit)
    elif t is V.ArrObj:
        if not _plain(v):
            _walk(v.vals, visit)
    elif t is V.SyncMapV:
        _walk(v.items, visit)
    elif t is V.MapObj:
        _walk(v.items, visit)
        _walk(v.zero, visit)
    elif t is V.TimerObj:
        visit(v.chan)
        _walk(v.func, visit)
    elif t is V.CtxObj:
        for x in (v.done, v.parent, v.timer):
            if x is not None:
                visit(x)
        for x in v.children:
            visit(x)
        _walk(v.values, visit)
    elif t is V.CondObj:
        _walk(v.lock, visit)
    elif t is PendingOp:
        _walk(v.args, visit)
        k = _TERM_ARG.get(v.op)
        if _LIVE is not None and k is not None and k < len(v.args):  # a raw term, not a Sym
            _LIVE.append(v.args[k])
    elif t is Frame:
        _walk(v.slots, visit)
        _walk(v.caps, visit)
        _walk(v.defers, visit)
        _walk(v.extra, visit)


# Frames, pending ops and heap objects are immutable and shared between states:
# the heap ids each one references are computed once (model/memo.py: frames,
# pending ops, channels, arrays and goroutines keep them in a slot).
_SHARED_REFS = memo.table()  # each distinct tuple of ids once


def _refs_of(v) -> tuple:
    found: list = []
    _walk(v, found.append)
    out = tuple(found)
    return _SHARED_REFS.setdefault(out, out)  # frames at the same ids share one tuple


_refs_memo = IdentityMemo(_refs_of, 2_000_000, slot="_refs",
                          kinds=(Frame, PendingOp, V.ChanObj, V.ArrObj))


def _refs(v) -> tuple:
    """The heap ids v references directly, in walk order."""
    t = type(v)
    if t in _ATOMS_SET:
        return ()
    if t is V.Ptr or t is V.Ref:
        return (v.id,)
    if t is V.SliceV:
        return (v.arr,)
    return _refs_memo(v)


# Pending ops that carry a raw symbolic term: (target, term) and (term, values).
_TERM_ARG = {"choice": 1, "concretize": 0}
_ATOMS_SET = ATOMS = frozenset(_ATOMS)  # (ATOMS: for world.LiveArr)

# A backing array of plain data (a []byte, a []int) holds no reference and no symbol:
# the walks and the renumbering of symbolic states skip it, rather than visit each
# of its elements at every step.
_plain = IdentityMemo(lambda v: all(type(x) in _ATOMS_SET for x in v.vals), slot="_plain", kinds=(V.ArrObj,))


def _remap(v, m):
    t = type(v)
    if t in _ATOMS_SET:
        return v
    if t is S.Sym:
        return S.Sym(_subst(v.t)) if _REN else v
    # a part in which no reference moves is kept as the same object
    if t is V.Ptr:
        i = m[v.id]
        return v if i == v.id else V.Ptr(i, v.path)
    if t is tuple:
        new = [_remap(x, m) for x in v]
        return v if all(map(is_, new, v)) else tuple(new)
    if t is V.Ref:
        i = m[v.id]
        return v if i == v.id else V.Ref(i)
    if t is V.StructV:
        vals = _remap(v.vals, m)
        return v if vals is v.vals else V.StructV(v.layout, vals)
    if t is V.SliceV:
        i = m[v.arr]
        return v if i == v.arr else V.SliceV(i, v.off, v.len, v.cap)
    if t is V.ArrayV:
        vals = _remap(v.vals, m)
        return v if vals is v.vals else V.ArrayV(vals)
    if t is V.Tuple:
        vals = _remap(v.vals, m)
        return v if vals is v.vals else V.Tuple(vals)
    if t is V.Closure:
        caps = _remap(v.caps, m)
        return v if caps is v.caps else V.Closure(v.fn, caps)
    if t is V.BoundMethod:
        recv = _remap(v.recv, m)
        return v if recv is v.recv else V.BoundMethod(v.fn, recv)
    if t is V.BuiltinFunc:
        bound = _remap(v.bound, m)
        return v if bound is v.bound else V.BuiltinFunc(v.name, bound)
    if t is V.NamedV:
        val = _remap(v.val, m)
        return v if val is v.val else V.NamedV(v.tname, val)
    if t is V.ChanObj:
        buf, zero = _remap(v.buf, m), _remap(v.zero, m)
        if buf is v.buf and zero is v.zero:
            return v
        return V.ChanObj(v.cap, buf, v.closed, zero, v.timer)
    if t is V.ArrObj:
        if _plain(v):
            return v
        vals = _remap(v.vals, m)
        return v if vals is v.vals else V.ArrObj(vals)
    if t is V.SyncMapV:
        return V.SyncMapV(_remap(v.items, m))
    if t is V.AtomicV:
        return V.AtomicV(_remap(v.val, m))
    if t is V.MapObj:
        return V.MapObj(_remap(v.items, m), _remap(v.zero, m))
    if t is V.TimerObj:
        return V.TimerObj(m[v.chan], v.armed, v.periodic, _remap(v.func, m), v.pos)
    if t is V.CtxObj:
        opt = lambda x: None if x is None else m[x]  # noqa: E731
        return V.CtxObj(opt(v.done), opt(v.parent), tuple(m[c] for c in v.children if c in m),
                        v.err, opt(v.timer), _remap(v.values, m))
    if t is V.CondObj:
        return V.CondObj(_remap(v.lock, m), v.waiters, v.signalled)
    if t is PendingOp:
        args = _remap(v.args, m)
        k = _TERM_ARG.get(v.op)
        if _REN and k is not None and k < len(args):
            args = args[:k] + (_subst(args[k]),) + args[k + 1:]
        if args is v.args:
            return v
        return PendingOp(v.op, args, v.pos, v.resume, v.text, v.parked)
    return v


def _subst(t):
    if type(t) is not tuple:
        return t
    if t[0] == "var":
        return _REN.get(t, t)
    return (t[0],) + tuple(_subst(x) for x in t[1:])


def _symbols(pc: tuple, syms: tuple, terms: list):
    """Drop path constraints on symbols no live value mentions, and renumber
    the per-call-site symbols of live values from 0, so that a loop calling an
    unmodelled function reaches the same state each time round."""
    live: set = set()
    for t in terms:
        S.variables(t, live)
    for c in pc:  # inputs (entry parameters) are always kept: they make the witness
        live |= {v for v in S.variables(c, set()) if "#" not in v[1]}
    kept, rest = [], list(pc)
    changed = True
    while changed:
        changed = False
        for c in list(rest):
            vs = S.variables(c, set())
            if vs & live:
                kept.append(c)
                rest.remove(c)
                live |= vs
                changed = True
    by_site: dict = {}
    for var in live:
        name = var[1]
        if "#" in name:
            site, k = name.rsplit("#", 1)
            by_site.setdefault(site, []).append((int(k), var))
    ren, counts = {}, {}
    for site, lst in by_site.items():
        lst.sort()
        for new_k, (k, var) in enumerate(lst):
            if new_k != k:
                ren[var] = ("var", f"{site}#{new_k}", var[2])
        counts[site] = len(lst)
    return kept, ren, tuple(sorted(counts.items())), rest


def _collectable(timer) -> bool:
    """time.Tick's ticker from Go 1.23 on: collected once nobody holds its channel."""
    f = timer.func
    return type(f) is V.BuiltinFunc and f.name == "tick.gc"


def same_refs(new, old) -> None:
    """new references the same heap ids as old (a frame that only moved its pc)."""
    refs = getattr(old, "_refs", None)
    if refs is not None:
        object.__setattr__(new, "_refs", refs)


def canonicalize(heap: list, globals_: tuple, gs: list, pc: tuple = (), syms: tuple = (),
                 tag: int = 0):
    """Renumber reachable heap objects in visit order, and the symbols of the
    path condition; returns (heap, globals, goroutines, pc, syms, lost, retired,
    moved): moved says whether any object was moved or dropped (or a symbol renamed);
    lost are the creation positions of running tickers that became unreachable;
    retired are the constraints dropped from pc, their symbols renamed apart
    with `~tag` so that they can join the path's trail (for witnesses).

    Context children are weak: a child context is kept alive by whoever holds
    it, not by its parent (mirrors Go, where cancel() unregisters it).
    """
    global _LIVE, _REN
    symbolic = bool(pc or syms)
    if not symbolic:
        _LIVE = None
        order = _order(heap, globals_, gs)
        n = len(heap)
        if len(order) == n and order == list(range(n)):
            return tuple(heap), globals_, tuple(gs), pc, syms, (), (), False  # already canonical
        return _renumber(heap, globals_, gs, pc, syms, order, {o: k for k, o in enumerate(order)}, {}, ())
    order: list[int] = []
    seen: dict[int, int] = {}
    _LIVE = []

    def visit(i: int):
        if i not in seen:
            seen[i] = len(order)
            order.append(i)

    def scan(v):
        if symbolic:
            _walk(v, visit)  # also collects the symbols met on the way
        else:
            for i in _refs(v):
                if i not in seen:
                    seen[i] = len(order)
                    order.append(i)

    scan(globals_)
    for g in gs:
        for f in g.frames:
            scan(f)
        scan(g.pending)
        scan(g.panic)  # the panic value may point into the heap
    # AfterFunc timers and context timeouts fire even when nobody holds them.
    for i, obj in enumerate(heap):
        if type(obj) is V.TimerObj and obj.armed and obj.func is not None and not _collectable(obj):
            visit(i)
    k = 0
    timers = [i for i, obj in enumerate(heap) if type(obj) is V.TimerObj and obj.armed]
    while True:
        while k < len(order):
            obj = heap[order[k]]
            if type(obj) is V.CtxObj:
                for x in (obj.done, obj.parent, obj.timer):
                    if x is not None:
                        visit(x)
                scan(obj.values)
            else:
                scan(obj)
            k += 1
        # An armed timer lives as long as someone can receive from its channel.
        for i in _held_timers(heap, timers, seen, seen):
            visit(i)
        if k == len(order):
            break
    m = seen
    ren = {}
    retired = ()
    if symbolic:
        kept, ren, syms, dropped = _symbols(pc, syms, _LIVE)
        if dropped:
            _REN = {v: ("var", f"{v[1]}~{tag}", v[2]) for c in dropped for v in S.variables(c, set())}
            retired = tuple(_subst(c) for c in dropped)
        _LIVE = None
        _REN = ren
        pc = tuple(sorted((_subst(c) for c in kept), key=repr))
    if not ren and len(order) == len(heap) and all(i == j for i, j in enumerate(order)):
        return tuple(heap), globals_, tuple(gs), pc, syms, (), retired, False  # already canonical
    return _renumber(heap, globals_, gs, pc, syms, order, seen, ren, retired)


def _order(heap, globals_, gs) -> list:
    """canonicalize's walk without symbols: the reachable heap ids in visit order."""
    refs = _refs
    roots = list(refs(globals_))
    for g in gs:
        roots += _goroutine_refs(g)  # the panic value too: it may point into the heap
    timers = [i for i, o in enumerate(heap) if type(o) is V.TimerObj and o.armed]
    # AfterFunc timers and context timeouts fire even when nobody holds them.
    for i in timers:
        o = heap[i]
        if o.func is not None and not _collectable(o):
            roots.append(i)
    seen = dict.fromkeys(roots)
    order = list(seen)
    k = 0
    while True:
        while k < len(order):
            obj = heap[order[k]]
            k += 1
            if type(obj) is V.CtxObj:
                for x in (obj.done, obj.parent, obj.timer):
                    if x is not None and x not in seen:
                        seen[x] = None
                        order.append(x)
                obj = obj.values
            for j in refs(obj):
                if j not in seen:
                    seen[j] = None
                    order.append(j)
        # An armed timer lives as long as someone can receive from its channel.
        held = _held_timers(heap, timers, seen, None)
        for i in held:
            seen[i] = None
            order.append(i)
        if k == len(order):
            return order


def _held_timers(heap, timers: list, seen: dict, at: dict | None) -> list:
    """The armed timers not reached yet whose channel is, in the order their
    channels were reached (at: id -> position; None: work it out from seen's
    order). Not in heap order: that is the order of allocation, which depends
    on which goroutine's step came first, and would store one state twice."""
    held = [i for i in timers if i not in seen and heap[i].chan in seen]
    if len(held) > 1:
        if at is None:
            at = {x: n for n, x in enumerate(seen)}
        held.sort(key=lambda i: at[heap[i].chan])
    return held


def _renumber(heap, globals_, gs, pc, syms, order, seen, ren, retired):
    global _REN
    m = seen
    # A running ticker that nobody can reach any more can never be stopped.
    lost = tuple(o.pos for i, o in enumerate(heap) if i not in seen and type(o) is V.TimerObj
                 and o.armed and o.periodic and o.func is None)
    if ren:  # symbols renamed too: every part is rebuilt (symbolic runs only)
        new_heap = tuple(_remap(heap[i], m) for i in order)
        new_gs = tuple(_remap_goroutine(g, m) for g in gs)
    else:
        new_heap = tuple(_moved_object(heap[i], m) for i in order)
        new_gs = tuple(_moved(g, m) for g in gs)
    new_globals = _remap(globals_, m)
    _REN = {}
    return new_heap, new_globals, new_gs, pc, syms, lost, retired, True


def _remap_goroutine(g: Goroutine, m) -> Goroutine:
    return Goroutine(g.gid, tuple(_remap_frame(f, m) for f in g.frames), _remap(g.pending, m), g.created,
                     g.name, _remap(g.panic, m), g.goexit, g.creator)


def _remap_frame(f: Frame, m) -> Frame:
    return Frame(f.fn, f.pc, _remap(f.slots, m), _remap(f.caps, m), _remap(f.defers, m),
                 f.returning, f.kind, _remap(f.extra, m))


def _moved_object(v, m):
    """A heap object renumbered by m: itself when none of its references moves."""
    for r in _refs(v):
        if m.get(r) != r:  # moved, or (a weak context child) dropped
            return _remap(v, m)
    return v


# When a goroutine exits, the ids after its objects shift alike in every state in
# which the others sit at the same places: a goroutine, frame or pending op
# renumbered keeps its last copy with the new ids of its references (field
# `_moves`), and the states that need it again share it, and its cached hash.
# (One copy, not one per renumbering: as fast on the families, 6 to 8% less memory.)
def _moved(v, m):
    """Goroutine, Frame or PendingOp v renumbered by m (itself when nothing in it moves)."""
    refs = _goroutine_refs(v) if type(v) is Goroutine else _refs(v)
    if not refs:
        return v
    key = tuple([m[r] for r in refs])  # roots' references: all reachable, all in m
    if key == refs:
        return v
    last = getattr(v, "_moves", None)
    if last is not None and last[0] == key:
        return last[1]
    r = _rebuilt(v, key, m)
    object.__setattr__(v, "_moves", (key, r))
    return r


def _rebuilt(v, key: tuple, m):
    """_moved's copy of v; key: the heap ids the copy references (known without a walk)."""
    t = type(v)
    if t is Goroutine:
        pending = None if v.pending is None else _moved(v.pending, m)
        r = Goroutine(v.gid, tuple([_moved(f, m) for f in v.frames]), pending, v.created, v.name,
                      _remap(v.panic, m), v.goexit, v.creator)
        object.__setattr__(r, "_grefs", key)
        memo.copy_facts(v, r, ("_shape", "_gids"))  # neither depends on heap ids
    else:
        r = _remap_frame(v, m) if t is Frame else _remap(v, m)
        object.__setattr__(r, "_refs", _SHARED_REFS.setdefault(key, key))
        memo.copy_facts(v, r, ("_gids",))
    return r


def _goroutine_refs_of(g: Goroutine) -> tuple:
    found: list = []
    for f in g.frames:
        found += _refs(f)
    if g.pending is not None:
        found += _refs(g.pending)
    if g.panic is not None:
        found += _refs(g.panic)
    out = tuple(found)
    return _SHARED_REFS.setdefault(out, out)


# the heap ids a goroutine's frames, pending op and panic value reference, in walk order
_goroutine_refs = IdentityMemo(_goroutine_refs_of, slot="_grefs", kinds=(Goroutine,))
