"""finalizer-cycle: runtime.SetFinalizer on an object that sits on a reference
cycle the program builds. The garbage collector never frees a cycle that
contains an object with a finalizer (there is no order in which to run the
finalizers), so the finalizer never runs and the whole cycle leaks.

How cycles are found: each function is run abstractly over access paths
(`n`, `l.tail`, `p.children[]`): an object is an allocation (`&T{...}`,
`new(T)`), a function literal, or whatever a path held when the function
first read it; a store `a.f = b` (also `&T{f: b}`, `a.f = append(a.f, b)`, a
closure capturing b stored in a.f) is an edge. Branches are run separately
and merged, a loop body once. A strongly connected component of that graph
is a cycle the function builds; the finalizer is reported when its object's
type is on one. A finalizer closure that captures its own object is a cycle
too (object -> finalizer -> object).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck import goast as A
from gcheck.checks.static._flow import own_nodes, strip, text
from gcheck.checks.static._types import Type, analyse
from gcheck.diagnostics import Finding

ID = "finalizer-cycle"


@dataclass
class _Node:
    label: str
    type: Type | None


@dataclass
class _Edge:
    src: int
    dst: int
    label: str
    pos: A.Pos


@dataclass
class _Graph:
    fn: object
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    finalizers: list = field(default_factory=list)  # (call, node or None)


class _Interp:
    """Runs one function body over access paths."""

    def __init__(self, an, fn):
        self.an = an
        self.g = _Graph(fn)

    # ---- nodes

    def fresh(self, label: str, ty: Type | None) -> int:
        self.g.nodes.append(_Node(label, ty))
        return len(self.g.nodes) - 1

    def key(self, e) -> str | None:
        e = strip(e)
        t = type(e)
        if t is A.Ident:
            v = self.an.var(e)
            if v is not None:
                return f"{e.name}#{id(v)}"
            if self.an.is_pkg_var(e):
                return f"pkg:{e.name}"
            return None
        if t is A.SelectorExpr:
            if self.an.qualified(e) is not None:
                return f"pkg:{text(e)}"
            k = self.key(e.x)
            return None if k is None else f"{k}.{e.sel.name}"
        if t is A.StarExpr:
            return self.key(e.x)
        if t is A.IndexExpr:
            k = self.key(e.x)
            return None if k is None else f"{k}[]"
        return None

    def path_node(self, e, env: dict) -> int | None:
        """The object the access path e refers to (materialised on first read,
        with the edge from its owner)."""
        k = self.key(e)
        if k is None:
            return None
        if k in env:
            return env[k]
        e = strip(e)
        n = self.fresh(text(e), self.an.type_of(e))
        env[k] = n
        t = type(e)
        owner = None
        label = ""
        if t is A.SelectorExpr and self.an.qualified(e) is None:
            owner, label = self.path_node(e.x, env), e.sel.name
        elif t is A.IndexExpr:
            owner, label = self.path_node(e.x, env), "[]"
        if owner is not None:
            self.g.edges.append(_Edge(owner, n, label, e.pos))
        return n

    def values(self, e, env: dict) -> list:
        """The objects a value expression may refer to."""
        an = self.an
        e = strip(e)
        t = type(e)
        if t is A.Ident and e.name == "nil" and an.var(e) is None:
            return []
        if t is A.StarExpr:
            return [self.fresh(text(e), an.type_of(e))]  # *p: a copy of the value
        if t in (A.Ident, A.SelectorExpr, A.IndexExpr):
            u = an.underlying(an.type_of(e))
            if u is not None and u.kind in ("struct", "array"):
                return [self.fresh(text(e), an.type_of(e))]  # a struct value is copied
            n = self.path_node(e, env)
            return [] if n is None else [n]
        if t is A.UnaryExpr and e.op == "&":
            inner = strip(e.x)
            if type(inner) is A.CompositeLit:
                return [self.composite(inner, env, Type("ptr", elem=an.type_of(inner)), e)]
            n = self.path_node(inner, env)
            return [] if n is None else [n]
        if t is A.CompositeLit:
            return [self.composite(e, env, an.type_of(e), e)]
        if t is A.FuncLit:
            n = self.fresh("func literal", Type("func"))
            fl = an.func_of_decl.get(id(e))
            for u in own_nodes(e.body) if fl else ():
                if type(u) is A.Ident:
                    v = an.var(u)
                    if v is not None and v.func is not fl and _declared_outside(v, fl):
                        m = self.path_node(u, env)
                        if m is not None:
                            self.g.edges.append(_Edge(n, m, f"captures {u.name}", u.pos))
            return [n]
        if t is A.CallExpr:
            fun = strip(e.fun)
            if type(fun) is A.Ident and fun.name == "new" and an.var(fun) is None and e.args:
                return [self.fresh(text(e), Type("ptr", elem=an.type_from_expr(e.args[0])))]
            if type(fun) is A.Ident and fun.name == "append" and an.var(fun) is None and e.args:
                out = self.values(e.args[0], env)
                if not e.ellipsis:
                    for a in e.args[1:]:
                        out += self.values(a, env)
                return out
            if an.type_name(fun) is not None and len(e.args) == 1:
                return self.values(e.args[0], env)
            return [self.fresh(text(e), an.type_of(e))]
        return []

    def composite(self, lit: A.CompositeLit, env: dict, ty, at) -> int:
        n = self.fresh(text(at), ty)
        for el in lit.elts:
            if type(el) is A.KeyValueExpr:
                label = el.key.name if type(el.key) is A.Ident else "[]"
                vals = self.values(el.value, env)
            else:
                label, vals = "[]", self.values(el, env)
            for v in vals:
                self.g.edges.append(_Edge(n, v, label, el.pos))
        return n

    # ---- statements

    def invalidate(self, env: dict, k: str) -> None:
        for other in [x for x in env if x.startswith(k + ".") or x.startswith(k + "[]")]:
            del env[other]

    def assign(self, lhs, rhs_vals: list | None, env: dict, pos: A.Pos, rhs_is_append_of_self=False) -> None:
        lhs = strip(lhs)
        t = type(lhs)
        k = self.key(lhs)
        if t is A.Ident:
            if k is None:
                return
            self.invalidate(env, k)
            if rhs_vals is not None and len(rhs_vals) == 1:
                env[k] = rhs_vals[0]
                node = self.g.nodes[rhs_vals[0]]
                if not node.label.replace(".", "").replace("_", "").isalnum():
                    node.label = lhs.name  # name a fresh object after its variable
            else:
                env.pop(k, None)
            return
        if t is A.SelectorExpr:
            owner = self.path_node(lhs.x, env)
            label = lhs.sel.name
        elif t is A.IndexExpr:
            owner = self.path_node(lhs.x, env)
            label = "[]"
        elif t is A.StarExpr:
            owner, label = None, "*"
        else:
            return
        if owner is not None:
            for v in rhs_vals or ():
                self.g.edges.append(_Edge(owner, v, label, pos))
        if rhs_is_append_of_self:
            return  # x.f = append(x.f, v): the same slice, grown; x now also points at v
        if k is not None and t is not A.IndexExpr:
            self.invalidate(env, k)
            if rhs_vals is not None and len(rhs_vals) == 1:
                env[k] = rhs_vals[0]
            else:
                env.pop(k, None)

    def stmt(self, s, env: dict) -> dict:
        t = type(s)
        if s is None:
            return env
        if t is A.BlockStmt:
            for x in s.stmts:
                env = self.stmt(x, env)
            return env
        if t is A.LabeledStmt:
            return self.stmt(s.stmt, env)
        if t is A.AssignStmt:
            if len(s.lhs) == len(s.rhs):
                vals = []
                for lhs, rhs in zip(s.lhs, s.rhs):
                    r = strip(rhs)
                    self_append = (type(r) is A.CallExpr and type(strip(r.fun)) is A.Ident
                                   and strip(r.fun).name == "append" and r.args
                                   and self.key(r.args[0]) is not None and self.key(r.args[0]) == self.key(lhs))
                    vs = self.values(rhs, env)
                    if self_append:
                        base = self.values(r.args[0], env)
                        vs = [v for v in vs if v not in base]
                    vals.append((lhs, vs, self_append))
                for lhs, vs, self_append in vals:
                    self.assign(lhs, vs, env, s.pos, self_append)
            else:
                for r in s.rhs:
                    self.values(r, env)
                for lhs in s.lhs:
                    self.assign(lhs, None, env, s.pos)
            return env
        if t is A.DeclStmt and s.decl.tok == "var":
            for spec in s.decl.specs:
                for i, n in enumerate(spec.names):
                    vals = self.values(spec.values[i], env) if len(spec.values) == len(spec.names) else None
                    self.assign(n, vals, env, spec.pos)
            return env
        if t is A.ExprStmt:
            self.expr_stmt(s.x, env)
            return env
        if t is A.IfStmt:
            env = self.stmt(s.init, env)
            a = self.stmt(s.body, dict(env))
            b = self.stmt(s.els, dict(env)) if s.els is not None else dict(env)
            return self.merge([a, b])
        if t is A.ForStmt:
            env = self.stmt(s.init, env)
            body = self.stmt(s.body, dict(env))
            body = self.stmt(s.post, body)
            return self.merge([env, body])
        if t is A.RangeStmt:
            inner = dict(env)
            if s.value is not None and type(s.value) is A.Ident:
                k = self.key(s.value)
                src = self.key(s.x)
                if k is not None and src is not None:
                    xt = self.an.underlying(self.an.type_of(s.x))
                    if xt is not None and xt.kind in ("slice", "array", "map"):
                        elem = A.IndexExpr(s.x.pos, s.x, (s.x,))
                        n = self.path_node(elem, inner)
                        if n is not None:
                            inner[k] = n
            body = self.stmt(s.body, inner)
            return self.merge([env, body])
        if t in (A.SwitchStmt, A.TypeSwitchStmt):
            env = self.stmt(s.init, env)
            outs = [self.stmt(A.BlockStmt(c.pos, c.body), dict(env)) for c in s.body]
            if not any(c.is_default for c in s.body):
                outs.append(env)
            return self.merge(outs)
        if t is A.SelectStmt:
            outs = []
            for c in s.body:
                e2 = self.stmt(c.comm, dict(env)) if type(c.comm) is A.AssignStmt else dict(env)
                outs.append(self.stmt(A.BlockStmt(c.pos, c.body), e2))
            return self.merge(outs or [env])
        if t in (A.GoStmt, A.DeferStmt):
            self.expr_stmt(s.call, env)
            return env
        return env

    def merge(self, envs: list) -> dict:
        out = {}
        for k in envs[0]:
            vals = {e.get(k) for e in envs}
            if len(vals) == 1:
                out[k] = envs[0][k]
        return out

    def expr_stmt(self, e, env: dict) -> None:
        e = strip(e)
        if type(e) is not A.CallExpr:
            return
        if self.an.qualified(strip(e.fun)) == "runtime.SetFinalizer" and len(e.args) == 2:
            objs = self.values(e.args[0], env)
            obj = objs[0] if objs else None
            fin = self.values(e.args[1], env) if type(strip(e.args[1])) is A.FuncLit else []
            if obj is not None:
                for f in fin:
                    self.g.edges.append(_Edge(obj, f, "finalizer", e.pos))
            self.g.finalizers.append((e, obj))


def _declared_outside(v, fl) -> bool:
    """v is declared by a function enclosing the literal fl."""
    f = fl.parent
    while f is not None:
        if v.func is f:
            return True
        f = f.parent
    return False


def _named(an, t: Type | None) -> str | None:
    if t is None:
        return None
    if t.kind == "ptr":
        t = t.elem
    if t is not None and t.kind == "named":
        return t.name
    return None


def _sccs(g: _Graph) -> list[set]:
    adj: dict[int, list] = {}
    for e in g.edges:
        adj.setdefault(e.src, []).append(e.dst)
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v0):
        work = [(v0, iter(adj.get(v0, ())))]
        index[v0] = low[v0] = counter[0]
        counter[0] += 1
        stack.append(v0)
        on.add(v0)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(adj.get(w, ()))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = set()
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.add(w)
                        if w == v:
                            break
                    out.append(comp)

    for v in range(len(g.nodes)):
        if v not in index:
            visit(v)
    selfloops = {e.src for e in g.edges if e.src == e.dst}
    return [c for c in out if len(c) > 1 or (c & selfloops)]


def _cycle_through(g: _Graph, comp: set, start: int) -> list:
    """Edges of a shortest cycle from start back to start inside comp."""
    from collections import deque

    prev: dict[int, _Edge] = {}
    q = deque([start])
    seen = set()
    while q:
        v = q.popleft()
        for e in g.edges:
            if e.src != v or e.dst not in comp:
                continue
            if e.dst == start:
                path = [e]
                while path[0].src != start:
                    path.insert(0, prev[path[0].src])
                return path
            if e.dst not in seen:
                seen.add(e.dst)
                prev[e.dst] = e
                q.append(e.dst)
    return []


def _show(g: _Graph, cycle: list) -> str:
    parts = [g.nodes[cycle[0].src].label]
    for e in cycle:
        parts.append(f"-{e.label}->")
        parts.append(g.nodes[e.dst].label)
    return " ".join(parts)


def check(files: list, ctx) -> list[Finding]:
    an = analyse(files)
    if "SetFinalizer" not in an.selector_names:
        return []
    graphs = []
    for fn in an.funcs:
        it = _Interp(an, fn)
        it.stmt(fn.body, {})
        graphs.append(it.g)
    # cycles by the named types on them: type name -> (graph, cycle edges)
    cycles: dict[str, tuple] = {}
    for g in graphs:
        for comp in _sccs(g):
            for n in sorted(comp, key=lambda n: ("." in g.nodes[n].label, n)):
                name = _named(an, g.nodes[n].type)
                if name is None or name in cycles:
                    continue
                cyc = _cycle_through(g, comp, n)
                if cyc:
                    cycles[name] = (g, cyc)
    out = []
    for g in graphs:
        for call, obj in g.finalizers:
            arg = call.args[0]
            ty = an.type_of(arg)
            name = _named(an, ty)
            # the finalizer closure reaches its own object
            if obj is not None:
                for comp in _sccs(g):
                    if obj in comp:
                        cyc = _cycle_through(g, comp, obj)
                        if any(e.label == "finalizer" for e in cyc):
                            out.append(_finding(call, ty, g, cyc, closure=True))
                            break
                else:
                    obj = None
                if obj is not None:
                    continue
            if name is None or name not in cycles:
                continue
            cg, cyc = cycles[name]
            out.append(_finding(call, ty, cg, cyc, closure=False))
    out.sort(key=lambda f: (f.pos.file, f.pos.line, f.pos.col))
    return out


def _finding(call: A.CallExpr, ty, g: _Graph, cyc: list, closure: bool) -> Finding:
    x = text(call.args[0])
    lines = sorted({e.pos.line for e in cyc})
    at = f"line {lines[0]}" if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
    if closure:
        msg = (f"runtime.SetFinalizer({x}, ...): the finalizer closure refers to {x} itself "
               f"({_show(g, cyc)}), so {x} stays reachable from its own finalizer: it is never "
               f"collected and the finalizer never runs; take the object from the finalizer's "
               f"parameter instead of capturing it")
    else:
        if any(e.label.startswith("captures") for e in cyc):
            fix = "let the stored function take the object as a parameter instead of capturing it"
        else:
            fix = "break the cycle (a weak.Pointer or an index for the back link)"
        msg = (f"runtime.SetFinalizer on {x} ({ty}), but {g.fn.name} links {ty} values into a reference "
               f"cycle: {_show(g, cyc)} ({at}); the garbage collector never frees a cycle that holds an "
               f"object with a finalizer, so this finalizer never runs and everything on the cycle leaks; "
               f"{fix}, or use runtime.AddCleanup, whose cleanups do not keep cycles alive")
    return Finding(ID, "error", call.pos, msg, "")
