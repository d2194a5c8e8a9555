"""Where values go, for the retention checks: which stores outlive the call,
and which values are (or carry) a slice expression that shares a larger
backing array. Syntax-level and per function, with one level of summaries
for functions that return a slice of their argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from gcheck import goast as A
from gcheck.gotext import expr_text as text
from gcheck.checks.static._types import ZERO, Analysis, Func, RangeDef, TupleDef, Type, Var, const_int

# A source shorter than this (elements) is small: slicing it retains little.
SMALL = 1024


def same(a, b) -> bool:
    """Structural equality of two expressions, positions ignored."""
    if type(a) is not type(b):
        return False
    t = type(a)
    if a is None:
        return True
    if t is A.Ident:
        return a.name == b.name
    if t is A.BasicLit:
        return a.value == b.value
    if t is A.SelectorExpr:
        return a.sel.name == b.sel.name and same(a.x, b.x)
    if t in (A.ParenExpr, A.StarExpr):
        return same(a.x, b.x)
    if t is A.UnaryExpr:
        return a.op == b.op and same(a.x, b.x)
    if t is A.BinaryExpr:
        return a.op == b.op and same(a.x, b.x) and same(a.y, b.y)
    if t is A.IndexExpr:
        return same(a.x, b.x) and len(a.indices) == len(b.indices) and all(
            same(x, y) for x, y in zip(a.indices, b.indices))
    if t is A.CallExpr:
        return same(a.fun, b.fun) and len(a.args) == len(b.args) and all(
            same(x, y) for x, y in zip(a.args, b.args))
    if t is A.SliceExpr:
        return same(a.x, b.x) and same(a.low, b.low) and same(a.high, b.high) and same(a.max, b.max)
    return False


def strip(e):
    while type(e) is A.ParenExpr:
        e = e.x
    return e


def before(a: A.Pos, b: A.Pos) -> bool:
    return (a.line, a.col) < (b.line, b.col)


# ---------------------------------------------------------------- walking


_OWN: dict[int, tuple] = {}  # id(body) -> (body, nodes, stmts), for the package being checked


def sub_stmts(s) -> tuple:
    """The statements directly inside statement s (a statement only ever
    sits inside another statement, or in a function literal's body)."""
    t = type(s)
    if t is A.BlockStmt:
        return s.stmts
    if t is A.IfStmt:
        return tuple(x for x in (s.init, s.body, s.els) if x is not None)
    if t is A.ForStmt:
        return tuple(x for x in (s.init, s.post, s.body) if x is not None)
    if t is A.RangeStmt:
        return (s.body,)
    if t in (A.SwitchStmt, A.TypeSwitchStmt):
        return ((s.init,) if s.init is not None else ()) + s.body
    if t is A.SelectStmt:
        return s.body
    if t is A.CaseClause:
        return s.body
    if t is A.CommClause:
        return ((s.comm,) if s.comm is not None else ()) + s.body
    if t is A.LabeledStmt:
        return (s.stmt,)
    return ()


def own_nodes(body) -> list:
    """Every node of a function body in source order, not descending into
    function literals (functions of their own; the FuncLit itself is in)."""
    hit = _OWN.get(("n", id(body)))
    if hit is not None and hit[0] is body:
        return hit[1]
    from gcheck.lower.escape import children

    nodes = []
    stack = [body]
    while stack:
        n = stack.pop()
        nodes.append(n)
        if type(n) is A.FuncLit:
            continue
        kids = list(children(n))
        kids.reverse()
        stack.extend(kids)
    _OWN[("n", id(body))] = (body, nodes)
    return nodes


def own_stmts(body) -> list:
    """The statements of a function body in source order (nested blocks
    included, function literals excluded)."""
    hit = _OWN.get(("s", id(body)))
    if hit is not None and hit[0] is body:
        return hit[1]
    out = []
    stack = [body]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(sub_stmts(n)))
    _OWN[("s", id(body))] = (body, out)
    return out


def is_builtin(an: Analysis, fun, name: str) -> bool:
    fun = strip(fun)
    return (type(fun) is A.Ident and fun.name == name and id(fun) not in an.uses
            and fun.name not in an.var_specs and fun.name not in an.funcs_by_name)


def size_text(n: int, elem: Type | None) -> str:
    if elem is not None and elem.kind == "basic" and elem.name in ("byte", "uint8"):
        if n >= 1 << 20 and n % (1 << 20) == 0:
            return f"{n >> 20} MiB"
        if n >= 1 << 10 and n % (1 << 10) == 0:
            return f"{n >> 10} KiB"
        return f"{n} bytes"
    return f"{n} elements"


# ---------------------------------------------------------------- escape


def value_roots(an: Analysis, e, out: list, depth: int = 0) -> None:
    """Identifiers whose value (or memory) becomes part of the value of e."""
    if depth > 30 or e is None:
        return
    e = strip(e)
    t = type(e)
    d = depth + 1
    if t is A.Ident:
        out.append(e)
    elif t is A.UnaryExpr and e.op == "&":
        value_roots(an, e.x, out, d)
    elif t is A.CompositeLit:
        for el in e.elts:
            if type(el) is A.KeyValueExpr:
                value_roots(an, el.value, out, d)
                value_roots(an, el.key, out, d)
            else:
                value_roots(an, el, out, d)
    elif t is A.KeyValueExpr:
        value_roots(an, e.value, out, d)
    elif t is A.SliceExpr:
        value_roots(an, e.x, out, d)
    elif t is A.CallExpr:
        if is_builtin(an, e.fun, "append"):
            for a in e.args:
                value_roots(an, a, out, d)
        elif an.type_name(e.fun) is not None and len(e.args) == 1:
            value_roots(an, e.args[0], out, d)


class Escape:
    """Which of a function's locals outlive the call, and which stores do.

    A local is `returned` when its value (or memory) goes back to the caller
    and `stored` when it goes into a place that outlives the call (a
    package-level variable, a field through a pointer, a map, a channel)."""

    def __init__(self, an: Analysis, fn: Func, flows: Flows):
        self.an = an
        self.fn = fn
        self.flows = flows
        self.returned: set = set()  # Var
        self.stored: set = set()  # Var
        self._compute()

    def _compute(self) -> None:
        an = self.an
        stmts = list(own_stmts(self.fn.body))
        for v in self.fn.results:
            self.returned.add(v)
        for _ in range(6):
            n0 = len(self.returned) + len(self.stored)
            for s in stmts:
                t = type(s)
                ret: list = []
                sto: list = []
                if t is A.ReturnStmt:
                    for r in s.results:
                        value_roots(an, r, ret)
                elif t is A.SendStmt:
                    value_roots(an, s.value, sto)
                elif t is A.AssignStmt and s.tok in ("=", ":="):
                    for i, lhs in enumerate(s.lhs):
                        rhs = s.rhs[i] if len(s.rhs) == len(s.lhs) else None
                        if rhs is None:
                            continue
                        if self.sink(lhs, returned=False) is not None:
                            value_roots(an, rhs, sto)
                        elif self.sink(lhs) is not None:
                            value_roots(an, rhs, ret)  # into a returned local
                        v = an.var(lhs)
                        if v is not None and v in self.stored:
                            value_roots(an, rhs, sto)  # an alias of a stored local
                        elif v is not None and v in self.returned:
                            value_roots(an, rhs, ret)
                for roots, into in ((ret, self.returned), (sto, self.stored)):
                    for r in roots:
                        v = an.var(r)
                        if v is not None and v.func is self.fn and v.kind in ("local", "result"):
                            into.add(v)
            if len(self.returned) + len(self.stored) == n0:
                break

    def root_var(self, e) -> Var | None:
        """The variable at the root of an access path (`c` in c.items[k])."""
        e = strip(e)
        for _ in range(30):
            t = type(e)
            if t in (A.SelectorExpr, A.IndexExpr, A.StarExpr, A.SliceExpr):
                e = strip(e.x)
            else:
                break
        return self.an.var(e) if type(e) is A.Ident else None

    def shared(self, v: Var) -> bool:
        """v may point to memory that outlives the call (it was not only
        given fresh allocations)."""
        if v.kind in ("param", "recv"):
            return True
        for d in v.defs:
            d = strip(d) if isinstance(d, A.Node) else d
            if d is ZERO:
                continue
            if d is None or type(d) is RangeDef:
                return True
            t = type(d)
            if t is A.CompositeLit or (t is A.UnaryExpr and d.op == "&" and type(strip(d.x)) is A.CompositeLit):
                continue
            if t is A.CallExpr and (is_builtin(self.an, d.fun, "make") or is_builtin(self.an, d.fun, "new")):
                continue
            if t is A.Ident and d.name == "nil":
                continue
            return True
        return False

    def var_outlives(self, v: Var, via_ref: bool, returned: bool = True) -> bool:
        if v.func is not self.fn:
            outer = self.flows.escape(v.func)
            return outer.var_outlives(v, via_ref, returned)
        if v.kind in ("param", "recv"):
            return via_ref
        if v in self.stored or (returned and v in self.returned):
            return True
        return via_ref and self.shared(v)

    def sink(self, lhs, returned: bool = True) -> str | None:
        """A description of the place lhs when a store into it outlives the
        call ("the map seen", "the field c.last", ...), else None.
        `returned`: a local that is only returned to the caller counts."""
        an = self.an
        e = strip(lhs)
        if type(e) is A.Ident:
            if an.is_pkg_var(e):
                return f"the package-level variable {e.name}"
            return None
        desc = self._describe(e)
        via_ref = False
        cur = e
        for _ in range(30):
            cur = strip(cur)
            t = type(cur)
            if t is A.SelectorExpr:
                if an.qualified(cur) is not None:
                    return f"the package-level variable {text(cur)}"
                xt = an.underlying(an.type_of(cur.x))
                if xt is not None and xt.kind == "ptr":
                    via_ref = True
                cur = cur.x
            elif t is A.IndexExpr:
                xt = an.underlying(an.type_of(cur.x))
                if xt is not None and xt.kind in ("map", "slice", "ptr"):
                    via_ref = True
                cur = cur.x
            elif t is A.StarExpr:
                via_ref = True
                cur = cur.x
            elif t is A.Ident:
                if an.is_pkg_var(cur):
                    if type(e) is A.IndexExpr and strip(e.x) is cur:
                        xt = an.underlying(an.type_of(cur))
                        kind = xt.kind if xt is not None and xt.kind in ("map", "slice") else "variable"
                        return f"the package-level {kind} {cur.name}"
                    return f"{desc}, in the package-level variable {cur.name}"
                v = an.var(cur)
                if v is None:
                    return None
                if self.var_outlives(v, via_ref, returned):
                    return desc
                return None
            elif t is A.CallExpr:
                rt = an.underlying(an.type_of(cur))
                if via_ref or (rt is not None and rt.kind in ("ptr", "map", "slice")):
                    return desc
                return None
            else:
                return None
        return None

    def _describe(self, e) -> str:
        an = self.an
        t = type(e)
        if t is A.IndexExpr:
            xt = an.underlying(an.type_of(e.x))
            if xt is not None and xt.kind == "map":
                return f"the map {text(e.x)}"
            return f"the element {text(e)}"
        if t is A.SelectorExpr:
            return f"the field {text(e)}"
        if t is A.StarExpr:
            return f"*{text(e.x)}"
        return text(e)


# ---------------------------------------------------------------- slices that retain


@dataclass
class Src:
    """What a sliced value is: `why` for messages, `kind` for the rules."""

    why: str  # "a parameter, of unknown length", "the result of os.ReadFile(p), ..."
    kind: str  # param, call, large, pkg, field, elem, range, unknown
    param: Var | None = None  # the parameter it is (or is cut from)


@dataclass
class Origin:
    """A value that is (or contains) a slice expression sharing the memory of
    something larger."""

    slice: A.SliceExpr
    kind: str  # "substring" or "subslice"
    src: str  # text of what the piece is cut from (the argument, for a call)
    src_expr: object  # that expression
    why: str  # what the source is: "a parameter, of unknown length", ...
    elem: Type | None  # element type for subslices
    param: Var | None  # when the source is a parameter of the function
    src_kind: str = "unknown"
    via: str | None = None  # "firstField(line)": a call that returns the slice
    via_pos: A.Pos | None = None
    via_call: object = None  # that call
    part: bool = False  # cut from an element or field of the argument, not the argument itself


class Flows:
    """The flow queries of one package, with per-function caches."""

    def __init__(self, an: Analysis):
        self.an = an
        self._escape: dict[int, Escape] = {}
        self._summary: dict[int, list | None] = {}
        self._busy: set = set()

    def escape(self, fn: Func) -> Escape:
        e = self._escape.get(id(fn))
        if e is None:
            e = Escape(self.an, fn, self)
            self._escape[id(fn)] = e
        return e

    # ---- what a sliced value is

    def source(self, x, fn: Func, depth: int = 0) -> Src | None:
        """What the sliced expression x is; None when it is provably small
        (a literal, a constant, a small fixed-size allocation)."""
        an = self.an
        x = strip(x)
        t = type(x)
        if t is A.BasicLit:
            return None
        if t is A.CompositeLit:
            return None if len(x.elts) < SMALL else Src(f"a {len(x.elts)}-element literal", "large")
        if t is A.Ident:
            v = an.var(x)
            if v is None:
                if an.is_pkg_var(x):
                    return Src(f"the package-level variable {x.name}", "pkg")
                if x.name in an.consts:
                    return None
                return Src("of unknown length", "unknown")
            if v.kind == "const":
                return None
            if v.kind in ("param", "recv"):
                return Src("a parameter, of unknown length", "param", v)
            if depth > 4:
                return Src("of unknown length", "unknown")
            for d in v.defs:
                if d is ZERO:
                    continue
                if d is None:
                    return Src("of unknown length", "unknown")
                if type(d) is RangeDef:
                    inner = self.source(d.x, fn, depth + 1) if d.value else None
                    if inner is not None and inner.kind == "param":
                        return Src(f"an element of {text(d.x)}, of unknown length", "param", inner.param)
                    return Src("a range element, of unknown length", "range")
                if type(d) is TupleDef:
                    if d.index == 0 and type(strip(d.expr)) is A.CallExpr and not _is_conv_or_builtin(an, d.expr):
                        return Src(f"the result of {text(d.expr)}, of unknown length", "call")
                    return Src("of unknown length", "unknown")
                r = self.alloc(d, fn, depth + 1)
                if r is not None:
                    return r
            return None
        if t is A.CallExpr:
            return self.alloc(x, fn, depth + 1)
        if t is A.SliceExpr:
            return self.source(x.x, fn, depth + 1)
        if t is A.SelectorExpr:
            if an.qualified(x) is not None:
                return Src(f"the package-level variable {text(x)}", "pkg")
            inner = self.source(x.x, fn, depth + 1) if depth < 6 else None
            if inner is not None and inner.kind in ("param", "pkg"):
                return Src(f"the field {text(x)}, of unknown length", inner.kind, inner.param)
            return Src(f"the field {text(x)}, of unknown length", "field")
        if t is A.IndexExpr:
            inner = self.source(x.x, fn, depth + 1) if depth < 6 else None
            if inner is not None and inner.kind in ("param", "pkg"):
                return Src(f"an element of {text(x.x)}, of unknown length", inner.kind, inner.param)
            return Src(f"an element of {text(x.x)}, of unknown length", "elem")
        if t is A.StarExpr:
            return Src("of unknown length", "field")
        return Src("of unknown length", "unknown")

    def alloc(self, d, fn: Func, depth: int) -> Src | None:
        """What a value assigned to a sliced variable is (None: small)."""
        an = self.an
        d = strip(d)
        t = type(d)
        if t is A.BasicLit:
            return None
        if t is A.CompositeLit:
            return None if len(d.elts) < SMALL else Src(f"a {len(d.elts)}-element literal", "large")
        if t is A.CallExpr:
            if is_builtin(an, d.fun, "make") and len(d.args) >= 2:
                sizes = [const_int(a, an.consts) for a in d.args[1:]]
                if any(sz is None for sz in sizes):
                    return Src(f"allocated by {text(d)}, of unknown length", "unknown")
                n = max(sizes)
                if n < SMALL:
                    return None
                ty = an.type_from_expr(d.args[0])
                return Src(f"a {size_text(n, an.elem(ty))} allocation", "large")
            q = an.qualified(d.fun)
            if q in ("strings.Repeat", "bytes.Repeat") and len(d.args) == 2:
                n = const_int(d.args[1], an.consts)
                if n is not None and type(strip(d.args[0])) is A.BasicLit:
                    total = n * max(1, len(d.args[0].value) - 2)
                    if total < SMALL:
                        return None
                    return Src(f"a {size_text(total, Type('basic', 'byte'))} string from {q}", "large")
            conv = an.type_name(d.fun)
            if conv is not None and len(d.args) == 1:
                arg = strip(d.args[0])
                if type(arg) is A.Ident and arg.name == "nil" and an.var(arg) is None:
                    return None
                cu, au = an.underlying(conv), an.underlying(an.type_of(d.args[0]))
                if cu is not None and au is not None and cu.kind == au.kind and cu.name == au.name:
                    return self.source(d.args[0], fn, depth + 1)  # same representation: no copy
                return Src(f"the result of {text(d)}, of unknown length", "call")  # a fresh copy
            if is_builtin(an, d.fun, "append") and d.args:
                return Src(f"built by {text(d)}, of unknown length", "unknown")
            return Src(f"the result of {text(d)}, of unknown length", "call")
        if t is A.SliceExpr:
            return self.source(d.x, fn, depth)
        return self.source(d, fn, depth)

    # ---- origins

    def slice_origin(self, se: A.SliceExpr, fn: Func) -> Origin | None:
        an = self.an
        xt = an.type_of(se.x)
        u = an.underlying(xt)
        if u is None:
            return None
        if u.kind == "basic" and u.name == "string":
            kind, elem = "substring", None
        elif u.kind == "slice":
            kind, elem = "subslice", u.elem
        elif u.kind == "array" or (u.kind == "ptr" and an.underlying(u.elem) is not None
                                   and an.underlying(u.elem).kind == "array"):
            arr = u if u.kind == "array" else an.underlying(u.elem)
            kind, elem = "subslice", arr.elem
            if arr.length is not None and arr.length < SMALL:
                return None
        else:
            return None
        low_c = const_int(se.low, an.consts) if se.low is not None else 0
        high = strip(se.high) if se.high is not None else None
        to_end = high is None or _len_plus(an, high, se.x) is not None
        if low_c is not None and to_end:
            return None  # x[:], x[4:]: the piece is all of x but a few elements
        if low_c == 0 and high is not None and _len_minus_const(an, high, se.x):
            return None  # x[:len(x)-4]: likewise
        if low_c == 0 and const_int(high, an.consts) == 0:
            return None  # x[:0]: reusing the capacity, not keeping a piece
        src = self.source(se.x, fn)
        if src is None or src.kind == "pkg":
            return None  # small, or kept alive by a package-level variable anyway
        return Origin(se, kind, text(se.x), se.x, src.why, elem, src.param, src.kind)

    def retaining(self, e, fn: Func, depth: int = 0, seen: frozenset = frozenset()) -> Origin | None:
        """The slice expression whose shared memory e carries, if any."""
        if depth > 12 or e is None:
            return None
        an = self.an
        e = strip(e)
        t = type(e)
        d = depth + 1
        if t is A.SliceExpr:
            return self.slice_origin(e, fn)
        if t is A.Ident:
            v = an.var(e)
            if v is None or v.kind != "local" or v in seen or not v.defs:
                return None
            found = None
            for df in v.defs:
                if df is ZERO:
                    continue
                if not isinstance(df, A.Node):
                    return None
                o = self.retaining(df, v.func, d, seen | {v})
                if o is None:
                    return None
                found = found or o
            return found
        if t is A.CompositeLit:
            for el in e.elts:
                parts = (el.value, el.key) if type(el) is A.KeyValueExpr else (el,)
                for p in parts:
                    if type(el) is A.KeyValueExpr and p is el.key and type(p) is A.Ident:
                        continue
                    o = self.retaining(p, fn, d, seen)
                    if o is not None:
                        return o
            return None
        if t is A.UnaryExpr and e.op == "&":
            return self.retaining(e.x, fn, d, seen)
        if t is A.CallExpr:
            if is_builtin(an, e.fun, "append"):
                args = e.args[1:-1] if e.ellipsis else e.args[1:]
                for a in args:
                    o = self.retaining(a, fn, d, seen)
                    if o is not None:
                        return o
                return None
            conv = an.type_name(e.fun)
            if conv is not None:
                if len(e.args) != 1:
                    return None
                cu, au = an.underlying(conv), an.underlying(an.type_of(e.args[0]))
                if cu is None or au is None or cu.kind != au.kind or (cu.kind == "basic" and cu.name != au.name):
                    return None  # string([]byte), []byte(string), []rune(...) copy
                return self.retaining(e.args[0], fn, d, seen)
            return self.call_origin(e, fn, d)
        return None

    def call_origin(self, call: A.CallExpr, fn: Func, depth: int) -> Origin | None:
        """A call to one of the package's functions that returns a slice of
        its argument (or of a large value of its own)."""
        an = self.an
        fun = strip(call.fun)
        decl = None
        if type(fun) is A.Ident and id(fun) not in an.uses:
            decl = an.funcs_by_name.get(fun.name)
        elif type(fun) is A.SelectorExpr and an.qualified(fun) is None:
            decl = an.method(an.type_of(fun.x), fun.sel.name)
        if decl is None:
            return None
        callee = an.func_of_decl.get(id(decl))
        if callee is None:
            return None
        for o in self.summary(callee) or ():
            if o.param is None:
                return Origin(o.slice, o.kind, o.src, None, o.why, o.elem, None, o.src_kind, text(call), call.pos, call)
            idx = callee.params.index(o.param)
            if decl.recv is not None:
                if idx == 0:
                    arg = fun.x if type(fun) is A.SelectorExpr else None
                else:
                    idx -= 1
                    arg = call.args[idx] if idx < len(call.args) else None
            else:
                arg = call.args[idx] if idx < len(call.args) else None
            if arg is None:
                continue
            src = self.source(arg, fn)
            if src is None or src.kind == "pkg":
                continue
            return Origin(o.slice, o.kind, text(arg), arg, src.why, o.elem, src.param, src.kind, text(call),
                          call.pos, call, o.part or o.why.startswith(("an element of", "the field")))
        return None

    def summary(self, fn: Func) -> list | None:
        """The origins fn's results carry: returned directly, or stored in a
        local that is returned. Sources that are fn's parameters keep `param`
        set, to be judged at each call site; sources of fn's own count only
        when they are read results or large allocations (a window into a
        buffer fn just sized is how buffers are built)."""
        key = id(fn)
        if key in self._summary:
            return self._summary[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        out = []
        esc = self.escape(fn)

        def add(o):
            if o is not None and (o.param is not None or o.src_kind in ("call", "large")):
                out.append(o)

        for s in own_stmts(fn.body):
            if type(s) is A.ReturnStmt:
                for r in s.results:
                    add(self.retaining(r, fn))
            elif type(s) in (A.AssignStmt, A.IncDecStmt):
                pairs = []
                if type(s) is A.IncDecStmt:
                    pairs = [(s.x, None)]
                elif len(s.lhs) == len(s.rhs) and s.tok in ("=", ":="):
                    pairs = list(zip(s.lhs, s.rhs))
                elif len(s.lhs) == 1:
                    pairs = [(s.lhs[0], None)]
                for lhs, rhs in pairs:
                    lhs = strip(lhs)
                    if type(lhs) is A.Ident:
                        continue
                    v = esc.root_var(lhs)
                    if v is None or v.func is not fn or v not in esc.returned or v in esc.stored:
                        continue
                    if rhs is not None:
                        add(self.retaining(rhs, fn))
                    if type(lhs) is A.IndexExpr and len(lhs.indices) == 1:
                        mt = self.an.underlying(self.an.type_of(lhs.x))
                        if mt is not None and mt.kind == "map":
                            add(self.retaining(lhs.indices[0], fn))  # a map key is stored too
        self._busy.discard(key)
        self._summary[key] = out
        return out


def _is_conv_or_builtin(an: Analysis, call) -> bool:
    call = strip(call)
    fun = strip(call.fun)
    return an.type_name(fun) is not None or any(is_builtin(an, fun, b) for b in ("make", "append", "new"))


def _len_minus_const(an: Analysis, e, x) -> bool:
    e = strip(e)
    return (type(e) is A.BinaryExpr and e.op == "-" and _len_plus(an, e.x, x) is not None
            and const_int(e.y, an.consts) is not None)


def _len_plus(an: Analysis, e, x, depth: int = 0):
    """e is len(x), cap(x) or len(x)+c: the whole slice, or more; or a local
    that starts as len(x) and is only counted down (`i := len(z); for ... {
    i-- }; z[0:i]` trims, it does not cut a small piece)."""
    e = strip(e)
    v = an.var(e) if type(e) is A.Ident else None
    if v is not None and v.kind == "local" and v.defs and depth < 3:
        if all(isinstance(d, A.Node) and _len_plus(an, d, x, depth + 1) is not None for d in v.defs):
            return 0
    if (type(e) is A.CallExpr and (is_builtin(an, e.fun, "len") or is_builtin(an, e.fun, "cap"))
            and len(e.args) == 1 and same(_unappend(an, e.args[0]), _unappend(an, x))):
        return 0
    if type(e) is A.BinaryExpr and e.op == "+":
        if _len_plus(an, e.x, x) is not None:
            return 0
    return None


def _unappend(an: Analysis, x):
    """append(x, ...) -> x (the same storage, perhaps grown)."""
    x = strip(x)
    while type(x) is A.CallExpr and is_builtin(an, x.fun, "append") and x.args:
        x = strip(x.args[0])
    return x


def same_storage(an: Analysis, x, lhs) -> bool:
    """x is the storage lhs names: the same path, or a local alias of it
    (`old := h.items; ...; h.items = old[:n]`), or an append to it."""
    x, lhs = _unappend(an, x), strip(lhs)
    if same(x, lhs):
        return True
    v = an.var(x) if type(x) is A.Ident else None
    if v is not None and v.kind == "local" and v.defs:
        return all(isinstance(d, A.Node) and same(strip(d), lhs) for d in v.defs)
    return False


_flows_cache: list = []


def flows(an: Analysis) -> Flows:
    if _flows_cache and _flows_cache[0][0] is an:
        return _flows_cache[0][1]
    _OWN.clear()
    f = Flows(an)
    _flows_cache[:] = [(an, f)]
    return f
