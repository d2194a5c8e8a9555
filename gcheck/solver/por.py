"""Partial-order reduction: persistent sets from the locations goroutines can reach.

A *location* is a heap object and a path inside it, `(id, path)`: the path
walks struct fields and array elements exactly as a `Ptr`'s path does, so
`&forks[2]` (forks a slice) is `(arr, (2,))` and `&s.mu` is `(cell, ("mu",))`;
`(id, ())` is the whole object. Two locations overlap when one path is a
prefix of the other (same object). Channels, maps, timers, contexts and conds
are always whole objects.

A step's *footprint* is the set of locations its visible operation reads or
changes (`_touches`): the channel of a send, the mutex a Lock names (the
`Ptr` operand: one element or one field, not its whole array or struct), the
WaitGroup, the Cond and its L, and so on. A step changes nothing outside its
footprint (a new goroutine's first local run aside, which only reads what its
creator reaches), and whether a step is enabled depends only on its
footprint and on which goroutines wait at operations on those channels (to
wait at an operation on a channel a goroutine must reach it). The local code a step
runs after its operation (up to the goroutine's next visible operation) is
not in the footprint: for a data-race-free program — the one gcheck models
exactly — any access it makes that conflicts with another goroutine's is
ordered with it by synchronisation on some location, and the argument below
applies to that location instead.

What a goroutine can *ever* touch is over-approximated by what it can reach
(`_reach`), element-wise: its frames, its pending operation and its panic
value hold references; a `Ptr` to a location gives that location and
everything inside it (Go code cannot step from `&a[k]` to `&a[k+1]` nor from
`&s.f` to `&s.g`); a `Ref` or a slice header (`SliceV`) gives the whole
object (a slice can be indexed anywhere, a map or channel is one object);
and the values stored at a reachable location give what they reference, in
turn. Globals are reachable by everyone.

Reachability is closed under what a set of goroutines can do together: from
reachable locations code only makes references to sub-locations (`&p.f`,
`&s[i]`), copies references between locations it reaches, passes them on a
channel (whose buffer the walk includes) or to goroutines it starts; new
objects are new. So the union of the locations that the goroutines (and
timers) outside a set P reach now contains every location they can touch in
any run in which P's goroutines do not move.

A set P of goroutines is therefore *persistent* when no location in the
footprint of P's next steps overlaps a location reachable by an actor outside
P (goroutine or armed timer) or from a global: every sequence of steps
outside P then commutes with each of P's steps and leaves them enabled, so
exploring only P's steps keeps every deadlock, every goroutine blocked
forever and every panic (the cycle proviso in search.py keeps the ones that
need a step outside P to happen eventually). Only other actors' *reach* is
compared, never their next operation alone: a philosopher who can reach the
whole forks slice may lock any fork later and conflicts with every fork; one
holding `&forks[k]` and `&forks[k+1]` conflicts with those two only. P grows
from one goroutine by adding every actor that reaches a location in the
footprint so far; the smallest P found is used. (Whether an actor reaches a
location is first asked of the whole objects it reaches, which is cheap and
a superset; only when one of them is in the footprint is its location-wise
reach computed.)

Sleeps, branches on unknown values and other purely local operations touch
nothing, so a goroutine at one of them is a persistent set on its own; an
operation whose effects are not tracked (cancel, os.Exit, t.Run, a channel
from unmodelled code) touches everything and turns the reduction off in that
state. A select with a default case is disabled (its default) when a
partner parks on one of its channels, so it joins P when a member reaches
one of them.

A goroutine's purely local steps are already merged: model/exec.py runs
everything between two visible operations as one step.
"""

from __future__ import annotations

from gcheck.model import semantics as M
from gcheck.model import values as V
from gcheck.model.canon import _ATOMS_SET, _goroutine_refs, _refs, _walk
from gcheck.model import memo
from gcheck.model.memo import IdentityMemo
from gcheck.model.state import Frame, PendingOp

EVERYTHING = None  # the footprint of an operation that may affect every actor

_LOCAL_OPS = {"sleep", "yield", "choice", "concretize"}
_PTR_OPS = ("lock", "unlock", "rlock", "runlock", "wlock", "wlock2", "wunlock", "trylock",
             "wg.add", "wg.wait", "wg.wait2", "wg.go", "once.do", "shared", "observe")


# ---------------------------------------------------------------- references with paths


def _scan(v, ip: tuple, out: list) -> None:
    """Append (inner path, id, path) for each reference in v; inner path is
    where in v (fields and indices from its root) the reference sits, cut
    short at the first container that is not a struct or an array."""
    t = type(v)
    if t in _ATOMS_SET or isinstance(v, V.Unknown):
        return
    if t is V.Ptr:
        out.append((ip, v.id, v.path))
    elif t is V.Ref:
        out.append((ip, v.id, ()))
    elif t is V.SliceV:
        out.append((ip, v.arr, ()))
    elif t is V.StructV:
        for n, x in zip(v.layout.names, v.vals):
            _scan(x, ip + (n,), out)
    elif t is V.ArrayV or t is V.ArrObj:
        for i, x in enumerate(v.vals):
            _scan(x, ip + (i,), out)
    elif t is tuple:
        for x in v:
            _scan(x, ip, out)
    elif t is V.Tuple:
        _scan(v.vals, ip, out)
    elif t is V.Closure:
        _scan(v.caps, ip, out)
    elif t is V.BoundMethod:
        _scan(v.recv, ip, out)
    elif t is V.BuiltinFunc:
        _scan(v.bound, ip, out)
    elif t is V.NamedV or t is V.AtomicV:
        _scan(v.val, ip, out)
    elif t is V.ChanObj:
        _scan(v.buf, ip, out)
        _scan(v.zero, ip, out)
    elif t is V.SyncMapV:
        _scan(v.items, ip, out)
    elif t is V.MapObj:
        _scan(v.items, ip, out)
        _scan(v.zero, ip, out)
    elif t is V.CondObj:
        _scan(v.lock, ip, out)
    elif t is PendingOp:
        _scan(v.args, ip, out)
    elif t is Frame:
        _scan(v.slots, ip, out)
        _scan(v.caps, ip, out)
        _scan(v.defers, ip, out)
        _scan(v.extra, ip, out)
    else:  # timers, contexts, anything new: whole objects, as canonicalisation sees them
        _walk(v, lambda i: out.append((ip, i, ())))


def _locs_of(v) -> tuple:
    out: list = []
    _scan(v, (), out)
    t = tuple(out)
    return _SHARED_LOCS.setdefault(t, t)


_SHARED_LOCS = memo.table()  # each distinct tuple of locations once (frames keep theirs)


_locs_memo = IdentityMemo(_locs_of, slot="_locs", kinds=(Frame, PendingOp, V.ChanObj, V.ArrObj))


def _locs(v) -> tuple:
    """The (inner path, id, path) locations a value references directly."""
    t = type(v)
    if t in _ATOMS_SET:
        return ()
    if t is V.Ptr:
        return (((), v.id, v.path),)
    return _locs_memo(v)


def _reach(heap, roots, through: dict | None = None) -> dict:
    """Every location reachable from roots ((id, path) pairs): id -> set of paths
    (a path stands for itself and everything inside it). through, when given,
    gets the references of every heap object the walk went through: the
    result depends on nothing else."""
    reach: dict = {}
    stack: list = []
    for i, p in roots:
        _add(reach, stack, i, p)
    while stack:
        i, p = stack.pop()
        n = len(p)
        locs = _locs(heap[i])
        if through is not None:
            through[i] = locs
        for ip, j, q in locs:
            # the reference sits inside location p, or p is inside a container
            # the inner paths do not look into
            if ip[:n] == p or (len(ip) < n and p[:len(ip)] == ip):
                _add(reach, stack, j, q)
    return reach


def _add(reach: dict, stack: list, i: int, p: tuple) -> None:
    s = reach.get(i)
    if s is None:
        reach[i] = {p}
    elif () in s or p in s:
        return
    else:
        for k in range(1, len(p)):
            if p[:k] in s:
                return
        s.add(p)
    stack.append((i, p))


def _hits(touched, reach: dict) -> bool:
    """Does a location in touched overlap a location in reach?"""
    for i, p in touched:
        s = reach.get(i)
        if s:
            if () in s or p in s:
                return True
            n = len(p)
            for q in s:
                if (q[:n] == p) if len(q) > n else (p[:len(q)] == q):
                    return True
    return False


# ---------------------------------------------------------------- footprints


def _loc(v):
    t = type(v)
    if t is V.Ptr:
        return (v.id, v.path)
    if t is V.Ref:
        return (v.id, ())
    return None


def _touches(state, p):
    """The locations the pending operation p reads or changes (EVERYTHING: unknown)."""
    op = p.op
    if op == "sleep" and any(g.pending is not None and g.pending.op in ("send", "recv", "select")
                             and not g.pending.parked for g in state.gs):
        return EVERYTHING  # a completed sleep parks the goroutines waiting on channels
    if op in _LOCAL_OPS:
        return ()
    if op in ("send", "recv", "close"):
        ch = p.args[0]
        return ((ch.id, ()),) if type(ch) is V.Ref else (EVERYTHING if isinstance(ch, V.Unknown) else ())
    if op == "select":
        out = []
        for _, ch, _ in p.args[0]:
            if type(ch) is V.Ref:
                out.append((ch.id, ()))
            elif isinstance(ch, V.Unknown):
                return EVERYTHING
        return tuple(out)
    if op in _PTR_OPS:
        loc = _loc(p.args[0])
        return EVERYTHING if loc is None else (loc,)
    if op in ("cond.wait", "cond.wake", "cond.signal", "cond.broadcast"):
        cref = p.args[0]
        lock = _loc(state.heap[cref.id].lock)
        return EVERYTHING if lock is None else ((cref.id, ()), lock)
    if op in ("timer.stop", "timer.reset"):
        t = p.args[0].id
        return ((t, ()), (state.heap[t].chan, ()))
    return EVERYTHING  # cancel, exit, t.Run, anything new: no reduction


def _plain(timer) -> bool:
    """A timer that only sends on its channel (no AfterFunc, no context deadline)."""
    f = timer.func
    return f is None or (type(f) is V.BuiltinFunc and f.name in ("tick.keep", "tick.gc"))


# ---------------------------------------------------------------- persistent sets


def _reach_ids(heap, roots: set) -> set:
    """The heap objects reachable from roots, whole objects: a cheap superset
    of the objects in `_reach`, tried first."""
    seen = set(roots)
    stack = list(roots)
    while stack:
        i = stack.pop()
        for j in _refs(heap[i]):
            if j not in seen:
                seen.add(j)
                stack.append(j)
    return seen


class _Actor:
    """What one goroutine or timer holds. A goroutine's location-wise reach is
    kept on it (`_goroutine_reach`); another actor's is computed only when the
    objects it reaches meet a footprint."""

    __slots__ = ("holds", "roots", "ids", "_reach", "heap", "owner")

    def __init__(self, heap, holds: list, roots, owner=None):
        self.heap = heap
        self.holds = holds  # the objects it references directly: frames, pending op, panic
        self.roots = roots  # the heap ids those reference
        self.owner = owner  # the Goroutine, when the actor is one
        self.ids = None
        self._reach = None

    def hits(self, touched: list, ids: set) -> bool:
        reach = self._reach
        if reach is None:
            if self.owner is None:
                if self.ids is None:
                    self.ids = _reach_ids(self.heap, set(self.roots))
                if ids.isdisjoint(self.ids):
                    return False
                reach = self._reach = _reach(self.heap, self._root_locs())
            else:
                reach = self._reach = _goroutine_reach(self.owner, self.heap, self._root_locs)
        if ids.isdisjoint(reach.keys()):
            return False
        return _hits(touched, reach)

    def _root_locs(self) -> list:
        locs = []
        for v in self.holds:
            if type(v) is set:
                locs += [(i, ()) for i in v]
            else:
                locs += [(i, q) for _, i, q in _locs(v)]
        return locs


def _goroutine_reach(g, heap, root_locs) -> dict:
    """A goroutine's reach, kept on the goroutine (an immutable object shared by
    the states in which it has not moved) with the references of the heap
    objects it was found through; it holds in any state whose heap has objects
    with those references at those ids (a philosopher's reach survives its
    neighbours locking and unlocking forks: the forks change, their references
    do not)."""
    kept = getattr(g, "_reach", None)
    if kept is not None:
        through, reach = kept
        n = len(heap)
        for i, locs in through:
            if i >= n or _locs(heap[i]) != locs:
                break
        else:
            return reach
    through = {}
    roots = root_locs()
    reach = _reach(heap, roots, through)
    seen = tuple(through.items())
    kept = _SHARED_REACH.setdefault((tuple(roots), seen), (seen, reach))  # goroutines alike share one
    object.__setattr__(g, "_reach", kept)
    return kept[1]


_SHARED_REACH = memo.table()  # (roots, objects gone through) -> (objects gone through, reach)


def commute(state, t, u) -> bool:
    """Do steps t and u, both enabled in state, commute exactly: does t then u
    reach the very state u then t does (solver/diamonds.py)?

    Yes when their actors differ and the locations their visible operations
    touch do not overlap: a step changes nothing outside its footprint and its
    actors (its local code, in a data-race-free program, nothing another
    goroutine touches: reading a channel's state, `len(ch)`, is a visible
    operation of its own), and one goroutine arriving at an operation never
    disables another's step, with three exceptions kept out here: a select
    with a default case (a partner parking disables the default), a sleep (its
    end parks the goroutines waiting on channels) and a timer. Branches on
    symbolic values and unknown operations are kept out too (they extend the
    path condition, or may touch anything)."""
    if t.gid == M.TIMER or u.gid == M.TIMER:
        return False
    a, b = t.actors(), u.actors()
    if not set(a).isdisjoint(b):
        return False
    ta, tb = _footprint(state, a), _footprint(state, b)
    if ta is None or tb is None:
        return False
    for i, p in ta:
        for j, q in tb:
            if i == j and (p[:len(q)] == q if len(p) >= len(q) else q[:len(p)] == p):
                return False
    return True


def _footprint(state, gids) -> list | None:
    out = []
    for gid in gids:
        p = state.goroutine(gid).pending
        if p.op in _LOCAL_OPS or (p.op == "select" and p.args[1]):
            return None
        t = _touches(state, p)
        if t is EVERYTHING:
            return None
        out += t
    return out


MAX_STARTS = 256  # persistent sets grown per state, at most (each costs a pass over the actors)


def reduce(prog, state, steps: list) -> list:
    """A persistent subset of the enabled steps (all of them when none is smaller)."""
    if len(steps) <= 1:
        return steps
    heap = state.heap
    touches = {}  # actor key -> the footprint of its next step
    actors = {}  # actor key -> _Actor
    for g in state.gs:
        if g.pending is None:
            continue
        t = _touches(state, g.pending)
        if t is EVERYTHING:
            return steps  # someone's next step (cancel, os.Exit) may affect everybody
        touches[g.gid] = t
        holds = [g.pending, *g.frames]
        if g.panic is not None:
            holds.append(g.panic)  # the panic value may point into the heap (recover)
        actors[g.gid] = _Actor(heap, holds, _goroutine_refs(g), g)
    for i, obj in enumerate(heap):
        if type(obj) is V.TimerObj and obj.armed:
            if not _plain(obj):
                return steps  # an AfterFunc or a context deadline: may affect anyone
            touches[("timer", i)] = ((i, ()), (obj.chan, ()))
            actors[("timer", i)] = _Actor(heap, [{i, obj.chan}], (i, obj.chan))
    glob = _Actor(heap, list(state.globals), _refs(state.globals))
    # A select with a default takes it only while no partner is parked on its
    # channels: any step that ends with a goroutine parking there (its local
    # code runs on to a new operation) disables that default.
    pollers = {g.gid: (touches[g.gid], {i for i, _ in touches[g.gid]}) for g in state.gs
               if g.pending is not None and g.pending.op == "select" and g.pending.args[1]}

    def key_of(st):
        return ("timer", st.target) if st.gid == M.TIMER else st.gid

    best = None
    tried = set()  # footprints already grown from: a start with the same one grows the same set
    for start in sorted({key_of(st) for st in steps}, key=repr):
        foot = tuple(touches[start])
        if foot in tried and not pollers:
            continue  # (3,000 goroutines sending on one channel: one growth, not 3,000)
        tried.add(foot)
        if len(tried) > MAX_STARTS:
            break  # the smallest set among these is still persistent, maybe not the smallest
        members = {start}
        touched = list(touches[start])
        ids = {i for i, _ in touched}
        ok = True
        grown = True
        while grown:
            grown = False
            if glob.hits(touched, ids):
                ok = False
                break
            for k, a in actors.items():
                if k not in members and a.hits(touched, ids):
                    members.add(k)
                    touched += touches[k]
                    ids.update(i for i, _ in touches[k])
                    grown = True
            for q, (chans, cids) in pollers.items():
                if q not in members and any(actors[m].hits(chans, cids) for m in members):
                    members.add(q)
                    touched += chans
                    ids |= cids
                    grown = True
        if not ok:
            continue
        subset = [st for st in steps if key_of(st) in members and (not st.partner or st.partner in members)]
        if subset and (best is None or len(subset) < len(best)):
            best = subset
            if len(best) == 1:
                break
    return best if best is not None else steps
