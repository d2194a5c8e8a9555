"""pointer-slice-retention: reslicing a slice of pointers drops elements from
view but not from its backing array.

`q.items = q.items[1:]` (a queue pop) or `s.items = s.items[:n]` (a filter
in place, a stack pop) leaves the dropped elements in the array the new slice
still shares; when they are pointers (or values holding pointers) the
objects they point to stay reachable and are never collected while the
slice lives. Reported when the result is stored where it outlives the call
(in place into a field, a package-level variable, a map) or returned, the
element type is known to hold pointers, and the dropped elements were not
set to nil (or cleared with clear) first.
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck.checks.static._flow import flows, is_builtin, own_nodes, own_stmts, same, same_storage, strip, text
from gcheck.checks.static._types import analyse, const_int
from gcheck.diagnostics import Finding

ID = "pointer-slice-retention"


def check(files: list, ctx) -> list[Finding]:
    an = analyse(files)
    fl = flows(an)
    out: list[Finding] = []
    for fn in an.funcs:
        for s in own_stmts(fn.body):
            if type(s) is A.AssignStmt and s.tok == "=" and len(s.lhs) == len(s.rhs):
                for lhs, rhs in zip(s.lhs, s.rhs):
                    r = strip(rhs)
                    if type(r) is not A.SliceExpr or not same_storage(an, r.x, lhs):
                        continue
                    sink = fl.escape(fn).sink(lhs)
                    if sink is None:
                        continue
                    f = _judge(an, fn, r, s, f"{text(lhs)} = {text(r)}", sink)
                    if f is not None:
                        out.append(f)
            elif type(s) is A.ReturnStmt:
                for res in s.results:
                    r = strip(res)
                    # `return s[1:]` of a parameter: the pop helper whose caller
                    # writes s = pop(s) (a window into a slice the function does
                    # not own drops nothing from the program's view)
                    v = an.var(strip(r.x)) if type(r) is A.SliceExpr else None
                    if v is not None and v.kind == "param":
                        f = _judge(an, fn, r, s, f"return {text(r)}", None)
                        if f is not None:
                            out.append(f)
    return out


def _judge(an, fn, se: A.SliceExpr, stmt, what: str, sink: str | None) -> Finding | None:
    st = an.underlying(an.type_of(se.x))
    if st is None or st.kind != "slice":
        return None
    if not an.has_pointers(st.elem):
        return None  # no pointers (or unknown element type): nothing is kept alive
    x = text(se.x)
    front = se.low is not None and const_int(se.low, an.consts) != 0
    high = strip(se.high) if se.high is not None else None
    # A back drop only when the new length is surely shorter: a stack pop
    # (len(s)-1) or the length of an in-place filter; s[:0] is the reset-for-
    # reuse idiom, and an unknown s[:n] may as well grow the slice.
    back = high is not None and (_is_len_minus_k(an, high, se.x) or _is_filter_count(an, fn, high, se.x))
    if not front and not back:
        return None
    if _cleared(an, fn, se.x):
        return None
    elem = str(st.elem)
    parts, fixes = [], []
    if front:
        one = const_int(se.low, an.consts) == 1
        parts.append(f"{x}[0]" if one else f"{x}[:{text(se.low, compact=True)}]")
        fixes.append(f"{x}[0] = nil" if one else f"clear({x}[:{text(se.low, compact=True)}])")
    if back:
        h = text(high, compact=True)
        if _is_len_minus_k(an, high, se.x, 1):
            parts.append(f"{x}[{h}]")
            fixes.append(f"{x}[{h}] = nil")
        else:
            parts.append(f"{x}[{h}:]")
            fixes.append(f"clear({x}[{h}:])")
    dropped = " and ".join(parts)
    fix = "; ".join(fixes)
    u = an.underlying(st.elem)
    single = all(not p.endswith(":]") and ":" not in p.split("[", 1)[-1] for p in parts) and len(parts) == 1
    if u is not None and u.kind == "ptr":
        kept = f"the dropped {elem} stays reachable" if single else f"the dropped {elem} values stay reachable"
    else:
        kept = f"whatever the dropped {elem} values point to stays reachable"
        single = True  # "whatever ... is"
    if sink is None:
        return Finding(ID, "warning", se.pos,
                       f"{what} hands the caller a slice whose backing array still holds the dropped "
                       f"{dropped}: {kept}, never garbage collected, for as long as the caller keeps the "
                       f"result; set {fix} first, or return a copy: slices.Clone({text(se)})", "")
    until = ("while that array lives" if front
             else "until a later append overwrites the slot (or the array is dropped)")
    return Finding(ID, "warning", se.pos,
                   f"{what} drops {dropped} from the slice but not from its backing array, which {sink} "
                   f"still shares: {kept} and {'is' if single else 'are'} never garbage collected {until}; "
                   f"{'set ' if '=' in fix else ''}{fix} first (or use slices.Delete, which clears the vacated "
                   f"elements)", "")


def _is_len_of(an, e, x, depth: int = 0) -> bool:
    """e is len(x), or a local n := len(x)."""
    e = strip(e)
    if type(e) is A.CallExpr and is_builtin(an, e.fun, "len") and len(e.args) == 1:
        a = strip(e.args[0])
        return same(a, strip(x)) or same_storage(an, a, x) or same_storage(an, x, a)
    v = an.var(e) if type(e) is A.Ident else None
    if v is not None and v.kind == "local" and v.defs and depth < 3:
        return all(isinstance(d, A.Node) and _is_len_of(an, d, x, depth + 1) for d in v.defs)
    return False


def _is_len_minus_k(an, e, x, k: int | None = None) -> bool:
    """e is len(x)-c with a constant c > 0 (c == k when k is given)."""
    e = strip(e)
    if not (type(e) is A.BinaryExpr and e.op == "-" and _is_len_of(an, e.x, x)):
        return False
    c = const_int(e.y, an.consts)
    return c is not None and c > 0 and (k is None or c == k)


def _is_filter_count(an, fn, e, x) -> bool:
    """e is the counter of an in-place filter over x: a local that starts at
    0 and indexes stores into x (`x[n] = v; n++`)."""
    e = strip(e)
    v = an.var(e)
    if v is None or v.kind != "local" or not any(
            isinstance(d, A.Node) and const_int(d, an.consts) == 0 for d in v.defs):
        return False
    for n in own_nodes(fn.body):
        if type(n) is A.AssignStmt and n.tok == "=":
            for lhs in n.lhs:
                lhs = strip(lhs)
                if (type(lhs) is A.IndexExpr and same(strip(lhs.x), strip(x)) and len(lhs.indices) == 1
                        and an.var(strip(lhs.indices[0])) is v):
                    return True
    return False


def _zero(an, e) -> bool:
    e = strip(e)
    if type(e) is A.Ident:
        return e.name == "nil" or e.name.startswith("zero")
    if type(e) is A.CompositeLit:
        return not e.elts
    return False


def _cleared(an, fn, x) -> bool:
    """Some element of x is set to nil (or zero), or x is cleared, in the
    function (anywhere: a loop may clear on earlier iterations)."""
    x = strip(x)
    for n in own_nodes(fn.body):
        t = type(n)
        if t is A.AssignStmt and n.tok == "=":
            for lhs, rhs in zip(n.lhs, n.rhs):
                lhs = strip(lhs)
                if type(lhs) is A.IndexExpr and same(strip(lhs.x), x) and _zero(an, rhs):
                    return True
        elif t is A.CallExpr and is_builtin(an, n.fun, "clear") and len(n.args) == 1:
            a = strip(n.args[0])
            if same(a, x) or (type(a) is A.SliceExpr and same(strip(a.x), x)):
                return True
    return False
