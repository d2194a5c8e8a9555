"""Which local variables must live in heap cells.

A variable is boxed when its address can outlive or escape the frame's slot:
it is captured by a func literal, its address is taken (`&x`, also implicitly
by a method call on it: `x.mu.Lock()`), so that sharing and pointer receivers
behave as in Go. Decided by name per function body (over-approximation is
harmless: boxing only costs a cell).
"""

from __future__ import annotations

from dataclasses import fields

from gcheck import goast as A

_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node):
    """The direct child nodes of a syntax tree node, in source order."""
    t = type(node)
    names = _FIELDS.get(t)
    if names is None:
        names = tuple(f.name for f in fields(t) if f.name != "pos")
        _FIELDS[t] = names
    for n in names:
        v = getattr(node, n)
        if isinstance(v, A.Node):
            yield v
        elif type(v) is tuple:
            for x in v:
                if isinstance(x, A.Node):
                    yield x


def root_ident(e) -> str | None:
    while True:
        t = type(e)
        if t is A.Ident:
            return e.name
        if t in (A.SelectorExpr, A.IndexExpr, A.ParenExpr, A.SliceExpr):
            e = e.x
        elif t is A.StarExpr:
            return None  # through a pointer: the variable itself is not addressed
        else:
            return None


def boxed_names(body: A.Node) -> set[str]:
    """Names that must be boxed in the function whose body is `body` (not
    descending into the bodies of nested func literals, except to collect
    the names they use)."""
    out: set[str] = set()
    stack = [body]
    while stack:
        n = stack.pop()
        t = type(n)
        if t is A.FuncLit:
            out |= names_used(n)
            continue
        if t is A.UnaryExpr and n.op == "&":
            r = root_ident(n.x)
            if r:
                out.add(r)
        elif t is A.CallExpr and type(n.fun) is A.SelectorExpr:
            r = root_ident(n.fun.x)
            if r:
                out.add(r)
        elif t is A.SelectorExpr and type(n.x) is not A.Ident:
            pass
        stack.extend(children(n))
    return out


def names_used(node: A.Node) -> set[str]:
    out = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if type(n) is A.Ident:
            out.add(n.name)
        stack.extend(children(n))
    return out
