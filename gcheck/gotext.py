"""Go source text of an expression, for messages and traces (`ch <- v`, `wg.Wait()`).

Shared by the lowering (instruction texts in traces) and the syntax checks
(their messages); compact=True drops the blanks around binary operators, as
gofmt does inside an index.
"""

from __future__ import annotations

from gcheck import goast as A


def expr_text(e, depth: int = 0, compact: bool = False) -> str:
    """Go source text of an expression, for messages (gofmt's spacing: no
    blanks around binary operators inside an index)."""
    if e is None:
        return ""
    if depth > 10:
        return "..."
    d = depth + 1
    t = type(e)
    if t is A.Ident:
        return e.name
    if t is A.BasicLit:
        return e.value if len(e.value) <= 24 else e.value[:20] + "...\""
    if t is A.SelectorExpr:
        return f"{expr_text(e.x, d)}.{e.sel.name}"
    if t is A.CallExpr:
        args = ", ".join(expr_text(a, d) for a in e.args)
        if len(args) > 40:
            args = "..."
        return f"{expr_text(e.fun, d)}({args}{'...' if e.ellipsis else ''})"
    if t is A.UnaryExpr:
        return f"{e.op}{expr_text(e.x, d)}"
    if t is A.BinaryExpr:
        sep = "" if compact else " "
        return f"{expr_text(e.x, d, compact)}{sep}{e.op}{sep}{expr_text(e.y, d, compact)}"
    if t is A.StarExpr:
        return f"*{expr_text(e.x, d)}"
    if t is A.ParenExpr:
        return f"({expr_text(e.x, d)})"
    if t is A.IndexExpr:
        return f"{expr_text(e.x, d)}[{', '.join(expr_text(i, d, True) for i in e.indices)}]"
    if t is A.SliceExpr:
        s = f"{expr_text(e.x, d)}[{expr_text(e.low, d, True)}:{expr_text(e.high, d, True)}"
        if e.slice3:
            s += f":{expr_text(e.max, d, True)}"
        return s + "]"
    if t is A.TypeAssertExpr:
        return f"{expr_text(e.x, d)}.({expr_text(e.type, d) if e.type else 'type'})"
    if t is A.FuncLit:
        return "func literal"
    if t is A.CompositeLit:
        return f"{expr_text(e.type, d)}{{...}}"
    if t is A.ArrayType:
        return f"[{expr_text(e.len, d)}]{expr_text(e.elt, d)}"
    if t is A.MapType:
        return f"map[{expr_text(e.key, d)}]{expr_text(e.value, d)}"
    if t is A.ChanType:
        return {"both": "chan ", "send": "chan<- ", "recv": "<-chan "}[e.dir] + expr_text(e.value, d)
    if t is A.KeyValueExpr:
        return f"{expr_text(e.key, d)}: {expr_text(e.value, d)}"
    if t is A.FuncType:
        return "func(...)"
    if t is A.StructType:
        return "struct{...}"
    if t is A.InterfaceType:
        return "interface{...}"
    return type(e).__name__
