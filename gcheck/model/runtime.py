"""The operations compiled expressions call: arithmetic, fields, indexing,
method dispatch, append, len/cap, type tests.

Unknown operands give unknown results; Go runtime errors raise GoPanic with
the runtime's own message so that traces read like Go's.
"""

from __future__ import annotations

import operator

from gcheck.model import symbolic as S
from gcheck.model import values as V
from gcheck.model.canon import ATOMS
from gcheck.model.world import GoPanic, World

U = V.Unknown

# ---------------------------------------------------------------- places
# A place is a Ptr (heap) or a LocalPlace (a slot of the running frame).


class LocalPlace(tuple):
    """(slot, path): a location inside an unboxed local variable."""

    __slots__ = ()


class UnknownPlace:
    """A location inside a value gcheck does not know: reads are unknown, writes vanish."""

    __slots__ = ()


UNKNOWN_PLACE = UnknownPlace()


def place_load(c, pl):
    if pl is UNKNOWN_PLACE:
        return V.UNKNOWN
    if type(pl) is LocalPlace:
        v = c.s[pl[0]]
        for step in pl[1]:
            v = v.get(step) if type(v) is V.StructV else v.vals[step]
        return v
    if type(pl) is MapPlace:
        if pl[0] is None:
            return V.UNKNOWN  # a nil map's element read through a place: its zero is not known here
        return c.w.heap[pl[0].id].lookup(pl[1])[1]
    return c.w.load(pl)


def place_store(c, pl, value) -> None:
    t = type(pl)
    if pl is UNKNOWN_PLACE:
        return
    if t is LocalPlace:
        from gcheck.model.world import _put

        c.s[pl[0]] = _put(c.s[pl[0]], pl[1], value)
    elif t is MapPlace:
        m, key = pl
        if m is None:
            raise GoPanic("nil-map", "assignment to entry in nil map")
        c.w.heap[m.id] = c.w.heap[m.id].store(key, value)
    else:
        c.w.store(pl, value)


class MapPlace(tuple):
    """(map ref, key): m[k] as an assignment target."""

    __slots__ = ()


def _extend(pl, path: tuple):
    if type(pl) is LocalPlace:
        return LocalPlace((pl[0], pl[1] + path))
    return V.Ptr(pl.id, pl.path + path)


def place_field(c, pl, name: str):
    if pl is UNKNOWN_PLACE:
        return pl
    v = place_load(c, pl)
    if type(v) is V.Ptr:
        return place_field(c, v, name)
    if type(v) is V.StructV:
        path = field_path(c.w, v, name)
        if path is None:
            raise GoPanic("model", f"no field {name}")
        pl2 = pl
        for i, step in enumerate(path):
            sub = place_load(c, _extend(pl2, (step,)))
            if type(sub) is V.Ptr and i < len(path) - 1:
                pl2 = sub
            else:
                pl2 = _extend(pl2, (step,))
        return pl2
    if v is None:
        raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")
    if isinstance(v, U) or type(v) is V.Opaque:
        return UNKNOWN_PLACE
    raise GoPanic("model", f"field {name} of {type(v).__name__}")


def place_index(c, pl, idx):
    if pl is UNKNOWN_PLACE:
        return pl
    idx = _unwrap(idx)  # a[Monday]: an index of a named integer type
    v = place_load(c, pl)
    if type(v) is V.NamedV and type(v.val) is not V.ArrayV:
        v = v.val  # a named slice or map type's value: its elements live in the heap
    t = type(v)
    if v is None and type(idx) is not int and not isinstance(idx, U):
        return MapPlace((None, idx))  # a nil map (only maps take such keys): a write panics
    if t is V.SliceV or v is None:
        return slice_elem_ptr(v, idx)
    if t is V.ArrayV:
        _check_index(idx, len(v.vals))
        return _extend(pl, (idx,))
    if t is V.Ref and type(c.w.heap[v.id]) is V.MapObj:
        return MapPlace((v, idx))
    if t is V.Ptr:  # pointer to array
        return place_index(c, v, idx)
    if isinstance(v, U) or type(v) is V.Opaque or isinstance(idx, U):
        return UNKNOWN_PLACE
    raise GoPanic("model", f"index into {t.__name__}")


def map_place(m, key):
    return MapPlace((m, key))


def slice_elem_ptr(s, idx):
    if isinstance(idx, U):
        raise GoPanic("model", "unknown index")
    if s is None:
        raise GoPanic("index", f"index out of range [{idx}] with length 0")
    _check_index(idx, s.len)
    return V.Ptr(s.arr, (s.off + idx,))


def _check_index(idx, n):
    if type(idx) is not int:
        raise GoPanic("model", "an index gcheck does not know")
    if not (0 <= idx < n):
        raise GoPanic("index", f"index out of range [{idx}] with length {n}")


# ---------------------------------------------------------------- fields


def field_path(w: World, v: V.StructV, name: str):
    """The path to field `name` in struct v, through embedded fields (promotion)."""
    lay = v.layout
    if name in lay.index:
        return (name,)
    for fname, emb in zip(lay.names, lay.embedded):
        if not emb:
            continue
        sub = v.get(fname)
        if type(sub) is V.Ptr:
            try:
                sub = w.load(sub)
            except GoPanic:
                continue
        if type(sub) is V.StructV:
            rest = field_path(w, sub, name)
            if rest is not None:
                return (fname,) + rest
    return None


def field(w: World, v, name: str):
    t = type(v)
    if t is V.Ptr:
        v = w.load(v)
        t = type(v)
    if t is V.StructV:
        path = field_path(w, v, name)
        if path is None:
            return V.UNKNOWN
        for step in path:
            if type(v) is V.Ptr:
                v = w.load(v)
            v = v.get(step)
        return v
    if t is V.Ref:
        obj = w.heap[v.id]
        if type(obj) is V.TimerObj and name == "C":
            return V.Ref(obj.chan)
        if type(obj) is V.CondObj and name == "L":
            return obj.lock
    if v is None:
        raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")
    return V.UNKNOWN


# ---------------------------------------------------------------- methods

_SYNC_TYPES = {V.MutexV: "Mutex", V.RWMutexV: "RWMutex", V.WaitGroupV: "WaitGroup", V.OnceV: "Once",
               V.SyncMapV: "Map", V.AtomicV: "Atomic"}


def method(w: World, prog, v, ptr, name: str):
    """Resolve `x.name` to a func value: the program's method (with promotion
    through embedded fields), a modelled sync/context/time method, or unknown."""
    if type(v) is V.Ptr:
        ptr = v
        try:
            v = w.load(v)
        except GoPanic:
            v = None
    t = type(v)
    if t is V.StructV:
        found = _find_method(w, prog, v, ptr, name)
        if found is not None:
            return found
        return V.BuiltinFunc(f"{v.layout.tname}.{name}")
    if t in _SYNC_TYPES:
        if ptr is None:
            ptr = w.new_cell(v)
        return V.BuiltinFunc(f"{_SYNC_TYPES[t]}.{name}", (ptr,))
    if t is V.NamedV:
        m = prog.methods.get(v.tname, {}).get(name)
        if m is not None:
            return V.BoundMethod(m[0], ptr if (m[1] and ptr is not None) else v)
        if v.tname == "error" and name == "Error":
            return V.BuiltinFunc("error.Error", (v,))
    if t is V.Ref:
        obj = w.heap[v.id]
        kind = type(obj)
        if kind is V.TimerObj:
            return V.BuiltinFunc(f"Timer.{name}", (v,))
        if kind is V.CtxObj:
            return V.BuiltinFunc(f"ctx.{name}", (v,))
        if kind is V.CondObj:
            return V.BuiltinFunc(f"Cond.{name}", (v,))
    if t is V.Opaque:
        return V.BuiltinFunc(f"{v.type.split('.')[-1]}.{name}", (v,))
    if t is V.BuiltinFunc and v.name == "ctx.cancel":
        return v
    if v is None:
        return _nil_receiver(prog, name)
    if isinstance(v, U):
        return V.BuiltinFunc(f"(unknown).{name}")
    # A named non-struct type whose values gcheck does not tag: resolve by name when unique.
    owners = [m for m in prog.methods.values() if name in m]
    if len(owners) == 1:
        fn, is_ptr = owners[0][name]
        return V.BoundMethod(fn, ptr if (is_ptr and ptr is not None) else v)
    return V.BuiltinFunc(f"?.{name}")


def _nil_receiver(prog, name):
    owners = [m for m in prog.methods.values() if name in m and m[name][1]]
    if len(owners) == 1:  # a pointer method called on a nil pointer runs (and may panic inside)
        return V.BoundMethod(owners[0][name][0], None)
    raise GoPanic("nil-dereference", "invalid memory address or nil pointer dereference")


def _find_method(w, prog, v: V.StructV, ptr, name):
    tname = v.layout.tname
    m = prog.methods.get(tname, {}).get(name)
    if m is not None:
        fn, is_ptr = m
        if is_ptr:
            return V.BoundMethod(fn, ptr if ptr is not None else w.new_cell(v))
        return V.BoundMethod(fn, v)
    for fname, emb in zip(v.layout.names, v.layout.embedded):
        if not emb:
            continue
        sub = v.get(fname)
        subptr = V.Ptr(ptr.id, ptr.path + (fname,)) if ptr is not None else None
        if type(sub) is V.Ptr:
            subptr = sub
            try:
                sub = w.load(sub)
            except GoPanic:
                continue
        if type(sub) is V.StructV:
            found = _find_method(w, prog, sub, subptr, name)
            if found is not None:
                return found
        elif type(sub) in _SYNC_TYPES:
            if subptr is None:
                subptr = w.new_cell(sub)
            return V.BuiltinFunc(f"{_SYNC_TYPES[type(sub)]}.{name}", (subptr,))
        elif sub is not None and not isinstance(sub, U):
            r = method(w, prog, sub, subptr, name)
            if not (type(r) is V.BuiltinFunc and r.name.startswith(("?.", "(unknown)"))):
                return r
    return None


# ---------------------------------------------------------------- arithmetic

_BIN = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "%": None, "/": None,
    "&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
    ">>": operator.rshift, "&^": lambda a, b: a & ~b,
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def binop(op: str, a, b):
    if type(a) is S.Sym or type(b) is S.Sym:
        r = S.binary(op, _unwrap(a), _unwrap(b))
        return r if r is not None else V.UNKNOWN
    if op == "==":
        if isinstance(a, U) or isinstance(b, U):
            return V.UNKNOWN
        return _unwrap(a) == _unwrap(b)
    if op == "!=":
        if isinstance(a, U) or isinstance(b, U):
            return V.UNKNOWN
        return _unwrap(a) != _unwrap(b)
    a, b = _unwrap(a), _unwrap(b)
    if isinstance(a, U) or isinstance(b, U) or type(a) in OPAQUE or type(b) in OPAQUE:
        return V.UNKNOWN
    if op == "/":
        if b == 0:
            raise GoPanic("divide", "integer divide by zero")
        if isinstance(a, int) and isinstance(b, int):
            q = abs(a) // abs(b)
            return q if (a >= 0) == (b >= 0) else -q
        return a / b
    if op == "%":
        if b == 0:
            raise GoPanic("divide", "integer divide by zero")
        r = abs(a) % abs(b)
        return r if a >= 0 else -r
    if (op == "<<" or op == ">>") and type(b) is int and type(a) is int:
        if b < 0:
            raise GoPanic("shift", "negative shift amount")
        if b >= 64:
            # no Go integer is wider than 64 bits: every bit is shifted out (Python
            # would build a number of b bits: 1 << (1 << 40) is a MemoryError)
            return 0 if op == "<<" or a >= 0 else -1
    try:
        return _BIN[op](a, b)
    except TypeError:
        return V.UNKNOWN


# A package member gcheck does not know (utf8.UTFMax, os.Args) is a BuiltinFunc, as
# it cannot tell a function from a variable or constant: used as a number, it is unknown.
OPAQUE = (V.Opaque, V.BuiltinFunc)


def _unwrap(v):
    return v.val if type(v) is V.NamedV and v.tname != "error" else v


def unop(op: str, a):
    if type(a) is S.Sym:
        if op == "-":
            return S.Sym(("neg", a.t))
        if op == "!":
            return S.Sym(S.negate(S.as_bool(a.t)))
        return a if op == "+" else V.UNKNOWN
    if isinstance(a, U):
        return V.UNKNOWN
    a = _unwrap(a)
    if op == "-":
        return -a if isinstance(a, (int, float)) else V.UNKNOWN
    if op == "+":
        return a
    if op == "!":
        return (not a) if isinstance(a, bool) else V.UNKNOWN
    if op == "^":
        return ~a if isinstance(a, int) else V.UNKNOWN
    return V.UNKNOWN


def truth(v):
    """A condition's value: True, False, or unknown."""
    if v is True or v is False:
        return v
    if type(v) is S.Sym:
        return S.Sym(S.as_bool(v.t))
    return V.UNKNOWN


class Observe(Exception):
    """Local code reads a channel's state (len(ch)): that read is ordered with the
    other goroutines' operations on the channel, so it becomes a visible step."""

    def __init__(self, chan_id: int, what: str = "len"):
        super().__init__("observes a channel")
        self.chan_id = chan_id
        self.what = what


class NeedConcrete(Exception):
    """An operation needs a concrete int (a channel capacity, a WaitGroup delta)
    where it has a symbol: the explorer forks over its feasible values."""

    def __init__(self, term):
        super().__init__("needs a concrete value")
        self.term = term


def concrete(w: World, v):
    """v as a concrete int: a symbol pinned by the path condition, else NeedConcrete."""
    if type(v) is S.Sym:
        k = S.fixed_value(w.pc, v.t)
        if k is None:
            raise NeedConcrete(v.t)
        return k
    return v


# ---------------------------------------------------------------- builtins


def length(w: World, v):
    t = type(v)
    if v is None:
        return 0
    if t is S.SymSlice:
        return v.length
    if t is str:
        return len(v.encode())
    if t is V.SliceV:
        return v.len
    if t is V.ArrayV:
        return len(v.vals)
    if t is V.Ref:
        obj = w.heap[v.id]
        if type(obj) is V.MapObj:
            return len(obj.items)
        if type(obj) is V.ChanObj:
            if obj.timer and w.go_version >= (1, 23):
                return 0  # Go 1.23: a timer's channel is unbuffered (len and cap are 0)
            if v.id not in w.observing:
                raise Observe(v.id)  # reading a channel's length is a visible step
            return len(obj.buf)
    if t is V.Ptr:
        return length(w, w.load(v))
    if t is V.NamedV:
        return length(w, v.val)
    return V.UNKNOWN


def capacity(w: World, v):
    v = _unwrap(v)
    t = type(v)
    if v is None:
        return 0
    if t is V.SliceV:
        return v.cap
    if t is V.ArrayV:
        return len(v.vals)
    if t is V.Ref and type(w.heap[v.id]) is V.ChanObj:
        c = w.heap[v.id]
        return 0 if c.timer and w.go_version >= (1, 23) else c.cap
    return V.UNKNOWN


MAX_ELEMENTS = 1 << 20
"""The longest array gcheck models element by element. A backing array is a
tuple, and every store into it copies the tuple: a 128 MiB buffer took 18 s and
3 GB for one store. A longer slice or array is an unknown value, with a note
(lower/calls.py: _make_slice; lower/__init__.py: _array_len)."""


def make_slice(w: World, zero, n, m=None):
    if m is None:
        m = n
    n, m = _as_int(n), _as_int(m)
    if isinstance(n, U) or isinstance(m, U):
        return V.UNKNOWN
    if n < 0 or m < n:
        raise GoPanic("index", "makeslice: len out of range")
    obj = V.ArrObj((zero,) * m)
    object.__setattr__(obj, "_plain", type(zero) in ATOMS)  # canon._plain, known without a scan
    return V.SliceV(w.alloc(obj), 0, n, m)


def _as_int(v):
    if type(v) is V.NamedV:
        v = v.val
    if type(v) in OPAQUE:
        return V.UNKNOWN
    if type(v) is float and v.is_integer():
        return int(v)
    if type(v) is float:
        return V.UNKNOWN
    return v


def slice_lit(w: World, vals: tuple):
    return V.SliceV(w.alloc(V.ArrObj(tuple(vals))), 0, len(vals), len(vals))


def slice_items(w: World, s) -> tuple:
    if s is None:
        return ()
    if type(s) is V.SliceV:
        items = w.heap[s.arr].vals[s.off:s.off + s.len]
        return items if type(items) is tuple else tuple(items)  # (an array stored into this step is a list)
    if type(s) is V.ArrayV:
        return s.vals
    if type(s) is V.NamedV:
        return slice_items(w, s.val)
    return None


def append(w: World, s, items: tuple, pos=None):
    if isinstance(s, U) or type(s) in OPAQUE:
        return V.UNKNOWN
    if type(s) is V.NamedV:
        return V.NamedV(s.tname, append(w, s.val, items, pos))
    n = len(items)
    if s is None:
        if n == 0:
            return None
        return slice_lit(w, items)
    if type(s) is str:  # append([]byte(str), ...) on an untracked string
        return V.UNKNOWN
    if type(s) is not V.SliceV:
        raise GoPanic("model", f"append to a {type(s).__name__} value")
    if s.len + n <= s.cap:
        w.thaw(s.arr).set(s.off + s.len, items)  # in place until the step ends (world.LiveArr)
        return V.SliceV(s.arr, s.off, s.len + n, s.cap)
    old = slice_items(w, s)
    cap = max(2 * s.cap, s.len + n)
    if cap > MAX_ELEMENTS:
        w.note(pos, f"append grows a slice past {MAX_ELEMENTS:,} elements, more than gcheck models: "
                    "the slice is an unknown value")
        return V.UNKNOWN
    vals = old + tuple(items)
    vals = vals + (None,) * (cap - len(vals))  # spare capacity: never read before written
    return V.SliceV(w.alloc(V.ArrObj(vals)), 0, s.len + n, cap)


def reslice(w: World, v, lo, hi, mx, pos=None):
    if isinstance(v, U) or isinstance(lo, U) or isinstance(hi, U) or isinstance(mx, U) or type(v) in OPAQUE:
        return V.UNKNOWN
    # (a symbolic bound is an Unknown: the slice is unknown, above)
    lo, hi, mx = (_unwrap(x) for x in (lo, hi, mx))
    if any(x is not None and type(x) is not int for x in (lo, hi, mx)):
        raise GoPanic("model", "a slice bound gcheck does not know")
    if type(v) is str:
        lo = 0 if lo is None else lo
        hi = len(v) if hi is None else hi
        return v[lo:hi]
    if type(v) is V.NamedV:
        return V.NamedV(v.tname, reslice(w, v.val, lo, hi, mx, pos))
    if type(v) is V.Ptr:  # pointer to array
        v = w.load(v)
    if type(v) is V.ArrayV:
        # Go's slice shares the array; here it is a copy (an array is a value in
        # gcheck's heap cells, a slice needs a backing ArrObj): said, not hidden
        w.note(pos, "slicing an array: gcheck slices a copy of it, so writes through "
                    "the slice do not reach the array (Go shares it)")
        v = slice_lit(w, v.vals)
    if v is None:
        if (lo or 0) == 0 and (hi or 0) == 0:
            return None
        raise GoPanic("index", "slice bounds out of range")
    if type(v) is not V.SliceV:
        raise GoPanic("model", f"slicing a {type(v).__name__} value")
    lo = 0 if lo is None else lo
    hi = v.len if hi is None else hi
    cap = v.cap if mx is None else mx
    if not (0 <= lo <= hi <= cap <= v.cap):
        raise GoPanic("index", f"slice bounds out of range [{lo}:{hi}] with capacity {v.cap}")
    return V.SliceV(v.arr, v.off + lo, hi - lo, cap - lo)


NO_ZERO = object()  # index(): the value zero of a nil map is not known statically


def index(w: World, v, i, zero=NO_ZERO):
    if isinstance(v, U) or isinstance(i, U):
        return V.UNKNOWN
    i = _unwrap(i)
    t = type(v)
    if t is V.SliceV:
        _check_index(i, v.len)
        return w.heap[v.arr].vals[v.off + i]
    if t is V.ArrayV:
        _check_index(i, len(v.vals))
        return v.vals[i]
    if t is str:
        b = v.encode()
        _check_index(i, len(b))
        return b[i]
    if t is V.Ref:
        obj = w.heap[v.id]
        if type(obj) is V.MapObj:
            return obj.lookup(i)[1]
    if t is V.Ptr:
        return index(w, w.load(v), i)
    if t is V.NamedV:
        return index(w, v.val, i, zero)
    if v is None:
        if zero is not NO_ZERO:
            return zero  # a nil map's read: the value type's zero
        if type(i) is not int:
            return V.UNKNOWN  # a nil map (only maps take such keys) of a type not known here
        raise GoPanic("index", f"index out of range [{i}] with length 0")
    return V.UNKNOWN


def map_lookup(w: World, m, key, zero=None):
    m = _unwrap(m)
    if m is None:
        return zero, False
    if isinstance(m, U) or isinstance(key, U):
        return V.UNKNOWN, V.UNKNOWN
    ok, v = w.heap[m.id].lookup(key)
    return v, ok


def map_delete(w: World, m, key):
    m = _unwrap(m)
    if m is None or isinstance(m, U):
        return
    w.heap[m.id] = w.heap[m.id].delete(key)


def copy_slice(w: World, dst, src):
    dst, src = _unwrap(dst), _unwrap(src)
    if dst is None or isinstance(dst, U) or isinstance(src, U):
        return 0 if dst is None else V.UNKNOWN
    if type(dst) in OPAQUE or type(src) in OPAQUE:
        return V.UNKNOWN
    if type(dst) is not V.SliceV:
        raise GoPanic("model", f"copy into a {type(dst).__name__} value")
    items = slice_items(w, src) if type(src) is not str else tuple(src.encode())
    if items is None:
        return V.UNKNOWN
    n = min(dst.len, len(items))
    w.thaw(dst.arr).set(dst.off, items[:n])
    return n


def range_keys(w: World, v):
    """What `for k := range v` iterates over (indices, keys, ints), or None for a channel."""
    t = type(v)
    # a range, not a tuple of the indices: it sits in a frame slot through the loop,
    # and a state's walks would visit every index of a long slice at each step
    if t is int:
        return range(v)
    if t is V.SliceV:
        return range(v.len)
    if t is V.ArrayV:
        return range(len(v.vals))
    if t is str:
        return tuple(i for i, _ in _runes(v))
    if t is V.Ref:
        obj = w.heap[v.id]
        if type(obj) is V.MapObj:
            return tuple(k for k, _ in obj.items)
        if type(obj) is V.ChanObj:
            return None
    if t is V.Ptr:
        return range_keys(w, w.load(v))
    if t is V.NamedV:
        return range_keys(w, v.val)
    if v is None:
        return ()
    if t is S.SymSlice:
        return ("len", v.length.t)
    return "unknown"


def _runes(s: str):
    i = 0
    for ch in s:
        yield i, ord(ch)
        i += len(ch.encode())


def range_value(w: World, v, k):
    if type(v) is str:
        b = v.encode()
        return ord(b[k:].decode(errors="replace")[0]) if k < len(b) else 0
    if type(v) is int:
        return k
    return index(w, v, k)


def is_chan(w: World, v) -> bool:
    return type(v) is V.Ref and type(w.heap[v.id]) is V.ChanObj


def minmax(fn, vals):
    if any(isinstance(x, U) for x in vals):
        return V.UNKNOWN
    return fn(vals)
