"""A mutable working copy of a State, used for the duration of one step.

The explorer thaws a State into a World, the step mutates it (heap cells,
goroutines, new goroutines), and `freeze` canonicalises it back into a State.
Pointer loads and stores live here because they are what every layer needs.
"""

from __future__ import annotations

from gcheck.model import symmetry
from gcheck.model import values as V
from gcheck.model.canon import ATOMS, canonicalize
from gcheck.model.state import Crash, Goroutine, State


class GoPanic(Exception):
    """Raised by compiled expressions and builtins for a Go runtime panic."""

    def __init__(self, check: str, message: str, value=None):
        super().__init__(message)
        self.check = check
        self.message = message
        self.value = value if value is not None else message


class Infeasible(Exception):
    """The step's path condition became unsatisfiable: the step cannot happen."""


class World:
    __slots__ = ("prog", "heap", "globals", "gs", "next_gid", "entry_done", "crash",
                 "exited", "events", "cut", "notes", "go_version", "spawned", "limits",
                 "solver", "pc", "syms", "observing", "trail", "renumbered", "live")

    def __init__(self, prog, state: State, notes: dict, limits, solver=None):
        self.prog = prog
        self.heap = list(state.heap)
        self.globals = state.globals
        self.gs = {g.gid: g for g in state.gs}
        self.next_gid = state.next_gid
        self.entry_done = state.entry_done
        self.crash: Crash | None = state.crash
        self.exited = state.exited
        self.events: list[str] = []
        self.cut = state.cut
        self.notes = notes
        self.go_version = prog.go_version
        self.spawned: list[int] = []
        self.limits = limits
        self.solver = solver  # solver/smt.Solver, for branches on symbolic values
        self.pc = state.pc
        self.syms = dict(state.syms)
        self.trail = state.trail  # constraints on symbols no longer live: kept for witnesses
        self.observing: set = set()  # channels whose len() the running goroutine may read now
        self.renumbered = True  # did freeze move or drop heap objects (unknown until it ran)
        self.live: list[int] = []  # heap ids of arrays stored into in place during this step

    # ------------------------------------------------------------ heap

    def alloc(self, obj) -> int:
        self.heap.append(obj)
        return len(self.heap) - 1

    def new_cell(self, value) -> V.Ptr:
        return V.Ptr(self.alloc(value), ())

    def load(self, p):
        if type(p) is not V.Ptr:
            raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")
        v = self.heap[p.id]
        for step in p.path:
            v = _get(v, step)
        return v

    def store(self, p, value) -> None:
        if type(p) is not V.Ptr:
            raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")
        obj = self.heap[p.id]
        path = p.path
        if path and (type(obj) is LiveArr or (type(obj) is V.ArrObj and len(obj.vals) >= LIVE_MIN)):
            # an element of a backing array: changed in place until the step ends, not
            # copied whole by every store (a loop filling 10,000 elements made 10^8 copies)
            live = self.thaw(p.id)
            k = path[0]
            if len(path) > 1:
                live.vals[k] = _put(live.vals[k], path[1:], value)
                live.plain = None
            else:
                live.set(k, (value,))
            return
        self.heap[p.id] = _put(obj, path, value)

    def thaw(self, i: int) -> "LiveArr":
        """The backing array at heap id i, to change in place until the step ends."""
        obj = self.heap[i]
        if type(obj) is not LiveArr:
            obj = self.heap[i] = LiveArr(list(obj.vals), getattr(obj, "_plain", None))
            self.live.append(i)
        return obj

    def note(self, pos, text: str) -> None:
        """Record that a construct was abstracted (reported once per construct)."""
        key = (text, pos.file, pos.line) if pos is not None else (text, "", 0)
        self.notes.setdefault(key, (pos, text))

    # ------------------------------------------------------------ goroutines

    def freeze(self) -> State:
        for i in self.live:
            live = self.heap[i]
            if type(live) is LiveArr:
                arr = self.heap[i] = V.ArrObj(tuple(live.vals))
                if live.plain is not None:
                    object.__setattr__(arr, "_plain", live.plain)  # canon need not look again
        self.live.clear()
        gs = [self.gs[k] for k in sorted(self.gs)]
        # with symmetry reduction the heap is numbered walking goroutines in the
        # canonical order of model/symmetry.py: renamed twins then number it alike
        symmetric = len(gs) > 1 and getattr(self.limits, "symmetry", False)
        walk = symmetry.order(gs, self.limits.twins) if symmetric else gs
        heap, globals_, gs2, pc, syms, lost, retired, self.renumbered = canonicalize(
            self.heap, self.globals, walk, self.pc, tuple(sorted(self.syms.items())), len(self.trail))
        walked = ()
        if symmetric:
            walked = tuple(g.gid for g in gs2)
            gs2 = tuple(sorted(gs2, key=_gid))
        return State(gs2, heap, globals_, self.next_gid, self.entry_done, self.crash,
                     self.exited, self.cut, pc, syms, lost, self.trail + retired, walked)

    # ------------------------------------------------------------ symbols

    def fresh(self, site: str, sort: str = "any"):
        """A new symbol for a value made at `site` (an unmodelled call's result)."""
        from gcheck.model.symbolic import Sym

        k = self.syms.get(site, 0)
        self.syms[site] = k + 1
        return Sym(("var", f"{site}#{k}", sort))

    def assume(self, term) -> None:
        """Add a constraint to the path condition."""
        if term is True:
            return
        self.pc = self.pc + (term,)

    def feasible(self, term) -> bool:
        if self.solver is None:
            return True
        return self.solver.feasible(self.pc + (term,))

    def put(self, g: Goroutine) -> None:
        self.gs[g.gid] = g


class LiveArr:
    """A backing array being stored into during one step: a list, changed in place.
    World.freeze makes it an ArrObj again; nothing outside the step sees it. Reads
    go through `.vals` as for an ArrObj."""

    __slots__ = ("vals", "plain")

    def __init__(self, vals: list, plain: bool | None):
        self.vals = vals
        self.plain = plain  # only atoms in it (canon._plain), when known

    def set(self, k: int, items) -> None:
        """Put items at k, k+1, ..."""
        self.vals[k:k + len(items)] = items
        if self.plain and any(type(x) not in ATOMS for x in items):
            self.plain = False


LIVE_MIN = 64  # shorter arrays are copied by each store: cheaper than thawing and freezing


def _get(v, step):
    t = type(v)
    if t is V.StructV:
        return v.get(step)
    if t is V.ArrayV or t is V.ArrObj or t is LiveArr:
        return v.vals[step]
    if v is None:
        raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")
    raise GoPanic("model", f"cannot select {step!r} in {type(v).__name__}")


def _put(v, path, value):
    if not path:
        return value
    step, rest = path[0], path[1:]
    t = type(v)
    if t is V.StructV:
        return v.with_field(step, _put(v.get(step), rest, value))
    if t is V.ArrayV or t is V.ArrObj:
        vals = list(v.vals)
        vals[step] = _put(vals[step], rest, value)
        return t(tuple(vals))
    raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")


def _gid(g: Goroutine) -> int:
    return g.gid
