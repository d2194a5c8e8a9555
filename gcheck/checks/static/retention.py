"""substring-retention and subslice-retention: a small piece of a big string
or slice, stored where it outlives the call, keeps the whole backing array
alive.

`s[i:j]` shares memory with `s`. When the piece is stored in a package-level
variable, a map, a field of a value that outlives the call, a channel, or is
returned by a function whose caller stores it, the garbage collector cannot
free any of the original: a 50-byte prefix of a 1 MiB line keeps the MiB. The
checks report the slice expression (or the call, when a function returns the
slice) when its source is a parameter, a large allocation or of unknown size,
and stay silent on the copying forms (strings.Clone, string([]byte(...)),
bytes.Clone, slices.Clone, append([]T(nil), s...), make + copy, a
strings.Builder), on sources known to be small (literals, small fixed-size
buffers) and wherever the type is unknown.
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck.checks.static._flow import Origin, flows, own_stmts, same_storage, strip, text
from gcheck.checks.static._types import analyse
from gcheck.diagnostics import Finding

IDS = ("substring-retention", "subslice-retention")


def check(files: list, ctx) -> list[Finding]:
    an = analyse(files)
    fl = flows(an)
    out: list[Finding] = []
    seen: set = set()

    def report(o: Origin, sink: str, at: A.Node, fn, lhs=None) -> None:
        if lhs is not None and o.src_expr is not None:
            if same_storage(an, o.src_expr, lhs):
                return  # x = x[i:j], x = f(x): the piece replaces its own source
            esc = fl.escape(fn)
            a, b = esc.root_var(o.src_expr), esc.root_var(lhs)
            if a is not None and a is b and type(strip(o.src_expr)) is not A.Ident:
                return  # p.tok = p.src[i:j]: the same object keeps the source anyway
        pos = o.via_pos or o.slice.pos
        key = (pos.file, pos.line, pos.col)
        if key in seen:
            return
        seen.add(key)
        out.append(Finding(_id(o), "warning", pos, _message(an, o, sink, at, fn), ""))

    for fn in an.funcs:
        for s in own_stmts(fn.body):
            t = type(s)
            pairs: list = []
            if t is A.AssignStmt:
                if len(s.lhs) == len(s.rhs) and s.tok in ("=", ":="):
                    pairs = list(zip(s.lhs, s.rhs))
                elif len(s.lhs) == 1:
                    pairs = [(s.lhs[0], None)]  # m[k] += v stores k too
            elif t is A.IncDecStmt:
                pairs = [(s.x, None)]
            elif t is A.SendStmt:
                o = fl.retaining(s.value, fn)
                if o is not None:
                    report(o, f"the channel {text(s.chan)}", s, fn)
            for lhs, rhs in pairs:
                lhs = strip(lhs)
                if type(lhs) is A.Ident and not an.is_pkg_var(lhs):
                    continue  # a local: where it goes next is what counts
                o = fl.retaining(rhs, fn) if rhs is not None else None
                ko = _key_origin(an, fl, fn, lhs)
                if o is None and ko is None:
                    continue
                sink = fl.escape(fn).sink(lhs, returned=False)
                if sink is None:
                    continue
                if o is not None:
                    report(o, sink, s, fn, lhs)
                if ko is not None:
                    report(ko, f"{sink} (as a key)", s, fn)
    out.sort(key=lambda f: (f.pos.file, f.pos.line, f.pos.col))
    return out


def _key_origin(an, fl, fn, lhs) -> Origin | None:
    """m[k] = v stores the key k in the map too."""
    if type(lhs) is not A.IndexExpr or len(lhs.indices) != 1:
        return None
    o = fl.retaining(lhs.indices[0], fn)
    if o is None:
        return None
    mt = an.underlying(an.type_of(lhs.x))
    return o if mt is not None and mt.kind == "map" else None


def _id(o: Origin) -> str:
    return "substring-retention" if o.kind == "substring" else "subslice-retention"


def _clone(o: Origin, what: str) -> str:
    if o.kind == "substring":
        return f"strings.Clone({what})"
    el = o.elem
    if el is not None and el.kind == "basic" and el.name in ("byte", "uint8"):
        return f"bytes.Clone({what})"
    return f"slices.Clone({what})"


def _callee(via: str) -> str:
    return via.split("(", 1)[0]


def _message(an, o: Origin, sink: str, at: A.Node, fn) -> str:
    piece = text(o.slice)
    pos = o.via_pos or o.slice.pos
    where = f"{sink} at line {at.pos.line}" if at.pos.line != pos.line else sink
    sub = o.kind == "substring"
    share = ("a substring shares the memory of the string it is cut from" if sub
             else "a subslice shares the backing array of the slice it is cut from")
    src = o.src
    if o.via and o.src_expr is None:
        src = text(o.slice.x)  # a value of the callee's own
    if o.part:
        whole = f"every string of {src} it is cut from" if sub else f"the backing arrays of {src}'s elements"
    else:
        whole = f"all of {src}" if sub else f"the whole backing array of {src}"
    why = f"its length is unknown" if o.why.startswith("of ") else f"{src} is {o.why}"
    if not o.via:
        return (f"{piece} is stored in {where}, which outlives {fn.name}: {share}, so {whole} ({why}) "
                f"stays in memory as long as the {o.kind} is kept; store a copy: {_clone(o, piece)}")
    call = strip(o.via_call) if o.via_call is not None else None
    rt = an.underlying(an.type_of(call)) if call is not None else None
    direct = rt is not None and ((sub and rt.kind == "basic") or (not sub and rt.kind == "slice"))
    what = f"returns {piece}" if direct else f"returns a result holding {piece}"
    cut = f"a {o.kind} of its argument {src}" if o.src_expr is not None else f"a {o.kind} of {src}"
    fix = (f"store a copy: {_clone(o, o.via)}" if direct
           else f"make {_callee(o.via)} keep a copy: {_clone(o, piece)}")
    return (f"{o.via} {what}, {cut}, and the result is stored in {where}, which outlives {fn.name}: "
            f"{share}, so {whole} ({why}) stays in memory as long as the {o.kind} is kept; {fix}")
