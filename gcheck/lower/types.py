"""What the lowering needs to know about types: zero values, struct layouts,
which names are types, element types of composite literals.

gcheck does not type-check: it reads declarations and literals, which is
enough for zero values and method dispatch (done at run time on the values).
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck.model import values as V
from gcheck.model.runtime import MAX_ELEMENTS

BASIC_ZERO = {
    "bool": False, "string": "", "error": None, "any": None,
    "int": 0, "int8": 0, "int16": 0, "int32": 0, "int64": 0,
    "uint": 0, "uint8": 0, "uint16": 0, "uint32": 0, "uint64": 0, "uintptr": 0,
    "byte": 0, "rune": 0, "float32": 0.0, "float64": 0.0,
    "complex64": 0j, "complex128": 0j, "comparable": None,
}

# Standard library types by their zero value; others are opaque.
STD_ZERO = {
    "sync.Mutex": V.MutexV(), "sync.RWMutex": V.RWMutexV(), "sync.WaitGroup": V.WaitGroupV(),
    "sync.Once": V.OnceV(), "sync.Map": V.SyncMapV(), "sync.Locker": None, "context.Context": None,
    "context.CancelFunc": None, "time.Duration": 0, "time.Month": 0, "os.FileMode": 0,
    "io.Reader": None, "io.Writer": None, "io.Closer": None, "io.ReadCloser": None,
    "error": None, "net.Conn": None, "http.Handler": None, "http.HandlerFunc": None,
    "reflect.Type": None, "fmt.Stringer": None, "testing.TB": None,
    "atomic.Int32": V.AtomicV(0), "atomic.Int64": V.AtomicV(0), "atomic.Uint32": V.AtomicV(0),
    "atomic.Uint64": V.AtomicV(0), "atomic.Uintptr": V.AtomicV(0), "atomic.Bool": V.AtomicV(False),
    "atomic.Value": V.AtomicV(None), "atomic.Pointer": V.AtomicV(None),
}

# Conversions to these standard types keep the value.
STD_CONVERSIONS = {
    "time.Duration", "time.Month", "os.FileMode", "fs.FileMode", "http.HandlerFunc",
    "sort.StringSlice", "sort.IntSlice", "atomic.Int32", "atomic.Int64",
}


class TypeTable:
    """The package's named types, their layouts, and the zero value of any type expression."""

    def __init__(self, imports: dict[str, str]):
        self.specs: dict[str, A.TypeSpec] = {}
        self.layouts: dict[str, V.Layout] = {}
        self.imports = imports  # local package name -> import path
        self._zero_cache: dict[str, object] = {}
        # an array type's length: a constant expression, evaluated in the scope where
        # the type is written (the lowering sets this; literals only until it does)
        self.array_len = const_int
        self.too_large = lambda e, n: None  # told of an array type past MAX_ELEMENTS (the lowering notes it)
        self.method_types: set = set()  # named types that have methods (the lowering fills it)
        self.local: list[dict[str, A.TypeSpec]] = []  # function-local type declarations

    def declare(self, spec: A.TypeSpec) -> None:
        self.specs[spec.name.name] = spec

    def lookup(self, name: str) -> A.TypeSpec | None:
        for scope in reversed(self.local):
            if name in scope:
                return scope[name]
        return self.specs.get(name)

    def is_type_expr(self, e: A.Expr, is_shadowed) -> bool:
        """Does e denote a type (so that e(x) is a conversion)?"""
        t = type(e)
        if t is A.ParenExpr:
            return self.is_type_expr(e.x, is_shadowed)
        if t is A.Ident:
            if is_shadowed(e.name):
                return False
            return e.name in BASIC_ZERO or self.lookup(e.name) is not None
        if t in (A.ArrayType, A.MapType, A.ChanType, A.FuncType, A.InterfaceType, A.StructType):
            return True
        if t is A.StarExpr:
            return self.is_type_expr(e.x, is_shadowed)
        if t is A.SelectorExpr and type(e.x) is A.Ident and e.x.name in self.imports:
            return self.qualified(e) in STD_CONVERSIONS
        if t is A.IndexExpr:
            return self.is_type_expr(e.x, is_shadowed)
        return False

    def qualified(self, e: A.SelectorExpr) -> str:
        pkg = self.imports.get(e.x.name, e.x.name).rsplit("/", 1)[-1]
        return f"{pkg}.{e.sel.name}"

    def resolve(self, e: A.Expr):
        """Strip parens, instantiation and aliases down to a type expression or a name."""
        seen = 0
        while True:
            seen += 1
            if seen > 50:
                return e
            t = type(e)
            if t is A.ParenExpr:
                e = e.x
            elif t is A.IndexExpr:
                e = e.x
            elif t is A.Ident and e.name not in BASIC_ZERO:
                spec = self.lookup(e.name)
                if spec is None:
                    return e
                if type(spec.type) in (A.Ident, A.ParenExpr, A.SelectorExpr, A.IndexExpr):
                    e = spec.type
                    continue
                return spec.type
            else:
                return e

    def named_struct(self, e: A.Expr) -> str | None:
        """The name of the struct type e denotes, following aliases and definitions."""
        name = None
        seen = 0
        while seen < 50:
            seen += 1
            if type(e) is A.ParenExpr or type(e) is A.IndexExpr:
                e = e.x
                continue
            if type(e) is A.Ident:
                spec = self.lookup(e.name)
                if spec is None:
                    return None
                name = e.name
                if type(spec.type) is A.StructType:
                    return name
                e = spec.type
                continue
            return None
        return None

    def layout(self, name: str | None, st: A.StructType) -> V.Layout:
        key = name if name is not None else f"struct@{st.pos.line}:{st.pos.col}"
        lay = self.layouts.get(key)
        if lay is None:
            names, emb = [], []
            for f in st.fields:
                if f.names:
                    for n in f.names:
                        names.append(n.name)
                        emb.append(False)
                else:
                    names.append(embedded_name(f.type))
                    emb.append(True)
            lay = V.Layout(name, tuple(names), tuple(emb))
            self.layouts[key] = lay
        return lay

    def chan_field(self, name: str) -> bool:
        """Is every struct field called ``name`` (in the package's and the
        enclosing functions' struct types, at least one) of a channel type?
        gcheck does not type-check, so ``x.name`` is known to be a channel
        (and a nil value a nil channel) only when the name is unambiguous."""
        found = False
        for scope in [self.specs, *self.local]:
            for spec in scope.values():
                st = self.resolve(spec.type)
                if type(st) is not A.StructType:
                    continue
                for f in st.fields:
                    if any(n.name == name for n in f.names):
                        if type(self.resolve(f.type)) is not A.ChanType:
                            return False
                        found = True
        return found

    def field_types(self, st: A.StructType) -> list[A.Expr]:
        out = []
        for f in st.fields:
            out.extend([f.type] * max(1, len(f.names)))
        return out

    def zero(self, e: A.Expr | None, depth: int = 0, expanding: frozenset = frozenset()):
        """The zero value of type expression e (None for nil-able kinds)."""
        if e is None or depth > 20:
            return None
        t = type(e)
        if t is A.Ident:
            if e.name in BASIC_ZERO:
                return BASIC_ZERO[e.name]
            spec = self.lookup(e.name)
            if spec is None or e.name in expanding:
                # a type parameter; or a type that contains itself by value (invalid
                # Go: without this, two such fields took 2^20 calls: fuzzing hang)
                return None
            inner = expanding | {e.name}
            if type(spec.type) is A.StructType:
                st = spec.type
                lay = self.layout(e.name, st)
                return V.StructV(lay, tuple(self.zero(ft, depth + 1, inner) for ft in self.field_types(st)))
            z = self.zero(spec.type, depth + 1, inner)
            if z is None and e.name in self.method_types and not getattr(spec, "assign", False) \
                    and type(self.resolve(spec.type)) not in (A.InterfaceType, A.ChanType):
                # a nil slice, map or func of a type with methods carries its type, as a
                # conversion to it does: new(myHeap).Push(x) finds Push by it
                return V.NamedV(e.name, None)
            return z
        if t is A.ParenExpr or t is A.IndexExpr:
            return self.zero(e.x, depth + 1, expanding)
        if t is A.SelectorExpr and type(e.x) is A.Ident:
            q = self.qualified(e)
            if q in STD_ZERO:
                return STD_ZERO[q]
            return V.Opaque(q)
        if t is A.StructType:
            lay = self.layout(None, e)
            return V.StructV(lay, tuple(self.zero(ft, depth + 1, expanding) for ft in self.field_types(e)))
        if t is A.ArrayType and e.len is not None and type(e.len) is not A.Ellipsis:
            n = self.array_len(e.len)
            if type(n) is int and n >= 0:
                z = self.zero(e.elt, depth + 1, expanding)
                if n > MAX_ELEMENTS or n * leaves(z) > MAX_ELEMENTS:
                    # element by element it would take gigabytes, and every heap walk
                    # would visit each element: an unknown value
                    self.too_large(e, n * max(1, leaves(z)))
                    return V.Opaque(f"[{n:,}] array (gcheck models at most {MAX_ELEMENTS:,} elements)")
                return V.ArrayV((z,) * n)
        return None


def leaves(v) -> int:
    """How many scalar elements a zero value holds (its arrays' elements are all alike)."""
    t = type(v)
    if t is V.ArrayV:
        return len(v.vals) * leaves(v.vals[0]) if v.vals else 0
    if t is V.StructV:
        return sum(leaves(f) for f in v.vals)
    return 1


def embedded_name(t: A.Expr) -> str:
    while True:
        if type(t) is A.StarExpr:
            t = t.x
        elif type(t) is A.IndexExpr:
            t = t.x
        elif type(t) is A.SelectorExpr:
            return t.sel.name
        elif type(t) is A.Ident:
            return t.name
        else:
            return "?"


def const_int(e: A.Expr):
    if type(e) is A.BasicLit and e.kind == "INT":
        return parse_int(e.value)
    return None


def parse_int(text: str) -> int:
    s = text.replace("_", "").lower()
    if s.startswith("0x"):
        return int(s, 16)
    if s.startswith("0b"):
        return int(s, 2)
    if s.startswith("0o"):
        return int(s[2:], 8)
    if len(s) > 1 and s.startswith("0"):
        return int(s, 8)
    return int(s)


def receiver_type(recv: A.Field) -> tuple[str, bool]:
    """The type name of a method's receiver and whether it is a pointer receiver."""
    t = recv.type
    ptr = False
    if type(t) is A.ParenExpr:
        t = t.x
    if type(t) is A.StarExpr:
        ptr = True
        t = t.x
    while type(t) in (A.IndexExpr, A.ParenExpr):
        t = t.x
    return (t.name if type(t) is A.Ident else "?"), ptr
