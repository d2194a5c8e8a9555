"""Runtime values of the modelled Go program.

Everything here is immutable and hashable, so that a whole program state can be
a dict key. Go's value semantics fall out of that: a struct is a StructV tuple
that is copied by assignment; the sync primitives (Mutex, RWMutex, WaitGroup,
Once) are values too, living inside whatever variable or field holds them, so
copying a struct copies its mutex exactly as Go does.

Reference-like things (channels, maps, slices' backing arrays, pointers,
contexts, timers, conds) point into the heap by integer id: `Ref(id)` for
handles, `Ptr(id, path)` for pointers into a cell's value (path walks fields
and array indices, so `&s.mu` is `Ptr(cell_of_s, ("mu",))`).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields


def cached_hash(cls):
    """Cache the hash of a frozen slotted dataclass in its `_h` field.

    States are dict keys and share most of their parts with their parent
    state: hashing a state then costs one look at each part's cached hash
    instead of a walk of the whole tree. Equality is by the same fields, and
    two parts whose hashes are both known and differ are unequal at once.
    A pickled object forgets its hash (string hashes differ per process).
    """
    names = tuple(f.name for f in fields(cls) if f.compare)
    key = operator.attrgetter(*names)

    def __hash__(self):
        h = self._h
        if h:
            return h
        h = hash(key(self)) or 1
        object.__setattr__(self, "_h", h)
        return h

    def __eq__(self, other):
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        a = self._h
        if a:
            b = other._h
            if b and a != b:
                return False
        return key(self) == key(other)

    def __getstate__(self):
        return [0 if f.name == "_h" else getattr(self, f.name) for f in fields(self)]

    cls.__hash__ = __hash__
    cls.__eq__ = __eq__
    cls.__getstate__ = __getstate__
    return cls


def hash_slot():
    """The `_h` field of a cached_hash class (last field; not compared, not in __init__)."""
    return field(default=0, init=False, repr=False, compare=False)


class Unknown:
    """A value gcheck cannot know (an unmodelled call's result, a parameter).

    A branch on it explores both sides; arithmetic on it stays unknown.
    `label` names where it came from, for notes and traces.
    """

    __slots__ = ("label",)

    def __init__(self, label: str = "?"):
        self.label = label

    def __eq__(self, other):
        return type(other) is Unknown

    def __hash__(self):
        return 0x5EED

    def __repr__(self):
        return f"unknown({self.label})"


UNKNOWN = Unknown()


@dataclass(frozen=True, slots=True)
class Ref:
    """A handle on a heap object (channel, map, array, timer, context, cond)."""

    id: int


@dataclass(frozen=True, slots=True)
class Ptr:
    """A pointer: heap cell `id`, then `path` (field names / int indices) into its value."""

    id: int
    path: tuple = ()


class Layout:
    """Field names of one struct type, interned (one per type), compared by identity."""

    __slots__ = ("tname", "names", "embedded", "index")

    def __init__(self, tname: str | None, names: tuple[str, ...], embedded: tuple[bool, ...]):
        self.tname = tname
        self.names = names
        self.embedded = embedded
        self.index = {n: i for i, n in enumerate(names)}

    def __repr__(self):
        return f"Layout({self.tname})"


@cached_hash
@dataclass(frozen=True, slots=True)
class StructV:
    layout: Layout
    vals: tuple
    _h: int = hash_slot()

    def get(self, name: str):
        return self.vals[self.layout.index[name]]

    def with_field(self, name: str, value) -> "StructV":
        i = self.layout.index[name]
        return StructV(self.layout, self.vals[:i] + (value,) + self.vals[i + 1 :])


@cached_hash
@dataclass(frozen=True, slots=True)
class ArrayV:
    """A Go array value ([N]T): copied on assignment, unlike a slice."""

    vals: tuple
    _h: int = hash_slot()


@dataclass(frozen=True, slots=True)
class SliceV:
    """A slice header: backing array `arr` (heap id of an ArrObj), offset, len, cap."""

    arr: int
    off: int
    len: int
    cap: int


@cached_hash
@dataclass(frozen=True, slots=True)
class NamedV:
    """A value of a named non-struct type that has methods (type Celsius float64)."""

    tname: str
    val: object
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class Closure:
    """A func value: IR function index plus the cells of its captured variables."""

    fn: int
    caps: tuple = ()
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class BoundMethod:
    """A method value `x.M`: the function and its already-evaluated receiver."""

    fn: int
    recv: object
    _h: int = hash_slot()


@dataclass(frozen=True, slots=True)
class BuiltinFunc:
    """A func value backed by the model: `wg.Done`, a context's cancel, `close`..."""

    name: str
    bound: tuple = ()


@dataclass(frozen=True, slots=True)
class Opaque:
    """A value of a type gcheck does not model (an *os.File, a bytes.Buffer)."""

    type: str


@dataclass(frozen=True, slots=True)
class Tuple:
    """Several results of one call, before they are spread over the left-hand side."""

    vals: tuple


# ---------------------------------------------------------------- sync values


@dataclass(frozen=True, slots=True)
class MutexV:
    locked: bool = False
    holder: int = 0  # the goroutine that locked it (for traces; any goroutine may unlock)


@dataclass(frozen=True, slots=True)
class RWMutexV:
    """Go's RWMutex: `writer` is 0 free, 1 a writer announced (waiting for readers), 2 held.

    Once a writer has announced itself new readers block, exactly as
    sync.RWMutex's readerCount trick makes them.
    """

    readers: int = 0
    writer: int = 0
    holder: int = 0  # the goroutine holding the write lock


@dataclass(frozen=True, slots=True)
class WaitGroupV:
    """count: the counter; waiters: goroutines parked in Wait; woken: waiters
    released when the counter reached zero that have not returned yet (an Add
    before they do makes their Wait panic: the WaitGroup was reused)."""

    count: int = 0
    waiters: tuple = ()
    woken: tuple = ()


@dataclass(frozen=True, slots=True)
class OnceV:
    """state 0: not run; 1: running (a second Do blocks); 2: done."""

    state: int = 0


@dataclass(frozen=True, slots=True)
class AtomicV:
    """A sync/atomic typed value (atomic.Int64, atomic.Bool, atomic.Value, atomic.Pointer)."""

    val: object = None


@cached_hash
@dataclass(frozen=True, slots=True)
class SyncMapV:
    """A sync.Map: its entries in insertion order."""

    items: tuple = ()
    _h: int = hash_slot()

    def lookup(self, key):
        for k, v in self.items:
            if k == key:
                return True, v
        return False, None

    def store(self, key, value) -> "SyncMapV":
        return SyncMapV(tuple((k, v) for k, v in self.items if k != key) + ((key, value),))

    def delete(self, key) -> "SyncMapV":
        return SyncMapV(tuple((k, v) for k, v in self.items if k != key))


# ---------------------------------------------------------------- heap objects


class HeapFacts:
    """What the model computes once about a heap object, kept on it so that it dies
    with it (model/memo.py; as state._FrameFacts): _refs, the heap ids it references
    (canon); _gids, whether it stores goroutine ids (symmetry); _locs, the locations
    it references (por); _plain, whether an array holds only atoms (canon). Plain slots,
    unset until computed: not compared or pickled."""

    __slots__ = ("_refs", "_gids", "_locs", "_plain")


@cached_hash
@dataclass(frozen=True, slots=True)
class ChanObj(HeapFacts):
    cap: int
    buf: tuple
    closed: bool
    zero: object
    timer: bool = False  # a timer's or ticker's C: fired values are dropped when full
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class ArrObj(HeapFacts):
    """The backing array of slices."""

    vals: tuple
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class MapObj:
    """A map; items keep insertion order (Go randomises it; see the README's notes)."""

    items: tuple  # ((key, value), ...)
    zero: object
    _h: int = hash_slot()

    def lookup(self, key):
        for k, v in self.items:
            if k == key:
                return True, v
        return False, self.zero

    def store(self, key, value) -> "MapObj":
        items = [(k, v) for k, v in self.items if k != key]
        for i, (k, _) in enumerate(self.items):
            if k == key:
                new = list(self.items)
                new[i] = (key, value)
                return MapObj(tuple(new), self.zero)
        items.append((key, value))
        return MapObj(tuple(items), self.zero)

    def delete(self, key) -> "MapObj":
        return MapObj(tuple((k, v) for k, v in self.items if k != key), self.zero)


@dataclass(frozen=True, slots=True)
class TimerObj:
    """time.Timer / time.Ticker: `chan` is its C; armed timers may fire at any later point."""

    chan: int
    armed: bool
    periodic: bool
    func: object = None  # time.AfterFunc callback (runs in a new goroutine)
    pos: object = None  # where it was created, for reports


@cached_hash
@dataclass(frozen=True, slots=True)
class CtxObj:
    """A context: its Done channel (None for Background), parent, children, error."""

    done: int | None
    parent: int | None
    children: tuple
    err: object  # None, "canceled" or "deadline"
    timer: int | None = None
    values: tuple = ()
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class CondObj:
    """sync.Cond: L is the locker (a pointer); waiters are goroutine ids in FIFO order."""

    lock: object
    waiters: tuple = ()
    signalled: tuple = ()
    _h: int = hash_slot()
