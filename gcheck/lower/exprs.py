"""Expressions: compiled to closures `fn(c) -> value` over the running frame.

Calls and receives inside an expression are hoisted into their own
instructions (in Go's left-to-right order) and their results read back from
temporary slots, so the closures themselves never block.
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck import ir
from gcheck.lower import scope as S
from gcheck.lower.literals import NOT_CONST, STD_CONSTS, const_eval, literal
from gcheck.model import runtime as rt
from gcheck.model import values as V
from gcheck.model.world import GoPanic

UNKNOWN = V.UNKNOWN


def _const(v):
    return lambda c: v


class ExprMixin:
    # ------------------------------------------------------------ names

    def lookup(self, name: str):
        return self._lookup(self.st, name)

    def _lookup(self, st, name):
        b = st.lookup_here(name)
        if b is not None:
            return b
        if st.parent is None:
            return self.package_binding(name)
        pb = self._lookup(st.parent, name)
        if isinstance(pb, (S.Local, S.Captured)):
            key = (type(pb).__name__, pb.slot if isinstance(pb, S.Local) else pb.index)
            idx = st.cap_index.get(key)
            if idx is None:
                idx = len(st.captures)
                st.cap_index[key] = idx
                st.captures.append((name, pb))
                if isinstance(pb, S.Local) and not pb.boxed:
                    self.note(None, f"captured variable {name} was not boxed")
            return S.Captured(idx, name, pb.map_zero)
        return pb

    def is_shadowed(self, name: str) -> bool:
        b = self.lookup(name)
        return b is not None and not isinstance(b, S.TypeName)

    # ------------------------------------------------------------ entry point

    def expr(self, e: A.Expr):
        m = getattr(self, "x_" + type(e).__name__, None)
        if m is None:
            self.note(e.pos, f"expression {type(e).__name__} is not modelled: its value is unknown")
            return _const(UNKNOWN)
        return m(e)

    def x_ParenExpr(self, e):
        return self.expr(e.x)

    def x_BasicLit(self, e):
        return _const(literal(e))

    def x_Ident(self, e: A.Ident):
        name = e.name
        b = self.lookup(name)
        if b is None:
            if name == "nil":
                return _const(None)
            if name == "true":
                return _const(True)
            if name == "false":
                return _const(False)
            if name == "iota":
                return _const(self.iota)
            if name in S.BUILTINS:
                return _const(V.BuiltinFunc(name))
            self.note(e.pos, f"unresolved name {name}: its value is unknown")
            return _const(UNKNOWN)
        return self.load_binding(b, e.pos)

    def load_binding(self, b, pos=None):
        t = type(b)
        if t is S.Local:
            k = b.slot
            self.st.read(k)
            if b.boxed:
                return lambda c: c.w.heap[c.s[k].id]
            return lambda c: c.s[k]
        if t is S.Captured:
            i = b.index
            return lambda c: c.w.heap[c.caps[i].id]
        if t is S.Global:
            i = b.index
            return lambda c: c.w.heap[c.w.globals[i].id]
        if t is S.Const:
            return _const(b.value)
        if t is S.Func:
            return _const(V.Closure(b.index))
        if t is S.Builtin:
            return _const(V.BuiltinFunc(b.name))
        return _const(UNKNOWN)

    # ------------------------------------------------------------ operators

    def x_UnaryExpr(self, e: A.UnaryExpr):
        if e.op == "<-":
            dst = self.st.temp("recv")
            ch = self.expr(e.x)
            self.st.emit(ir.Recv(e.pos, ch, dst, -1, text=self.text(e)))
            return lambda c: c.s[dst]
        if e.op == "&":
            return self.address_of(e.x)
        x = self.expr(e.x)
        op = e.op
        return lambda c: rt.unop(op, x(c))

    def x_BinaryExpr(self, e: A.BinaryExpr):
        op = e.op
        if op in ("&&", "||"):
            return self.short_circuit(e)
        x = self.expr(e.x)
        y = self.expr(e.y)
        return lambda c: rt.binop(op, x(c), y(c))

    def short_circuit(self, e: A.BinaryExpr):
        x = self.expr(e.x)
        mark = self.st.pc
        y = self.expr(e.y)
        if self.st.pc == mark:  # the right side emitted nothing: a pure closure will do
            if e.op == "&&":
                return lambda c: _and(x(c), y, c)
            return lambda c: _or(x(c), y, c)
        # The right side calls or receives: it must only run when needed.
        del self.st.fn.code[mark:]
        t = self.st.temp("cond")
        self.st.emit(ir.Exec(e.pos, _setter(t, x), "cond"))
        if e.op == "&&":
            br = ir.Branch(e.pos, lambda c: rt.truth(c.s[t]), -1, self.text(e.x))
        else:
            br = ir.Branch(e.pos, lambda c: rt.unop("!", rt.truth(c.s[t])), -1, self.text(e.x))
        self.st.emit(br)
        y = self.expr(e.y)
        self.st.emit(ir.Exec(e.pos, _setter(t, y), "cond"))
        br.target = self.st.pc
        return lambda c: c.s[t]

    def x_StarExpr(self, e: A.StarExpr):
        p = self.expr(e.x)
        return lambda c: c.w.load(p(c))

    def x_KeyValueExpr(self, e):
        return self.expr(e.value)

    # ------------------------------------------------------------ selectors, indexing

    def x_SelectorExpr(self, e: A.SelectorExpr):
        pkg = self.package_of(e.x)
        if pkg is not None:
            return self.package_member(pkg, e, called=False)
        if self.types.is_type_expr(e.x, self.is_shadowed):
            return self.method_expression(e)
        base = self.expr(e.x)
        name = e.sel.name
        prog = self.prog
        if self.addressable(e.x):
            pl = self.place(e.x)
            return lambda c: _select(c, prog, pl(c), name, True)
        return lambda c: _select(c, prog, base(c), name, False)

    def method_expression(self, e: A.SelectorExpr):
        """T.M or (*T).M: the method as a function whose first parameter is the
        receiver — which is exactly how methods are lowered."""
        t = e.x
        while type(t) in (A.ParenExpr, A.StarExpr, A.IndexExpr):
            t = t.x
        m = self.methods.get(t.name, {}).get(e.sel.name) if type(t) is A.Ident else None
        if m is None:
            self.note(e.pos, f"method expression {self.text(e)} is not modelled: its value is unknown")
            return _const(UNKNOWN)
        return _const(V.Closure(m[0]))

    def x_IndexExpr(self, e: A.IndexExpr):
        b = self.lookup(e.x.name) if type(e.x) is A.Ident else None
        if isinstance(b, (S.Func, S.TypeName)):
            return self.expr(e.x)  # generic instantiation f[int]
        x = self.expr(e.x)
        i = self.expr(e.indices[0])
        mz = self.nil_map_zero(e.x)
        if mz is not S.NO_MAP:  # a variable declared with a map type: a nil one reads the zero
            return lambda c: rt.index(c.w, x(c), i(c), mz)
        return lambda c: rt.index(c.w, x(c), i(c))

    def x_SliceExpr(self, e: A.SliceExpr):
        x = self.expr(e.x)
        lo = self.expr(e.low) if e.low is not None else _const(None)
        hi = self.expr(e.high) if e.high is not None else _const(None)
        mx = self.expr(e.max) if e.max is not None else _const(None)
        pos = e.pos
        return lambda c: rt.reslice(c.w, x(c), lo(c), hi(c), mx(c), pos)

    def x_TypeAssertExpr(self, e: A.TypeAssertExpr):
        x = self.expr(e.x)
        match = self.type_matcher(e.type)
        text = self.text(e.type)

        def assert_(c):
            v = x(c)
            ok = match(c, v)
            if ok is False:
                raise GoPanic("type-assertion", f"interface conversion: interface is not {text}")
            return v

        return assert_

    def type_assert_ok(self, e: A.TypeAssertExpr):
        x = self.expr(e.x)
        match = self.type_matcher(e.type)
        return lambda c: _assert_ok(c, x(c), match)

    # ------------------------------------------------------------ places

    def addressable(self, e) -> bool:
        t = type(e)
        if t is A.ParenExpr:
            return self.addressable(e.x)
        if t is A.Ident:
            return isinstance(self.lookup(e.name), (S.Local, S.Captured, S.Global))
        if t is A.SelectorExpr:
            return self.package_of(e.x) is None
        if t is A.IndexExpr:
            return True
        if t is A.StarExpr:
            return True
        return False

    def place(self, e):
        """A closure giving e's location: a Ptr, or a LocalPlace in an unboxed slot."""
        t = type(e)
        if t is A.ParenExpr:
            return self.place(e.x)
        if t is A.Ident:
            b = self.lookup(e.name)
            if type(b) is S.Local:
                k = b.slot
                self.st.read(k)
                if b.boxed:
                    return lambda c: c.s[k]
                lp = rt.LocalPlace((k, ()))
                return lambda c: lp
            if type(b) is S.Captured:
                i = b.index
                return lambda c: c.caps[i]
            if type(b) is S.Global:
                i = b.index
                return lambda c: c.w.globals[i]
        elif t is A.SelectorExpr and self.package_of(e.x) is None:
            base = self.place(e.x) if self.addressable(e.x) else self.as_place(e.x)
            name = e.sel.name
            return lambda c: rt.place_field(c, base(c), name)
        elif t is A.IndexExpr:
            base = self.place(e.x) if self.addressable(e.x) else self.as_place(e.x)
            i = self.expr(e.indices[0])
            return lambda c: rt.place_index(c, base(c), i(c))
        elif t is A.StarExpr:
            return self.expr(e.x)
        return self.as_place(e)

    def as_place(self, e):
        """A non-addressable operand: its pointer value, or a fresh cell for its value."""
        x = self.expr(e)
        return lambda c: _cell_for(c, x(c))

    def address_of(self, x):
        if type(x) is A.CompositeLit:
            lit = self.x_CompositeLit(x)
            return lambda c: c.w.new_cell(lit(c))
        if type(x) is A.ParenExpr:
            return self.address_of(x.x)
        pl = self.place(x)
        return lambda c: _must_ptr(c, pl(c))

    def store(self, e):
        """A closure (c, value) -> None assigning to the target expression e."""
        t = type(e)
        if t is A.ParenExpr:
            return self.store(e.x)
        if t is A.Ident:
            if e.name == "_":
                return lambda c, v: None
            b = self.lookup(e.name)
            return self.store_binding(b, e)
        if t is A.StarExpr:
            p = self.expr(e.x)
            return lambda c, v: c.w.store(p(c), v)
        if t is A.SelectorExpr and self.package_of(e.x) is not None:
            self.note(e.pos, f"assignment to {self.text(e)} (another package's variable) is ignored")
            return lambda c, v: None
        if t in (A.SelectorExpr, A.IndexExpr):
            pl = self.place(e)
            return lambda c, v: rt.place_store(c, pl(c), v)
        self.note(e.pos, f"assignment to {type(e).__name__} is ignored")
        return lambda c, v: None

    def store_binding(self, b, e=None):
        t = type(b)
        if t is S.Local:
            k = b.slot
            if b.boxed:
                self.st.read(k)  # the slot holds the variable's cell
                return lambda c, v: _heap_set(c, c.s[k].id, v)
            return lambda c, v: c.s.__setitem__(k, v)
        if t is S.Captured:
            i = b.index
            return lambda c, v: _heap_set(c, c.caps[i].id, v)
        if t is S.Global:
            i = b.index
            return lambda c, v: _heap_set(c, c.w.globals[i].id, v)
        if e is not None:
            self.note(e.pos, f"assignment to {self.text(e)} is ignored")
        return lambda c, v: None

    def declare_store(self, name: str):
        """Declare a new local (a fresh cell each time the declaration runs, as Go does)."""
        if name == "_":
            return lambda c, v: None
        b = self.st.declare(name)
        k = b.slot
        if b.boxed:
            return lambda c, v: c.s.__setitem__(k, c.w.new_cell(v))
        return lambda c, v: c.s.__setitem__(k, v)

    # ------------------------------------------------------------ literals

    def x_FuncLit(self, e: A.FuncLit):
        fn_index, captures = self.lower_funclit(e)
        loaders = []
        for _name, b in captures:
            if type(b) is S.Local:
                k = b.slot
                self.st.read(k)
                loaders.append(lambda c, k=k: c.s[k])
            else:
                i = b.index
                loaders.append(lambda c, i=i: c.caps[i])
        loaders = tuple(loaders)
        return lambda c: V.Closure(fn_index, tuple(ld(c) for ld in loaders))

    def x_CompositeLit(self, e: A.CompositeLit, elided: A.Expr | None = None):
        texpr = e.type if e.type is not None else elided
        if texpr is None:
            self.note(e.pos, "composite literal of unknown type: its value is unknown")
            return _const(UNKNOWN)
        types = self.types
        if type(texpr) is A.StarExpr:  # elided &T in []*T{{...}}
            inner = self.x_CompositeLit(A.CompositeLit(e.pos, texpr.x, e.elts))
            return lambda c: c.w.new_cell(inner(c))
        sname = types.named_struct(texpr)
        under = types.resolve(texpr)
        if type(under) is A.SelectorExpr and types.qualified(under) == "sync.Cond":
            return self.cond_literal(e)
        if sname is not None or type(under) is A.StructType:
            return self.struct_literal(e, texpr, under)
        if type(under) is A.ArrayType:
            return self.array_literal(e, under)
        if type(under) is A.MapType:
            return self.map_literal(e, under)
        zero = types.zero(texpr)
        if e.elts:
            self.note(e.pos, f"composite literal of {self.text(texpr)}: treated as its zero value")
        return _const(zero)

    def struct_literal(self, e, texpr, st: A.StructType):
        zero = self.types.zero(texpr)
        if type(zero) is not V.StructV:
            return _const(zero)
        lay = zero.layout
        ftypes = self.types.field_types(st)
        setters = []
        for i, el in enumerate(e.elts):
            if type(el) is A.KeyValueExpr and type(el.key) is A.Ident:
                name = el.key.name
                idx = lay.index.get(name)
                val = el.value
            else:
                idx = i
                val = el
            if idx is None or idx >= len(lay.names):
                continue
            setters.append((idx, self.elem(val, ftypes[idx])))
        base = list(zero.vals)
        setters = tuple(setters)

        def build(c):
            vals = list(base)
            for idx, f in setters:
                vals[idx] = f(c)
            return V.StructV(lay, tuple(vals))

        return build

    def elem(self, val, elt_type):
        if type(val) is A.CompositeLit and val.type is None:
            return self.x_CompositeLit(val, elided=elt_type)
        if type(val) is A.UnaryExpr and val.op == "&" and type(val.x) is A.CompositeLit and val.x.type is None:
            inner = self.x_CompositeLit(val.x, elided=elt_type.x if type(elt_type) is A.StarExpr else elt_type)
            return lambda c: c.w.new_cell(inner(c))
        return self.expr(val)

    def array_literal(self, e, at: A.ArrayType):
        zero = self.types.zero(at.elt)
        items = []
        idx = 0
        for el in e.elts:
            if type(el) is A.KeyValueExpr:
                k = const_eval(el.key, 0, self.const_lookup, self.qualified_name)
                if isinstance(k, int):
                    idx = k
                items.append((idx, self.elem(el.value, at.elt)))
            else:
                items.append((idx, self.elem(el, at.elt)))
            idx += 1
        n = max((i for i, _ in items), default=-1) + 1
        if at.len is not None and type(at.len) is not A.Ellipsis:
            ln = const_eval(at.len, 0, self.const_lookup, self.qualified_name)
            if isinstance(ln, int):
                n = max(n, ln)
        is_slice = at.len is None
        items = tuple(items)

        def build(c):
            vals = [zero] * n
            for i, f in items:
                vals[i] = f(c)
            if is_slice:
                return rt.slice_lit(c.w, tuple(vals))
            return V.ArrayV(tuple(vals))

        return build

    def map_literal(self, e, mt: A.MapType):
        zero = self.types.zero(mt.value)
        pairs = []
        for el in e.elts:
            if type(el) is A.KeyValueExpr:
                pairs.append((self.elem(el.key, mt.key), self.elem(el.value, mt.value)))
        pairs = tuple(pairs)

        def build(c):
            m = V.MapObj((), zero)
            for k, v in pairs:
                m = m.store(k(c), v(c))
            return V.Ref(c.w.alloc(m))

        return build

    def cond_literal(self, e):
        lock = _const(None)
        for el in e.elts:
            if type(el) is A.KeyValueExpr and type(el.key) is A.Ident and el.key.name == "L":
                lock = self.expr(el.value)
        return lambda c: V.Ref(c.w.alloc(V.CondObj(lock(c))))

    def nil_map_zero(self, x):
        """What reading x gives when x is a nil map: the zero of its values when x
        names a variable declared with a map type, else S.NO_MAP (not known here)."""
        b = self.lookup(x.name) if type(x) is A.Ident else None
        return getattr(b, "map_zero", S.NO_MAP)

    def package_member(self, pkg: str, e: A.SelectorExpr, called: bool):
        """pkg.Name: a constant gcheck knows, else a BuiltinFunc (a function, or a
        variable or constant gcheck cannot tell from one: used as a number, it
        is unknown, and said so here)."""
        q = f"{pkg}.{e.sel.name}"
        if q in STD_CONSTS:
            return _const(STD_CONSTS[q])
        if not called:
            self.note(e.pos, f"{q} is not modelled: used as a value (not called), it is unknown")
        return _const(V.BuiltinFunc(q))

    # ------------------------------------------------------------ constants

    def const_lookup(self, name):
        b = self.lookup(name)
        if type(b) is S.Const:
            return b.value
        return NOT_CONST

    def qualified_name(self, sel: A.SelectorExpr):
        pkg = self.package_of(sel.x)
        return f"{pkg}.{sel.sel.name}" if pkg is not None else None

    def package_of(self, x) -> str | None:
        if type(x) is A.Ident:
            b = self.lookup(x.name)
            if type(b) is S.Package:
                return b.name
        return None

    # ------------------------------------------------------------ type tests

    def type_matcher(self, texpr):
        """A function (c, v) -> True/False/unknown: does v's dynamic type match texpr?"""
        if texpr is None:
            return lambda c, v: True
        types = self.types
        t = type(texpr)
        if t is A.Ident:
            n = texpr.name
            if n == "nil":
                return lambda c, v: v is None
            basic = {"int": int, "int64": int, "int32": int, "uint": int, "uint64": int,
                     "uint32": int, "uint8": int, "byte": int, "rune": int, "float64": float,
                     "float32": float, "string": str, "bool": bool}
            if n in basic:
                py = basic[n]
                return lambda c, v: _py_match(v, py)
            if n in ("any", "error"):
                if n == "error":
                    return lambda c, v: _is_error(c, self.prog, v)
                return lambda c, v: v is not None
            spec = types.lookup(n)
            if spec is not None and type(types.resolve(texpr)) is A.InterfaceType:
                iface = types.resolve(texpr)
                names = tuple(m.names[0].name for m in iface.methods if m.names)
                prog = self.prog
                return lambda c, v: _implements(c, prog, v, names)
            if spec is not None:
                return lambda c, v: _named_match(c, v, n, False)
        if t is A.StarExpr and type(texpr.x) is A.Ident:
            n = texpr.x.name
            return lambda c, v: _named_match(c, v, n, True)
        if t is A.InterfaceType:
            names = tuple(m.names[0].name for m in texpr.methods if m.names)
            prog = self.prog
            return lambda c, v: _implements(c, prog, v, names)
        return lambda c, v: UNKNOWN if v is not None else False


# ---------------------------------------------------------------- runtime helpers


def _setter(slot, f):
    return lambda c: c.s.__setitem__(slot, f(c))


def _heap_set(c, i, v):
    c.w.heap[i] = v


def _and(x, y, c):
    if x is False:
        return False
    yv = y(c)
    if x is True:
        return rt.truth(yv)
    if yv is False:
        return False
    return rt.binop("&&", x, yv)  # symbolic when both sides are (else unknown)


def _or(x, y, c):
    if x is True:
        return True
    yv = y(c)
    if x is False:
        return rt.truth(yv)
    if yv is True:
        return True
    return rt.binop("||", x, yv)


def _cell_for(c, v):
    if type(v) is V.Ptr:
        return v
    return c.w.new_cell(v)


def _must_ptr(c, pl):
    if type(pl) is rt.LocalPlace:
        # &x of an unboxed local: copy into a cell (the lowering boxes &-taken names, so rare)
        return c.w.new_cell(rt.place_load(c, pl))
    return pl


def _select(c, prog, base, name, is_place):
    """x.name as a value: a field, or a method value bound to x."""
    if is_place:
        v = rt.place_load(c, base)
        ptr = base if type(base) is V.Ptr else None
    else:
        v, ptr = base, None
    if type(v) is V.Ptr:
        ptr = v
        v = c.w.load(v)
    if type(v) is V.StructV:
        path = rt.field_path(c.w, v, name)
        if path is not None:
            for step in path:
                if type(v) is V.Ptr:
                    v = c.w.load(v)
                v = v.get(step)
            return v
    elif type(v) is V.Ref:
        f = rt.field(c.w, v, name)
        if not isinstance(f, V.Unknown):
            return f
    return rt.method(c.w, prog, v, ptr, name)


def _py_match(v, py):
    if isinstance(v, V.Unknown):
        return UNKNOWN
    if py is int:
        return isinstance(v, int) and not isinstance(v, bool)
    return isinstance(v, py)


def _named_match(c, v, name, pointer):
    if isinstance(v, V.Unknown) or type(v) is V.Opaque:
        return UNKNOWN
    if pointer:
        if type(v) is not V.Ptr:
            return False
        try:
            v = c.w.load(v)
        except GoPanic:
            return False
    elif type(v) is V.Ptr:
        return False
    if type(v) is V.StructV:
        return v.layout.tname == name
    if type(v) is V.NamedV:
        return v.tname == name
    return UNKNOWN if not pointer and v is not None and type(v) not in (str, bool) else False


def _implements(c, prog, v, names):
    if v is None:
        return False
    if isinstance(v, V.Unknown) or type(v) is V.Opaque:
        return UNKNOWN
    target = v
    if type(v) is V.Ptr:
        try:
            target = c.w.load(v)
        except GoPanic:
            return UNKNOWN
    tname = None
    if type(target) is V.StructV:
        tname = target.layout.tname
    elif type(target) is V.NamedV:
        tname = target.tname
    if tname is None:
        return UNKNOWN
    have = prog.methods.get(tname, {})
    return all(n in have for n in names)


def _is_error(c, prog, v):
    if v is None:
        return False
    if type(v) is V.NamedV and v.tname == "error":
        return True
    return _implements(c, prog, v, ("Error",))


def _assert_ok(c, v, match):
    ok = match(c, v)
    if ok is False:
        return V.Tuple((None, False))
    return V.Tuple((v, ok))
