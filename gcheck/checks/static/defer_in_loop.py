"""defer-in-loop: a defer inside a loop runs when the function returns, not at
the end of the iteration.

Every iteration pushes one more deferred call, and whatever it would release
(an open file, a lock, a context's timer, a response body) is held until the
enclosing function returns: a loop over ten thousand files keeps ten
thousand descriptors open. Reported on a `defer` whose innermost enclosing
function body contains it inside a `for` loop; silent when the defer is in a
function literal called in the loop (its own function), and on loops that
provably run at most once (`for { ...; break }`, a body that always returns,
a constant one-iteration header).
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck.checks.static._flow import own_nodes, strip, sub_stmts, text
from gcheck.checks.static._types import analyse, const_int
from gcheck.diagnostics import Finding

ID = "defer-in-loop"

_FILE_OPENERS = {"os.Open", "os.Create", "os.OpenFile", "os.CreateTemp"}
_RESPONSES = {"http.Get", "http.Post", "http.Head", "http.PostForm"}
_CONTEXTS = {"context.WithCancel", "context.WithTimeout", "context.WithDeadline", "context.WithCancelCause",
             "signal.NotifyContext"}
_EXITS = {"os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf"}


def check(files: list, ctx) -> list[Finding]:
    an = analyse(files)
    out: list[Finding] = []
    _LABELS.clear()
    _ONCE.clear()
    for fn in an.funcs:
        _walk(an, fn, fn.body, [], None, out)
    _LABELS.clear()
    _ONCE.clear()
    out.sort(key=lambda f: (f.pos.file, f.pos.line, f.pos.col))
    return out


def _stmt_children(node):
    """The statements directly inside a statement (defers only sit in
    statement lists; function literals are walked as functions of their own)."""
    t = type(node)
    if t is A.BlockStmt:
        return node.stmts
    if t is A.IfStmt:
        return (node.body, node.els) if node.els is not None else (node.body,)
    if t in (A.SwitchStmt, A.TypeSwitchStmt, A.SelectStmt):
        return node.body
    if t in (A.CaseClause, A.CommClause):
        return node.body
    return ()


def _walk(an, fn, node, loops: list, label: str | None, out: list) -> None:
    t = type(node)
    if t is A.LabeledStmt:
        _walk(an, fn, node.stmt, loops, node.label.name, out)
        return
    if t in (A.ForStmt, A.RangeStmt):
        _LABELS[id(node)] = label
        _walk(an, fn, node.body, loops + [node], None, out)
        return
    if t is A.DeferStmt and loops:
        # the innermost loop that may run more than once (decided lazily:
        # most loops hold no defer)
        loop = next((lp for lp in reversed(loops) if not _once(an, lp)), None)
        if loop is not None and not _leaves_loop_after(an, loop, node):
            out.append(_finding(an, fn, node, loop))
    for c in _stmt_children(node):
        _walk(an, fn, c, loops, None, out)


# ---------------------------------------------------------------- loops that run once


def _at_most_once(an, loop, label: str | None) -> bool:
    consts = an.consts
    if type(loop) is A.RangeStmt:
        x = strip(loop.x)
        if type(x) is A.CompositeLit and len(x.elts) <= 1:
            return True
        n = const_int(x, consts)
        if n is not None and n <= 1:
            return True
    elif loop.cond is not None:
        c = strip(loop.cond)
        if type(c) is A.Ident and c.name == "false":
            return True
        init = loop.init
        if (type(c) is A.BinaryExpr and c.op in ("<", "<=") and type(init) is A.AssignStmt
                and len(init.lhs) == 1 and len(init.rhs) == 1 and type(init.lhs[0]) is A.Ident
                and type(strip(c.x)) is A.Ident and strip(c.x).name == init.lhs[0].name):
            a, b = const_int(init.rhs[0], consts), const_int(c.y, consts)
            if a is not None and b is not None and (b - a if c.op == "<" else b - a + 1) <= 1:
                return True
    stmts = loop.body.stmts
    if not stmts or not _terminates(an, stmts[-1], label):
        return False
    return not _continues(loop.body, label)


_LABELS: dict[int, str | None] = {}  # id(loop) -> its label, while walking
_ONCE: dict[int, tuple] = {}  # id(loop) -> (loop, runs at most once)


def _once(an, loop) -> bool:
    hit = _ONCE.get(id(loop))
    if hit is None or hit[0] is not loop:
        hit = (loop, _at_most_once(an, loop, _LABELS.get(id(loop))))
        _ONCE[id(loop)] = hit
    return hit[1]


def _path_to(root, target) -> list | None:
    """The nodes from root down to target (function literals not entered)."""
    from gcheck.lower.escape import children

    stack = [(root, 0)]
    path: list = []
    while stack:
        n, depth = stack.pop()
        del path[depth:]
        path.append(n)
        if n is target:
            return path
        if type(n) is A.FuncLit:
            continue
        stack.extend((c, depth + 1) for c in reversed(list(children(n))))
    return None


def _leaves_loop_after(an, loop, d: A.DeferStmt) -> bool:
    """Every path from the defer leaves the loop (return, break, panic)
    before the loop can start another iteration: the defer runs at most
    once per call, like a defer outside the loop."""
    label = _LABELS.get(id(loop))
    path = _path_to(loop.body, d)
    if path is None:
        return False
    for k in range(len(path) - 2, -1, -1):
        node, child = path[k], path[k + 1]
        if type(node) is A.BlockStmt:
            stmts = node.stmts
        elif type(node) in (A.CaseClause, A.CommClause):
            stmts = node.body
        else:
            continue
        i = next((j for j, x in enumerate(stmts) if x is child), None)
        if i is None:
            continue
        between = path[1 : k + 1]
        nested = any(type(p) in (A.SwitchStmt, A.TypeSwitchStmt, A.SelectStmt, A.ForStmt, A.RangeStmt)
                     for p in between)
        inner_loop = any(type(p) in (A.ForStmt, A.RangeStmt) for p in between)
        for s in stmts[i + 1 :]:
            if _continues(s, label, plain=not inner_loop):
                return False
            if _terminates(an, s, label, plain_break=not nested):
                return True
    return False


def _terminates(an, s, label, plain_break: bool = True) -> bool:
    t = type(s)
    if t is A.ReturnStmt:
        return True
    if t is A.BranchStmt and s.tok == "break":
        return (s.label is None and plain_break) or (s.label is not None and s.label.name == label)
    if t is A.ExprStmt and type(strip(s.x)) is A.CallExpr:
        fun = strip(strip(s.x).fun)
        if type(fun) is A.Ident and fun.name == "panic" and id(fun) not in an.uses:
            return True
        return an.qualified(fun) in _EXITS
    if t is A.BlockStmt:
        return bool(s.stmts) and _terminates(an, s.stmts[-1], label, plain_break)
    if t is A.IfStmt:
        return (s.els is not None and bool(s.body.stmts) and _terminates(an, s.body.stmts[-1], label, plain_break)
                and _terminates(an, s.els, label, plain_break))
    return False


def _continues(body, label, plain: bool = True) -> bool:
    """A continue (or goto) in body that may start another iteration of the
    loop (`plain`: an unlabeled continue outside inner loops counts)."""
    stack = [(body, 0 if plain else 1)]
    while stack:
        n, depth = stack.pop()
        t = type(n)
        if t is A.BranchStmt:
            if n.tok == "goto":
                return True
            if n.tok == "continue" and ((n.label is None and depth == 0) or (n.label is not None and n.label.name == label)):
                return True
        d = depth + 1 if t in (A.ForStmt, A.RangeStmt) else depth
        stack.extend((c, d) for c in sub_stmts(n))
    return False


# ---------------------------------------------------------------- what is held


def _def_of(an, ident, loop, before) -> tuple | None:
    """(rhs, callee text) of the assignment in the loop that last gave
    `ident` its value before `before`."""
    v = an.var(ident)
    found = None
    for n in own_nodes(loop.body):
        if type(n) is not A.AssignStmt or not (n.pos.line, n.pos.col) < (before.line, before.col):
            continue
        for i, lhs in enumerate(n.lhs):
            if type(lhs) is A.Ident and lhs.name == ident.name and (v is None or an.var(lhs) is v):
                rhs = n.rhs[i] if len(n.rhs) == len(n.lhs) else n.rhs[0]
                found = (strip(rhs), n.pos.line)
    if found is None and type(loop) is A.RangeStmt:
        for e in (loop.key, loop.value):
            if type(e) is A.Ident and e.name == ident.name:
                return (None, loop.pos.line)
    return found


def _callee(an, e) -> str | None:
    e = strip(e)
    if type(e) is A.CallExpr:
        return an.qualified(strip(e.fun)) or text(e.fun)
    return None


def _root(e):
    e = strip(e)
    while type(e) in (A.SelectorExpr, A.IndexExpr, A.StarExpr, A.ParenExpr):
        e = e.x
    return e if type(e) is A.Ident else None


def _held(an, d: A.DeferStmt, loop) -> str:
    call = d.call
    fun = strip(call.fun)
    ctext = text(call)
    if type(fun) is A.FuncLit:
        return "every iteration's deferred function literal waits on the defer stack, with everything it captures,"
    q = an.qualified(fun)
    if q in ("os.Remove", "os.RemoveAll"):
        return f"every path that {q} would remove stays on disk"
    if type(fun) is A.Ident:
        df = _def_of(an, fun, loop, d.pos)
        if df is not None and _callee(an, df[0]) in _CONTEXTS:
            return (f"every context made by {_callee(an, df[0])} at line {df[1]} stays uncancelled "
                    f"(its timer and resources with it)")
        return f"every iteration's {ctext} waits on the defer stack"
    if type(fun) is not A.SelectorExpr or q is not None:
        if q is not None and fun.sel.name == "Close" and len(call.args) == 1:
            return f"every {text(call.args[0])} stays open"
        return f"every iteration's {ctext} waits on the defer stack"
    recv, method = fun.x, fun.sel.name
    rtext = text(recv)
    root = _root(recv)
    df = _def_of(an, root, loop, d.pos) if root is not None else None
    callee = _callee(an, df[0]) if df is not None else None
    src = f" from {callee} at line {df[1]}" if callee else ""
    if method == "Close":
        if callee in _FILE_OPENERS:
            return f"every file opened by {callee} at line {df[1]} stays open"
        if callee in _RESPONSES or (callee or "").endswith(".Do") or rtext.endswith(".Body"):
            return f"every response body{src} stays open, and its connection with it,"
        if df is not None:
            return f"every {rtext}{src} stays open"
        return f"{rtext} is not closed after each iteration and"
    if method in ("Unlock", "RUnlock"):
        return f"{rtext} stays locked"
    if method == "Stop":
        return f"every {rtext}{src} keeps running"
    if method == "Done":
        return f"{rtext}'s counter does not go down"
    if method in ("Rollback", "Commit"):
        return f"every transaction {rtext}{src} stays open"
    if method in ("Release", "Put", "Free"):
        return f"every {rtext}{src} stays held"
    if df is not None and callee:
        return f"every {rtext}{src} waits for its {method}"
    return f"every iteration's {ctext} waits on the defer stack"


def _finding(an, fn, d: A.DeferStmt, loop) -> Finding:
    call = text(d.call)
    held = _held(an, d, loop)
    kind = "for loop" if type(loop) is A.ForStmt else "range loop"
    msg = (f"defer {call} in a {kind} (line {loop.pos.line}) runs only when {fn.name} returns, not at the end "
           f"of each iteration: {held} until {fn.name} returns; move the loop body into a function "
           f"(func() {{ ...; defer {call} }}()) so each iteration releases its own, or call {call} at the end "
           f"of the iteration")
    return Finding(ID, "warning", d.pos, msg, "")
