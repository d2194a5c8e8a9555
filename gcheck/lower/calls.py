"""Calls: the program's functions and methods, Go's builtins, conversions,
and the standard library (by qualified name, resolved in model/builtins.py)."""

from __future__ import annotations

from gcheck import goast as A
from gcheck import ir
from gcheck.lower import scope as S
from gcheck.model import runtime as rt
from gcheck.model import values as V

UNKNOWN = V.UNKNOWN


def _const(v):
    return lambda c: v


class CallMixin:
    def x_CallExpr(self, e: A.CallExpr):
        inline = self.inline_call(e)
        if inline is not None:
            return inline
        dst = self.st.temp("call")
        self.emit_call(e, (dst,))
        return lambda c: c.s[dst]

    def emit_call(self, e: A.CallExpr, dsts: tuple) -> None:
        """Emit a Call instruction for e with results into slots dsts."""
        callee, args = self.callee_and_args(e)
        self.st.emit(ir.Call(e.pos, callee, args, dsts, e.ellipsis, self.text(e)))

    def callee_and_args(self, e: A.CallExpr):
        fun = e.fun
        while type(fun) is A.ParenExpr:
            fun = fun.x
        callee = self.callee(fun)
        args = self.args(e.args)
        return callee, args

    def callee(self, fun):
        if type(fun) is A.SelectorExpr and self.package_of(fun.x) is None \
                and not self.types.is_type_expr(fun.x, self.is_shadowed):
            name = fun.sel.name
            prog = self.prog
            if self.addressable(fun.x):
                pl = self.place(fun.x)
                return lambda c: _method_of(c, prog, pl(c), name, True)
            x = self.expr(fun.x)
            return lambda c: _method_of(c, prog, x(c), name, False)
        if type(fun) is A.IndexExpr and type(fun.x) is A.Ident and isinstance(
            self.lookup(fun.x.name), S.Func
        ):
            return self.expr(fun.x)  # f[int](x)
        if type(fun) is A.SelectorExpr:
            pkg = self.package_of(fun.x)
            if pkg is not None:
                return self.package_member(pkg, fun, called=True)
        return self.expr(fun)

    def args(self, exprs) -> object:
        fs = tuple(self.expr(a) for a in exprs)
        if len(fs) == 1:
            f = fs[0]
            return lambda c: _spread(f(c))
        return lambda c: tuple(f(c) for f in fs)

    # ------------------------------------------------------------ inline forms

    def inline_call(self, e: A.CallExpr):
        """Builtins and conversions that need no instruction of their own, or None."""
        fun = e.fun
        while type(fun) is A.ParenExpr:
            fun = fun.x
        if self.types.is_type_expr(fun, self.is_shadowed):
            return self.conversion(fun, e)
        if type(fun) is A.Ident and fun.name in S.BUILTINS and self.lookup(fun.name) is None:
            return self.builtin(fun.name, e)
        if type(fun) is A.SelectorExpr:
            pkg = self.package_of(fun.x)
            if pkg is not None:
                return self.std_inline(f"{pkg}.{fun.sel.name}", e)
        return None

    def conversion(self, texpr, e: A.CallExpr):
        if not e.args:
            return _const(UNKNOWN)
        x = self.expr(e.args[0])
        t = texpr
        while type(t) is A.ParenExpr:
            t = t.x
        if type(t) is A.Ident and self.types.lookup(t.name) is not None:
            under = self.types.resolve(t)
            # a channel stays a bare Ref (as make(T) gives it), or channel ops would see no channel
            if t.name in self.prog.methods and type(under) not in (A.StructType, A.InterfaceType,
                                                                   A.ChanType):
                name = t.name
                return lambda c: _named(name, x(c))
        if type(t) is A.Ident and t.name in ("int", "int64", "int32", "uint", "uint64", "uint32",
                                             "uint8", "uint16", "int16", "int8", "uintptr"):
            return lambda c: _to_int(x(c))
        if type(t) is A.Ident and t.name in ("float64", "float32"):
            return lambda c: _to_float(x(c))
        if type(t) is A.Ident and t.name == "string":
            return lambda c: _to_string(c, x(c))
        return lambda c: _strip_named(x(c))

    def std_inline(self, q: str, e: A.CallExpr):
        return None  # every library call goes through model/builtins.py

    def builtin(self, name: str, e: A.CallExpr):
        args = e.args
        if name == "len":
            x = self.expr(args[0])
            return lambda c: rt.length(c.w, x(c))
        if name == "cap":
            x = self.expr(args[0])
            return lambda c: rt.capacity(c.w, x(c))
        if name == "append":
            s = self.expr(args[0])
            rest = tuple(self.expr(a) for a in args[1:])
            pos = e.pos
            if e.ellipsis:
                tail = rest[0]
                return lambda c: rt.append(c.w, s(c), _items(c, tail(c)), pos)
            return lambda c: rt.append(c.w, s(c), tuple(f(c) for f in rest), pos)
        if name == "make":
            return self.make(e)
        if name == "new":
            zero = self.types.zero(args[0])
            if type(zero) is V.Opaque and zero.type == "sync.Cond":
                return lambda c: V.Ref(c.w.alloc(V.CondObj(None)))
            return lambda c: c.w.new_cell(zero)
        if name == "copy":
            d, s = self.expr(args[0]), self.expr(args[1])
            return lambda c: rt.copy_slice(c.w, d(c), s(c))
        if name == "delete":
            m, k = self.expr(args[0]), self.expr(args[1])
            return lambda c: rt.map_delete(c.w, m(c), k(c))
        if name in ("min", "max"):
            fs = tuple(self.expr(a) for a in args)
            fn = min if name == "min" else max
            return lambda c: rt.minmax(fn, [f(c) for f in fs])
        if name in ("print", "println"):
            fs = tuple(self.expr(a) for a in args)
            return lambda c: [f(c) for f in fs] and None
        if name == "clear":
            self.note(e.pos, "clear() is not modelled: treated as a no-op")
            return _const(None)
        if name in ("complex", "real", "imag"):
            return _const(UNKNOWN)
        if name == "panic":
            v = self.expr(args[0]) if args else _const(None)
            self.st.emit(ir.Panic(e.pos, v))
            return _const(None)
        return None  # close, recover: calls into the model

    def make(self, e: A.CallExpr):
        texpr = e.args[0]
        under = self.types.resolve(texpr)
        sizes = tuple(self.expr(a) for a in e.args[1:])
        t = type(under)
        if t is A.ChanType:
            zero = self.types.zero(under.value)
            n = sizes[0] if sizes else _const(0)
            pos = e.pos
            return lambda c: _make_chan(c, zero, n(c), pos)
        if t is A.MapType:
            zero = self.types.zero(under.value)
            return lambda c: V.Ref(c.w.alloc(V.MapObj((), zero)))
        if t is A.ArrayType:
            zero = self.types.zero(under.elt)
            n = sizes[0] if sizes else _const(0)
            m = sizes[1] if len(sizes) > 1 else None
            pos = e.pos
            return lambda c: _make_slice(c, zero, n(c), m(c) if m else None, pos)
        self.note(e.pos, f"make of {self.text(texpr)} is not modelled")
        return _const(UNKNOWN)


# ---------------------------------------------------------------- runtime helpers


def _spread(v):
    if type(v) is V.Tuple:
        return v.vals
    return (v,)


def _items(c, s):
    if type(s) is str:
        return tuple(s.encode())
    items = rt.slice_items(c.w, s)
    return items if items is not None else ()


def _method_of(c, prog, base, name, is_place):
    from gcheck.lower.exprs import _select

    return _select(c, prog, base, name, is_place)


def _named(name, v):
    if type(v) is V.NamedV or isinstance(v, V.Unknown):
        return v
    return V.NamedV(name, v)


def _strip_named(v):
    return v


def _to_int(v):
    if type(v) is V.NamedV:
        v = v.val
    if isinstance(v, float):
        return int(v)
    return v


def _to_float(v):
    if type(v) is V.NamedV:
        v = v.val
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def _to_string(c, v):
    if isinstance(v, int) and not isinstance(v, bool):
        return chr(v) if 0 <= v < 0x110000 else "\ufffd"
    if type(v) is V.SliceV:
        items = rt.slice_items(c.w, v)
        try:
            return bytes(items).decode(errors="replace")
        except (TypeError, ValueError):
            return UNKNOWN
    return v


def _make_chan(c, zero, n, pos):
    n = rt.concrete(c.w, n)  # a symbolic capacity forks over its feasible values
    if type(n) in rt.OPAQUE:
        n = UNKNOWN
    if isinstance(n, V.Unknown):
        c.w.note(pos, "channel capacity is unknown: explored as unbuffered")
        n = 0
    if type(n) is V.NamedV:
        n = n.val
    if n < 0:
        from gcheck.model.world import GoPanic

        raise GoPanic("makechan", "makechan: size out of range")
    return V.Ref(c.w.alloc(V.ChanObj(n, (), False, zero)))


MAX_UNKNOWN_LEN = 2


def _make_slice(c, zero, n, m, pos):
    n = rt.concrete(c.w, n)
    m = rt.concrete(c.w, m)
    n, m = (UNKNOWN if type(x) in rt.OPAQUE else x for x in (n, m))
    if isinstance(n, V.Unknown):
        c.w.note(pos, f"slice length is unknown: explored with length {MAX_UNKNOWN_LEN}")
        n = MAX_UNKNOWN_LEN
    if isinstance(m, V.Unknown):
        m = n
    if isinstance(n, int) and isinstance(m, (int, type(None))) and max(n, m or 0) > rt.MAX_ELEMENTS:
        c.w.note(pos, f"a slice of {max(n, m or 0):,} elements: gcheck models at most {rt.MAX_ELEMENTS:,}, "
                      "so the slice is an unknown value")
        return UNKNOWN
    return rt.make_slice(c.w, zero, n, m)


