"""Reduction callbacks that turn LALR reductions into goast nodes.

syntax.py calls a Builder method for each grammar rule (named by the rule's
alias, or its name when it has no alias) with the list of the rule's
children: scanner tokens, which are plain `(type, text, line, col)` tuples,
goast nodes, Python lists (for list rules) and a few small tuple subclasses
below that carry intermediate results. Unit rules without a method pass their
child through. Building bottom-up inside the parse loop means no parse tree
and no recursion, whatever the nesting.

Go rules the grammar is too permissive for (mixed named/unnamed parameters,
`go` without a call, `.(type)` outside a type switch, ...) are checked here
and raise GoSyntaxError with gc's wording where it has one.
"""

from __future__ import annotations

from dataclasses import replace

from gcheck import goast as A
from gcheck.errors import GoSyntaxError

# Binary operator precedence (Go spec, "Operator precedence").
_PREC = {
    "||": 1, "&&": 2,
    "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
    "+": 4, "-": 4, "|": 4, "^": 4,
    "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5, "&^": 5,
}


class _Chain(list):
    """A flat `x op y op z` run, resolved by precedence in Builder.expr."""


class _Package(tuple):
    """(`package` token, name) of the package clause."""


class _Params(tuple):
    """The Fields of a parenthesised parameter (or result) list."""


class _TParams(tuple):
    """The Fields of a type parameter list."""


class _Sig(tuple):
    """(params, results) of a signature."""


class _Lit(tuple):
    """(position token of `{`, elements) of a composite literal body."""


class _Header(tuple):
    """(init, cond-or-tag) of an if or switch header."""


def _is_token(x) -> bool:
    return type(x) is tuple


def _is_type_elem(x) -> bool:
    """Can x only be a type (gc's isTypeElem)? Decides `type T[P *C]`."""
    if isinstance(x, (A.ArrayType, A.StructType, A.FuncType, A.InterfaceType, A.MapType, A.ChanType)):
        return True
    if isinstance(x, A.BinaryExpr):
        return _is_type_elem(x.x) or _is_type_elem(x.y)
    if isinstance(x, A.UnaryExpr):
        return x.op == "~" or _is_type_elem(x.x)
    if isinstance(x, (A.StarExpr, A.ParenExpr)):
        return _is_type_elem(x.x)
    return False


class Builder:
    """Callbacks for one file; holds the path for positions."""

    def __init__(self, path: str):
        self.path = path
        self.type_guards: dict[int, A.TypeAssertExpr] = {}  # `.(type)` not yet claimed

    # ------------------------------------------------------------ helpers

    def pos(self, tok: tuple) -> A.Pos:
        return A.Pos(self.path, tok[2], tok[3])

    def error(self, pos: A.Pos, message: str) -> GoSyntaxError:
        return GoSyntaxError(self.path, pos.line, pos.col, message)

    def ident(self, tok: tuple) -> A.Ident:
        return A.Ident(A.Pos(self.path, tok[2], tok[3]), tok[1])

    def finish(self, file: A.File, comments: list, src: str) -> A.File:
        """Attach comments, directives and the line count to the parsed file."""
        for node in self.type_guards.values():
            raise self.error(node.pos, "use of .(type) outside type switch")
        path = self.path
        all_comments = tuple(A.Comment(A.Pos(path, line, col), text) for text, line, col in comments)
        directives = tuple(c for c in all_comments
                           if c.text.startswith("//go:") or c.text.startswith("//gcheck:"))
        lines = src.count("\n") + (0 if src.endswith("\n") or not src else 1)
        return replace(file, comments=all_comments, directives=directives, path=path, lines=lines)

    # ------------------------------------------------------------ generic lists

    def nothing(self, c):
        return None

    def list0(self, c):
        return []

    def first(self, c):
        return c[0]

    def list1(self, c):
        return [c[0]]

    def listn(self, c):
        lst = c[0]
        lst.append(c[2])
        return lst

    def listn_append(self, c):
        lst = c[0]
        lst.append(c[1])
        return lst

    def list1_opt(self, c):
        return [] if c[0] is None else [c[0]]

    def listn_opt(self, c):
        lst = c[0]
        if c[2] is not None:
            lst.append(c[2])
        return lst

    def ident_list1(self, c):
        return [self.ident(c[0])]

    def ident_listn(self, c):
        lst = c[0]
        lst.append(self.ident(c[2]))
        return lst

    # ------------------------------------------------------------ file and declarations

    def start(self, c):
        (kw, pkg), imports, decls = c[0], c[2], c[3]
        specs = tuple(s for d in imports for s in d.specs)
        return A.File(self.pos(kw), pkg, specs, tuple(imports) + tuple(decls), (), ())

    def package_clause(self, c):
        name = self.ident(c[1])
        if name.name == "_":
            raise self.error(name.pos, "invalid package name _")
        return _Package((c[0], name))

    def imports(self, c):
        if not c:
            return []
        lst = c[0]
        lst.append(c[1])
        return lst

    top_decls = imports

    def import_decl(self, c):
        specs = (c[1],) if len(c) == 2 else tuple(c[2])
        return A.GenDecl(self.pos(c[0]), "import", specs)

    def import_spec(self, c):
        path = c[-1]
        lit = A.BasicLit(self.pos(path), "STRING", path[1])
        name = self.ident(c[0]) if len(c) == 2 else None
        return A.ImportSpec(name.pos if name else lit.pos, name, lit)

    def gen_decl1(self, c):
        return A.GenDecl(self.pos(c[0]), c[0][1], (c[1],))

    def gen_declg(self, c):
        specs = c[2]
        if c[0][1] == "const":
            specs = [replace(s, iota=i) if i else s for i, s in enumerate(specs)]
        return A.GenDecl(self.pos(c[0]), c[0][1], tuple(specs))

    def value_spec(self, c):
        names = tuple(c[0])
        typ, values = None, ()
        if len(c) == 2:
            typ = c[1]
        elif len(c) == 3:
            values = tuple(c[2])
        elif len(c) == 4:
            typ, values = c[1], tuple(c[3])
        return A.ValueSpec(names[0].pos, names, typ, values)

    def type_spec(self, c):
        name = self.ident(c[0])
        tparams: tuple = ()
        i = 1
        if isinstance(c[1], _TParams):
            tparams = tuple(c[1])
            i = 2
        assign = _is_token(c[i])
        typ = c[-1]
        if not tparams and not assign and isinstance(typ, A.ArrayType) and typ.len is not None:
            # `type T[P *struct{}] X` reads as an array type; gc makes it a
            # type parameter list when the length splits into name + type element.
            pname, ptype = self._extract_name(typ.len, force=False)
            if pname is not None and ptype is not None:
                field = A.Field(pname.pos, (pname,), ptype)
                return A.TypeSpec(name.pos, name, (field,), False, typ.elt)
        return A.TypeSpec(name.pos, name, tparams, assign, typ)

    # ------------------------------------------------------------ type parameters

    def tparam_name(self, c):
        return (self.ident(c[0]), None)

    def tparam_typed(self, c):
        return (self.ident(c[0]), c[1])

    def _group_tparams(self, items) -> _TParams:
        """Names without a constraint share the next one: [K, V any]."""
        fields, pending = [], []
        for name, constraint in items:
            pending.append(name)
            if constraint is not None:
                fields.append(A.Field(pending[0].pos, tuple(pending), constraint))
                pending = []
        if pending:
            raise self.error(pending[-1].pos, "missing type constraint")
        return _TParams(fields)

    def func_tparams(self, c):
        return self._group_tparams(c[1])

    def tdecl_named(self, c):
        items = [(self.ident(c[1]), c[2])]
        for x in c[3:]:
            if isinstance(x, list):
                items.extend(x)
        return self._group_tparams(items)

    def tdecl_expr(self, c):
        name, ptype = self._extract_name(c[1])
        if name is None:
            raise self.error(c[1].pos, "invalid type parameter")
        items = [(name, ptype)]
        for x in c[3:]:
            if isinstance(x, list):
                items.extend(x)
        return self._group_tparams(items)

    def _extract_name(self, x, force: bool = True):
        """Split an expression `P *C`, `P (C)`, `P *C | D` into (P, constraint)
        like gc's extractName: the split happens if the rest is a type element
        (see _is_type_elem) or if force is set (a "," follows)."""
        if isinstance(x, A.Ident):
            return x, None
        if (isinstance(x, A.CallExpr) and isinstance(x.fun, A.Ident) and len(x.args) == 1
                and not x.ellipsis and (force or _is_type_elem(x.args[0]))):
            return x.fun, A.ParenExpr(x.args[0].pos, x.args[0])
        if isinstance(x, A.BinaryExpr):
            if isinstance(x.x, A.Ident) and x.op == "*" and (force or _is_type_elem(x.y)):
                return x.x, A.StarExpr(x.y.pos, x.y)
            if isinstance(x.x, A.BinaryExpr):
                name, lhs = self._extract_name(x.x, force or _is_type_elem(x.y))
                if name is not None and lhs is not None:
                    return name, A.BinaryExpr(lhs.pos, x.op, lhs, x.y)
        return None, None

    def unionn(self, c):
        return A.BinaryExpr(c[0].pos, "|", c[0], c[2])

    def tilde(self, c):
        return A.UnaryExpr(self.pos(c[0]), "~", c[1])

    # ------------------------------------------------------------ functions

    def func_decl(self, c):
        name = self.ident(c[1])
        i = 2
        tparams: tuple = ()
        if isinstance(c[2], _TParams):
            tparams = tuple(c[2])
            i = 3
        params, results = c[i]
        body = c[i + 1] if len(c) > i + 1 else None
        pos = self.pos(c[0])
        return A.FuncDecl(pos, None, name, A.FuncType(pos, tparams, params, results), body)

    def method_decl(self, c):
        pos = self.pos(c[0])
        recv = c[1]
        if len(recv) != 1 or len(recv[0].names) > 1:
            where = recv[0].pos if recv else pos
            raise self.error(where, "method has no receiver" if not recv else "method has multiple receivers")
        name = self.ident(c[2])
        i = 3
        tparams: tuple = ()
        if isinstance(c[3], _TParams):
            tparams = tuple(c[3])
            i = 4
        params, results = c[i]
        body = c[i + 1] if len(c) > i + 1 else None
        return A.FuncDecl(pos, recv[0], name, A.FuncType(pos, tparams, params, results), body)

    def signature(self, c):
        params = tuple(c[0])
        if len(c) == 1:
            return _Sig((params, ()))
        res = c[1]
        if isinstance(res, _Params):
            return _Sig((params, tuple(res)))
        return _Sig((params, (A.Field(res.pos, (), res),)))

    def param_anon(self, c):
        return ("a", None, c[0], False)

    def param_named(self, c):
        return ("n", self.ident(c[0]), c[1], False)

    def param_named_variadic(self, c):
        return ("n", self.ident(c[0]), c[2], True)

    def param_variadic(self, c):
        return ("a", None, c[1], True)

    def params(self, c):
        if len(c) == 2:
            return _Params(())
        items = c[1]
        fields = []
        if not any(kind == "n" for kind, _, _, _ in items):
            for _, _, typ, variadic in items:
                fields.append(A.Field(typ.pos, (), typ, None, variadic))
        else:
            pending: list = []
            for kind, name, typ, variadic in items:
                if kind == "a":
                    if isinstance(typ, A.Ident) and not variadic:
                        pending.append(typ)
                        continue
                    raise self.error(typ.pos, "mixed named and unnamed parameters")
                names = tuple(pending) + (name,)
                fields.append(A.Field(names[0].pos, names, typ, None, variadic))
                pending = []
            if pending:
                raise self.error(pending[-1].pos, "mixed named and unnamed parameters")
        for f in fields[:-1]:
            if f.variadic:
                raise self.error(f.pos, "can only use ... with final parameter in list")
        return _Params(fields)

    # ------------------------------------------------------------ types

    def paren_type(self, c):
        return A.ParenExpr(self.pos(c[0]), c[1])

    def type_ident(self, c):
        return self.ident(c[0])

    def qualified(self, c):
        x = self.ident(c[0])
        return A.SelectorExpr(x.pos, x, self.ident(c[2]))

    def generic_type(self, c):
        x = self.ident(c[0])
        return A.IndexExpr(x.pos, x, c[1])

    def generic_qualified(self, c):
        x = self.ident(c[0])
        sel = A.SelectorExpr(x.pos, x, self.ident(c[2]))
        return A.IndexExpr(x.pos, sel, c[3])

    def type_args(self, c):
        args = [c[1]]
        for x in c[2:]:
            if isinstance(x, list):
                args.extend(x)
        return tuple(args)

    def array_type(self, c):
        return A.ArrayType(self.pos(c[0]), c[1], c[3])

    def ellipsis_array(self, c):
        return A.ArrayType(self.pos(c[0]), A.Ellipsis(self.pos(c[1])), c[3])

    def slice_type(self, c):
        return A.ArrayType(self.pos(c[0]), None, c[2])

    def pointer_type(self, c):
        return A.StarExpr(self.pos(c[0]), c[1])

    def map_type(self, c):
        return A.MapType(self.pos(c[0]), c[2], c[4])

    def chan_both(self, c):
        return A.ChanType(self.pos(c[0]), "both", c[1])

    def chan_send(self, c):
        return A.ChanType(self.pos(c[0]), "send", c[1])

    def recv_chan_type(self, c):
        return A.ChanType(self.pos(c[0]), "recv", c[2])

    def func_type(self, c):
        params, results = c[1]
        return A.FuncType(self.pos(c[0]), (), params, results)

    def struct_type(self, c):
        return A.StructType(self.pos(c[0]), tuple(c[2]))

    def field_named(self, c):
        name = self.ident(c[0])
        tag = self._tag(c, 2)
        return A.Field(name.pos, (name,), c[1], tag)

    def field_names(self, c):
        names = (self.ident(c[0]),) + tuple(c[2])
        return A.Field(names[0].pos, names, c[3], self._tag(c, 4))

    def field_embedded(self, c):
        return A.Field(c[0].pos, (), c[0], self._tag(c, 1))

    def field_embedded_ptr(self, c):
        star = A.StarExpr(self.pos(c[0]), c[1])
        return A.Field(star.pos, (), star, self._tag(c, 2))

    def _tag(self, c, i):
        if len(c) > i:
            return A.BasicLit(self.pos(c[i]), "STRING", c[i][1])
        return None

    def interface_type(self, c):
        return A.InterfaceType(self.pos(c[0]), tuple(c[2]))

    def method_spec(self, c):
        name = self.ident(c[0])
        params, results = c[1]
        return A.Field(name.pos, (name,), A.FuncType(name.pos, (), params, results))

    def embed_spec(self, c):
        return A.Field(c[0].pos, (), c[0])

    # ------------------------------------------------------------ statements

    def block(self, c):
        return A.BlockStmt(self.pos(c[0]), tuple(c[1]), self.pos(c[2]))

    def decl_stmt(self, c):
        return A.DeclStmt(c[0].pos, c[0])

    def labeled_stmt(self, c):
        label = self.ident(c[0])
        stmt = c[2] if c[2] is not None else A.EmptyStmt(self.pos(c[1]))
        return A.LabeledStmt(label.pos, label, stmt)

    def _call_of(self, kw, x):
        if isinstance(x, A.CallExpr):
            return x
        if isinstance(x, A.ParenExpr):
            raise self.error(x.pos, f"expression in {kw} must not be parenthesized")
        raise self.error(x.pos, f"expression in {kw} must be function call")

    def go_stmt(self, c):
        return A.GoStmt(self.pos(c[0]), self._call_of("go", c[1]))

    def defer_stmt(self, c):
        return A.DeferStmt(self.pos(c[0]), self._call_of("defer", c[1]))

    def return_stmt(self, c):
        return A.ReturnStmt(self.pos(c[0]), tuple(c[1]) if len(c) > 1 else ())

    def branch_stmt(self, c):
        label = self.ident(c[1]) if len(c) > 1 else None
        return A.BranchStmt(self.pos(c[0]), c[0][1], label)

    def expr_stmt(self, c):
        return A.ExprStmt(c[0].pos, c[0])

    def send_stmt(self, c):
        return A.SendStmt(c[0].pos, c[0], c[2])

    def incdec_stmt(self, c):
        return A.IncDecStmt(c[0].pos, c[0], c[1][1])

    def assign_stmt(self, c):
        lhs, op, rhs = c
        tok = op[1]
        if tok != "=" and tok != ":=" and (len(lhs) > 1 or len(rhs) > 1):
            raise self.error(self.pos(op), f"assignment operation {tok} requires single-valued expressions")
        if tok == ":=":
            for x in lhs:
                if not isinstance(x, A.Ident):
                    raise self.error(x.pos, "non-name on left side of :=")
        return A.AssignStmt(lhs[0].pos, tuple(lhs), tok, tuple(rhs))

    def header1(self, c):
        return _Header((None, c[0]))

    def header2(self, c):
        return _Header((c[0] if len(c) == 3 else None, c[-1]))

    def if_stmt(self, c):
        init, cond = c[1]
        els = c[4] if len(c) == 5 else None
        return A.IfStmt(self.pos(c[0]), init, cond, c[2], els)

    def switch_header(self, c):
        if not c:
            return _Header((None, None))
        if len(c) == 1:
            return _Header((None, None)) if _is_token(c[0]) else _Header((None, c[0]))
        if len(c) == 2:
            if _is_token(c[0]):
                return _Header((None, c[1]))
            return _Header((c[0], None))
        return _Header((c[0], c[2]))

    def switch_stmt(self, c):
        pos = self.pos(c[0])
        init, tag = c[1]
        clauses = tuple(c[3])
        defaults = [cl for cl in clauses if cl.is_default]
        if len(defaults) > 1:
            raise self.error(defaults[1].pos, "multiple defaults in switch")
        guard = self._type_guard(tag)
        if guard is not None:
            bind, x = guard
            return A.TypeSwitchStmt(pos, init, bind, x, clauses)
        if tag is not None and not isinstance(tag, A.ExprStmt):
            raise self.error(tag.pos, "switch expression must be an expression")
        return A.SwitchStmt(pos, init, tag.x if tag is not None else None, clauses)

    def _type_guard(self, stmt):
        """(bind, x) if stmt is `x.(type)` or `v := x.(type)`, claiming the guard."""
        if isinstance(stmt, A.ExprStmt):
            bind, rhs = None, stmt.x
        elif (isinstance(stmt, A.AssignStmt) and stmt.tok == ":=" and len(stmt.lhs) == 1
              and len(stmt.rhs) == 1):
            bind, rhs = stmt.lhs[0], stmt.rhs[0]
        else:
            return None
        if isinstance(rhs, A.TypeAssertExpr) and rhs.type is None:
            self.type_guards.pop(id(rhs), None)
            return bind, rhs.x
        return None

    def case_clause(self, c):
        if len(c) == 3:
            return A.CaseClause(self.pos(c[0]), (), tuple(c[2]), True)
        return A.CaseClause(self.pos(c[0]), tuple(c[1]), tuple(c[3]), False)

    def select_stmt(self, c):
        clauses = tuple(c[2])
        defaults = [cl for cl in clauses if cl.comm is None]
        if len(defaults) > 1:
            raise self.error(defaults[1].pos, "multiple defaults in select")
        return A.SelectStmt(self.pos(c[0]), clauses)

    def comm_clause(self, c):
        if len(c) == 3:
            return A.CommClause(self.pos(c[0]), None, tuple(c[2]))
        comm = c[1]
        if not self._valid_comm(comm):
            raise self.error(comm.pos, "select case must be receive, send or assign recv")
        return A.CommClause(self.pos(c[0]), comm, tuple(c[3]))

    @staticmethod
    def _is_recv(x) -> bool:
        while isinstance(x, A.ParenExpr):
            x = x.x
        return isinstance(x, A.UnaryExpr) and x.op == "<-"

    def _valid_comm(self, comm) -> bool:
        if isinstance(comm, A.SendStmt):
            return True
        if isinstance(comm, A.ExprStmt):
            return self._is_recv(comm.x)
        if isinstance(comm, A.AssignStmt):
            return (comm.tok in ("=", ":=") and len(comm.lhs) <= 2 and len(comm.rhs) == 1
                    and self._is_recv(comm.rhs[0]))
        return False

    def for_stmt(self, c):
        pos = self.pos(c[0])
        if len(c) == 2:
            return A.ForStmt(pos, None, None, None, c[1])
        if len(c) == 3:
            return A.ForStmt(pos, None, c[1], None, c[2])
        init, cond, post = c[1], c[3], c[5]
        if isinstance(post, A.AssignStmt) and post.tok == ":=":
            raise self.error(post.pos, "cannot declare in post statement of for loop")
        return A.ForStmt(pos, init, cond, post, c[6])

    def range_stmt(self, c):
        pos = self.pos(c[0])
        if len(c) == 4:
            return A.RangeStmt(pos, None, None, "", c[2], c[3])
        lhs, op = c[1], c[2][1]
        if op not in ("=", ":="):
            raise self.error(self.pos(c[2]), f"unexpected {op}, expected := or = or comma")
        if len(lhs) > 2:
            raise self.error(lhs[2].pos, "range clause permits at most two iteration variables")
        if op == ":=":
            for x in lhs:
                if not isinstance(x, A.Ident):
                    raise self.error(x.pos, "non-name on left side of :=")
        value = lhs[1] if len(lhs) == 2 else None
        return A.RangeStmt(pos, lhs[0], value, op, c[4], c[5])

    # ------------------------------------------------------------ expressions

    def binary_expr(self, c):
        """Apply operator precedence to a flat chain [x, op, y, op, z, ...]."""
        chain = c[0]
        out = [chain[0]]
        ops: list = []
        prec = _PREC
        for i in range(1, len(chain), 2):
            op = chain[i][1]
            p = prec[op]
            while ops and prec[ops[-1]] >= p:
                o = ops.pop()
                b = out.pop()
                a = out.pop()
                out.append(A.BinaryExpr(a.pos, o, a, b))
            ops.append(op)
            out.append(chain[i + 1])
        while ops:
            o = ops.pop()
            b = out.pop()
            a = out.pop()
            out.append(A.BinaryExpr(a.pos, o, a, b))
        return out[0]

    def binchain(self, c):
        left = c[0]
        if type(left) is _Chain:
            left.append(c[1])
            left.append(c[2])
            return left
        return _Chain(c)

    def unary_expr(self, c):
        op = c[0][1]
        x = c[1]
        pos = self.pos(c[0])
        if op == "*":
            return A.StarExpr(pos, x)
        if op == "<-" and isinstance(x, A.ChanType):
            return self._recv_chan(pos, x)
        return A.UnaryExpr(pos, op, x)

    def _recv_chan(self, pos, typ: A.ChanType) -> A.ChanType:
        """`<-chan T` parsed as `<-` applied to `chan T`: make it a receive-only
        channel type; `<-chan chan<- T` re-associates like go/parser does."""
        if typ.dir == "recv":
            raise self.error(typ.pos, "unexpected <-, expected chan")
        if typ.dir == "both":
            return A.ChanType(pos, "recv", typ.value)
        # <-chan<- T is <-chan (<-chan T)
        inner = typ.value
        if isinstance(inner, A.ChanType):
            inner = self._recv_chan(typ.pos, inner)
        else:
            raise self.error(typ.pos, "unexpected <-, expected chan")
        return A.ChanType(pos, "recv", inner)

    def selector(self, c):
        return A.SelectorExpr(c[0].pos, c[0], self.ident(c[2]))

    def type_assert(self, c):
        x = c[0]
        t = c[3]
        if _is_token(t):
            node = A.TypeAssertExpr(x.pos, x, None)
            self.type_guards[id(node)] = node
            return node
        return A.TypeAssertExpr(x.pos, x, t)

    def index(self, c):
        return A.IndexExpr(c[0].pos, c[0], tuple(c[2]))

    def slice_expr(self, c):
        parts: list = [None]
        for item in c[2:-1]:
            if _is_token(item):
                parts.append(None)
            else:
                parts[-1] = item
        x = c[0]
        if len(parts) == 3:
            return A.SliceExpr(x.pos, x, parts[0], parts[1], parts[2], True)
        return A.SliceExpr(x.pos, x, parts[0], parts[1], None, False)

    def call(self, c):
        fun = c[0]
        if len(c) == 3:
            return A.CallExpr(fun.pos, fun, (), False)
        return A.CallExpr(fun.pos, fun, tuple(c[2]), c[3][1] == "...")

    def complit(self, c):
        typ = c[0]
        return A.CompositeLit(typ.pos, typ, c[1][1])

    def lit_value(self, c):
        return _Lit((c[0], tuple(c[1]) if len(c) > 2 else ()))

    def elided_lit(self, c):
        tok, elts = c[0]
        return A.CompositeLit(self.pos(tok), None, elts)

    def key_value(self, c):
        return A.KeyValueExpr(c[0].pos, c[0], c[2])

    def name(self, c):
        tok = c[0]
        return A.Ident(A.Pos(self.path, tok[2], tok[3]), tok[1])

    def basic_lit(self, c):
        tok = c[0]
        return A.BasicLit(A.Pos(self.path, tok[2], tok[3]), tok[0], tok[1])

    def paren(self, c):
        return A.ParenExpr(self.pos(c[0]), c[1])

    def func_lit(self, c):
        pos = self.pos(c[0])
        params, results = c[1]
        return A.FuncLit(pos, A.FuncType(pos, (), params, results), c[2])
