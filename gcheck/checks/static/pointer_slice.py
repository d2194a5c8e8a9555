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
from gcheck.checks.static._flow import flows, is_builtin, own_nodes, own_stmts, same, strip, text
from gcheck.checks.static._types import analyse, const_int
from gcheck.diagnostics import Finding

ID = "pointer-slice-retention"


def check(files: list, ctx) -> list[Finding]:
    an = analyse(files)
    fl = flows(an)
    out: list[Finding] = []
    for fn in an.funcs:
        esc = fl.escape(fn)
        for s in own_stmts(fn.body):
            if type(s) is A.AssignStmt and s.tok == "=" and len(s.lhs) == len(s.rhs):
                for lhs, rhs in zip(s.lhs, s.rhs):
                    r = strip(rhs)
                    if type(r) is not A.SliceExpr or not same(r.x, lhs):
                        continue
                    sink = esc.sink(lhs)
                    if sink is None:
                        continue
                    f = _judge(an, fn, r, s, f"{text(lhs)} = {text(r)}", sink)
                    if f is not None:
                        out.append(f)
            elif type(s) is A.ReturnStmt:
                for res in s.results:
                    r = strip(res)
                    if type(r) is A.SliceExpr:
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
    back = high is not None and not _is_len_of(an, high, se.x)
    if se.slice3 and se.max is not None and not back:
        back = not _is_len_of(an, strip(se.max), se.x) and not same(strip(se.max), high)
    if not front and not back:
        return None
    if _cleared_before(an, fn, se.x, stmt.pos):
        return None
    elem = str(st.elem)
    parts, fixes = [], []
    if front:
        one = const_int(se.low, an.consts) == 1
        parts.append(f"{x}[0]" if one else f"{x}[:{text(se.low)}]")
        fixes.append(f"{x}[0] = nil" if one else f"clear({x}[:{text(se.low)}])")
    if back:
        if high is not None and _is_len_minus_one(an, high, se.x):
            parts.append(f"{x}[len({x})-1]")
            fixes.append(f"{x}[len({x})-1] = nil")
        elif high is not None and not _is_len_of(an, high, se.x):
            parts.append(f"{x}[{text(high)}:]")
            fixes.append(f"clear({x}[{text(high)}:])")
        else:
            parts.append(f"the elements past {text(se.max)}")
            fixes.append(f"clear({x}[{text(se.max)}:])")
    dropped = " and ".join(parts)
    fix = "; ".join(fixes)
    u = an.underlying(st.elem)
    if u is not None and u.kind == "ptr":
        kept = f"the dropped {elem} stays reachable"
    else:
        kept = f"whatever the dropped {elem} values point to stays reachable"
    if sink is None:
        return Finding(ID, "warning", se.pos,
                       f"{what} hands the caller a slice whose backing array still holds the dropped "
                       f"{dropped}: {kept}, never garbage collected, for as long as the caller keeps the "
                       f"result; set {fix} first, or return a copy: slices.Clone({text(se)})", "")
    return Finding(ID, "warning", se.pos,
                   f"{what} drops {dropped} from the slice but not from its backing array, which {sink} "
                   f"still shares: {kept} and is never garbage collected while that array lives; "
                   f"{'set ' if '=' in fix else ''}{fix} first (or use slices.Delete, which clears the vacated "
                   f"elements)", "")


def _is_len_of(an, e, x) -> bool:
    e = strip(e)
    return (type(e) is A.CallExpr and is_builtin(an, e.fun, "len") and len(e.args) == 1
            and same(strip(e.args[0]), strip(x)))


def _is_len_minus_one(an, e, x) -> bool:
    e = strip(e)
    return (type(e) is A.BinaryExpr and e.op == "-" and _is_len_of(an, e.x, x)
            and const_int(e.y, an.consts) == 1)


def _zero(an, e) -> bool:
    e = strip(e)
    if type(e) is A.Ident:
        return e.name == "nil" or e.name.startswith("zero")
    if type(e) is A.CompositeLit:
        return not e.elts
    return False


def _cleared_before(an, fn, x, pos) -> bool:
    """Some element of x is set to nil (or zero), or x is cleared, before pos."""
    x = strip(x)
    for n in own_nodes(fn.body):
        if not (n.pos.line, n.pos.col) < (pos.line, pos.col):
            continue
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
