"""Go -> Promela, for the channel/select/mutex/WaitGroup subset.

    gcheck export --promela PATH [--entry NAME] [-o FILE]

A small compiler over gcheck.goast (it does not use gcheck's IR, whose
expressions are Python closures). Three passes:

1. resolve: walk the entry and every function started with `go`, bind
   identifiers to variables, infer the few types the subset has (int, bool,
   chan, *sync.Mutex, *sync.WaitGroup, []sync.Mutex), record allocation
   sites (`make`, `var mu sync.Mutex`) and `go` statements;
2. analyse: compile-time constants, constant loop bounds, how many times
   each allocation site and each goroutine body runs, which channel
   variables are buffered (a Promela send/receive on a rendezvous channel is
   written differently from one on a buffered channel, so a variable may not
   hold both kinds);
3. emit: one proctype per goroutine body, one `atomic` block per visible
   operation.

The subset: goroutines started with `go` on function literals and named
functions (arguments by value, channels as handles), `make(chan T[, k])`
with a constant k, send, receive (`<-c`, `v := <-c`, `v, ok := <-c`),
`close`, `select` with or without `default`, `for` loops (a constant bound
wherever a loop allocates or starts goroutines), `for range ch`, `for i :=
range N`, if/switch, sync.Mutex Lock/Unlock (also `[]sync.Mutex` and
pointers to its elements), sync.WaitGroup Add/Done/Wait, `defer` of those at
the top of a goroutine body, and int/bool local variables. Anything else is
rejected with `path:line:col: not in the Promela subset: ...`.

Step granularity, mirrored from gcheck (README, model/semantics.py): a step
is one visible operation followed by the goroutine's local code up to its
next visible operation; an unbuffered hand-off is one joint step of both
goroutines; a new goroutine runs its local prefix at creation. Each visible
operation k of a goroutine gets a label `S<k>` and a block

    S<k>: atomic { if :: <option> -> <local code ...; goto S<j>> :: ... fi }

SPIN stores no state inside an atomic sequence (a jump out of one into the
next visible operation's block ends it), so the process rests only at its
visible operations, like a gcheck goroutine. Other mirrors of gcheck's
model, each for the state count:

- dead variables are cleared: on the way to S<j> every local that no code
  reachable from S<j> reads is set to 0, as gcheck's liveness does
  (lower/__init__.py: compute_liveness); a `for range ch` keeps the last
  received value in a temporary as gcheck's lowering does;
- a finished goroutine is removed in gcheck; here it zeroes its locals and
  parks at `end_exit: false` forever (a process that merely reached its `}`
  would add SPIN's `-end-` transition and a state, whenever it is the
  youngest process);
- main's return is a step of its own when other goroutines exist (gcheck:
  exec._finish); `live` counts the goroutines that have not finished;
- WaitGroup.Wait with a non-zero counter parks first and returns in a
  second step once an Add brought the counter to zero (gcheck's wg.wait and
  wg.wait2); the waiters are counted, not listed by goroutine;
- a select with default takes the default whenever no case can proceed by
  its channel's own state (buffer, closed flag): gcheck lets it miss a
  partner that has not parked yet, and a goroutine parks only after a
  time.Sleep, outside this subset. Two selects with default never hand off
  to each other. Both rules use the rendezvous message's extra fields:
  `c!v,poll,closed[c],exits` and `c?v,_,0,rx` (blocking receive) or
  `c?v,0,0,rx` (polling receive), so a hand-off needs an open channel and
  at most one polling side;
- a goroutine that ends with a rendezvous send sends exits=1 and jumps to
  its end; the receiver takes it out of `live` (SPIN's rendezvous moves
  both processes, but only the receiver runs on inside its atomic block:
  local code of the sender after `c!` would be a step of its own). Such a
  send and its goto stay outside `atomic`, where SPIN retargets the send
  to the goto's label;
- a parameter the goroutine never reads is passed as 0 by `run` (gcheck
  clears the dead slot in the creator's step; the goroutine would need a
  step of its own to clear it); while deferred calls run, nothing is
  cleared (gcheck keeps a returning frame's slots);
- close is a flag per channel (`closed[c]`, indexed by the chan handle);
  a receive on a closed channel gives the zero value (after the buffer is
  drained); send on a closed channel, close of a closed channel, unlock of
  an unlocked mutex and a negative WaitGroup counter are assertions.

Verdicts: every visible operation of a goroutine other than main is an
`end` label, so SPIN's "invalid end state" means exactly gcheck's
global-deadlock: a state without successors in which main is blocked.
(Goroutines blocked after main returned are gcheck's goroutine-leak, which
SPIN is not asked about.)

Counting states: run SPIN with `spin -a -o1` (no dead-variable elimination:
SPIN's own kills a variable at its last read, gcheck's liveness has no
kills; the export clears dead variables as gcheck does) and pan compiled
with -DNOREDUCE. The counts then agree exactly, plus one (below), for
programs without the constructs listed here; see
benchmarks/spin_side_by_side.py for measurements.

Where SPIN's state count must differ from gcheck's without reductions:

- SPIN stores the initial state, before main's first statement; gcheck's
  first state is after main's local prefix (+1 when main starts with local
  code);
- a rendezvous moves the sender's pc but only the receiver continues inside
  its atomic block: the sender's local code after `c!` (other than ending,
  see above) is a separate SPIN transition, so SPIN stores the states in
  which it is still pending, interleaved with everything else; gcheck runs
  both sides' local code in the joint step;
- gcheck tells a variable never assigned (nil) from one holding the zero
  value; a Promela variable starts at 0, so SPIN merges such states;
- a panic is an assertion: SPIN stops there, gcheck steps into the panic;
- a goroutine whose body starts with local code (before its first visible
  operation) rests once at its first statement; gcheck runs that prefix in
  the step of the `go` statement;
- gcheck numbers heap objects canonically and drops unreachable ones: SPIN
  keeps allocated channels (and their buffers) in global arrays, and
  allocation sites that run in several goroutines take indices in arrival
  order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck import goast as A

PROMELA_RESERVED = {
    "active", "assert", "atomic", "bit", "bool", "break", "byte", "chan", "d_step", "D_proctype", "do",
    "else", "empty", "enabled", "eval", "false", "fi", "for", "full", "get_priority", "goto", "hidden",
    "if", "in", "init", "inline", "int", "len", "local", "mtype", "nempty", "never", "nfull", "notrace",
    "np_", "od", "of", "pc_value", "pid", "print", "printf", "printm", "priority", "proctype",
    "provided", "run", "select", "set_priority", "short", "show", "skip", "timeout", "trace", "true",
    "typedef", "unless", "unsigned", "xr", "xs", "c_code", "c_decl", "c_expr", "c_state", "c_track",
    "main", "end", "accept", "progress", "assert", "_", "_pid", "_nr_pr", "_last", "np_",
}

INT, BOOL, UNIT, MUTEX, WG, MUTEXES = "int", "bool", "unit", "mutex", "wg", "mutexes"
INT_NAMES = {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
             "uintptr", "byte", "rune"}
PTYPE = {INT: "int", BOOL: "bool", UNIT: "bit", MUTEX: "byte", WG: "byte", MUTEXES: "byte"}
SYNC_METHODS = {MUTEX: ("Lock", "Unlock"), WG: ("Add", "Done", "Wait")}


class ExportError(Exception):
    """Bad input other than an unsupported construct; str() is `path:line:col: ...`."""


class NotInSubset(Exception):
    """A construct outside the subset; str() is `path:line:col: not in the Promela subset: ...`."""

    def __init__(self, pos: A.Pos, what: str):
        super().__init__(what)
        self.pos = pos
        self.what = what

    def __str__(self) -> str:
        return f"{self.pos}: not in the Promela subset: {self.what}"


def _chan(elem: str) -> tuple:
    return ("chan", elem)


def _is_chan(t) -> bool:
    return type(t) is tuple and t[0] == "chan"


def _tname(t) -> str:
    if _is_chan(t):
        return "chan " + {UNIT: "struct{}"}.get(t[1], t[1])
    return {MUTEX: "*sync.Mutex", WG: "*sync.WaitGroup", MUTEXES: "[]sync.Mutex"}.get(t, str(t))


class ChanClass:
    """Union-find over channel variables and make sites: one class must be all
    buffered or all unbuffered (their Promela operations differ)."""

    def __init__(self):
        self.up = self
        self.sites: list = []
        self.params: list = []

    def find(self) -> "ChanClass":
        c = self
        while c.up is not c:
            c.up = c.up.up
            c = c.up
        return c

    def union(self, other: "ChanClass") -> None:
        a, b = self.find(), other.find()
        if a is not b:
            b.up = a
            a.sites.extend(b.sites)


@dataclass(eq=False)
class Var:
    go: str
    type: object
    fn: "Fn | None"  # None: package level
    pos: A.Pos
    role: str = "local"  # local | param | capture | global | temp
    name: str = ""  # Promela name
    init: object = None  # declaration initializer (an Expr) or a Site for sync values
    by_op: bool = False  # declared by a receive or range: never constant
    assigns: list = field(default_factory=list)  # (node, loops) of assignments after the declaration
    loop: object = None  # innermost loop whose iteration declares it
    cls: ChanClass | None = None
    outer: "Var | None" = None  # for a capture
    const: object = None  # int/bool, or ("h", text) for a handle; None: not constant
    const_done: bool = False


@dataclass(eq=False)
class Site:
    kind: str  # chan | mutex | wg | mutexes
    node: A.Node
    fn: "Fn | None"
    loops: tuple
    hint: str = ""
    elem: str = INT
    size: A.Expr | None = None  # channel capacity or slice length
    cls: ChanClass | None = None
    count: int | None = None
    n: int = 0  # capacity or length, evaluated
    name: str = ""  # chan: global name; otherwise the base index as text
    base: int = 0
    index: str | None = None  # how the k-th allocation is numbered (K > 1)


@dataclass(eq=False)
class Fn:
    name: str
    node: object
    body: A.BlockStmt
    parent: "Fn | None" = None
    is_main: bool = False
    params: list = field(default_factory=list)  # own parameters (Var), then captures
    locals: list = field(default_factory=list)
    captures: dict = field(default_factory=dict)  # outer Var -> capture Var
    spawns: list = field(default_factory=list)  # (GoStmt, creator Fn, loops)
    defers: list = field(default_factory=list)  # deferred CallExpr, in order
    count: int | None = None
    counting: bool = False
    nlits: int = 0
    used: set = field(default_factory=set)
    dead_at_start: set = field(default_factory=set)
    captures_list: list = field(default_factory=list)  # the captures passed as parameters


@dataclass
class LoopInfo:
    trip: int | None = None
    var: Var | None = None
    start: int = 0


# ---------------------------------------------------------------- code items


class If:
    """Promela if ... fi; each option is [guard, stmt, ...] (guard "else" for the else option)."""

    def __init__(self, *options):
        self.options = list(options)


@dataclass
class Label:
    name: str


class Zero:
    """The dead variables to clear on the way to an operation whose live set is
    `live`: resolved when the whole block is known (FnEmitter.finish)."""

    def __init__(self, live: set, at_exit: bool = False):
        self.live = live
        self.at_exit = at_exit


class RvSend:
    """A rendezvous send `c!v,poll,closed[c],exits`. exits is 1 when the sender
    ends right there with nothing left to clear: the receiver then counts it
    out of `live` in the joint step (FnEmitter.finish), so that the sender has
    no local code after the hand-off, which SPIN would run as a step of its own."""

    def __init__(self, h: str, v: str, poll: bool):
        self.h, self.v, self.poll = h, v, poll

    def text(self, exits: int) -> str:
        return SendText(f"{self.h}!{self.v},{1 if self.poll else 0},closed[{self.h}],{exits}")


class SendText(str):
    """A rendezvous send, once written out. An option that is such a send and a
    goto stays outside `atomic`: SPIN then retargets the send to the goto's
    label, while inside `atomic` the goto would be a transition of its own,
    taken after the hand-off (an extra state)."""


@dataclass
class Atomic:
    items: list


def _fmt_seq(items: list, ind: str) -> str:
    out = []
    pending_label = ""
    for it in items:
        if type(it) is Label:
            pending_label += it.name + ": "
            continue
        out.append(_fmt_item(it, ind, pending_label))
        pending_label = ""
    if pending_label:
        out.append(ind + pending_label + "skip")
    return ";\n".join(out)


def _fmt_item(it, ind: str, label: str = "") -> str:
    if isinstance(it, str):
        return ind + label + it
    if type(it) is Atomic:
        return f"{ind}{label}atomic {{\n{_fmt_seq(it.items, ind + '    ')}\n{ind}}}"
    if type(it) is If:
        lines = [ind + label + "if"]
        for opt in it.options:
            guard, rest = opt[0], opt[1:]
            if not isinstance(guard, str):
                lines.append(f"{ind}:: " + _fmt_item(guard, ind + "   ").lstrip())
                if rest:
                    lines[-1] += ";\n" + _fmt_seq(rest, ind + "   ")
                continue
            if rest:
                body = _fmt_seq(rest, ind + "      ")
                lines.append(f"{ind}:: {guard} ->\n{body}")
            else:
                lines.append(f"{ind}:: {guard}")
        lines.append(ind + "fi")
        return "\n".join(lines)
    raise TypeError(it)


# ---------------------------------------------------------------- frames

SEQ, LOOP, HEAD, BRK, EXIT = "seq", "loop", "head", "brk", "exit"


def _unparen(e):
    while type(e) is A.ParenExpr:
        e = e.x
    return e


def _is_recv(e) -> bool:
    e = _unparen(e)
    return type(e) is A.UnaryExpr and e.op == "<-"


def _int_lit(text: str) -> int:
    t = text.replace("_", "")
    if len(t) > 1 and t[0] == "0" and t[1].isdigit():
        return int(t, 8)
    return int(t, 0)


class Compiler:
    def __init__(self, files: list, entry: str = "main"):
        self.files = files
        self.entry = entry
        self.funcs: dict[str, A.FuncDecl] = {}
        self.pkg: dict = {}  # package scope: name -> Var or ("const", expr, iota)
        self.uses: dict[int, object] = {}  # id(Ident) -> Var or ("const", value)
        self.types: dict[int, object] = {}  # id(Expr) -> type
        self.fns: list[Fn] = []
        self.named: dict[str, Fn] = {}
        self.lit_fns: dict[int, Fn] = {}  # id(FuncLit) -> Fn
        self.sites: list[Site] = []
        self.site_of: dict[int, Site] = {}  # id(node) -> Site
        self.loop_info: dict[int, LoopInfo] = {}
        self.globals: list[Var] = []
        self.keep: list = []  # nodes whose id() is a key
        self.proc_names: set = set()
        self.labels_of: dict[int, str] = {}  # id(LabeledStmt inner) -> label

    # ------------------------------------------------------------ entry

    def compile(self) -> str:
        for f in self.files:
            for d in f.decls:
                if type(d) is A.FuncDecl:
                    if d.recv is not None:
                        continue  # methods are fine as long as nothing reachable uses them
                    self.funcs[d.name.name] = d
                elif type(d) is A.GenDecl:
                    self._pkg_decl(d)
        main = self.funcs.get(self.entry)
        if main is None:
            raise NotInSubset(A.Pos(self.files[0].package.pos.file if self.files else "", 1, 1),
                              f"no function {self.entry} to export")
        if main.type.params or main.type.results or main.type.type_params:
            raise NotInSubset(main.pos, f"the entry {self.entry} must have no parameters or results")
        fn = Fn("main", main, main.body, is_main=True)
        self.proc_names.add("main")
        self.fns.append(fn)
        self._walk_fn(fn, [self.pkg, {}])
        self._analyse()
        return _emit_program(self)

    def _pkg_decl(self, d: A.GenDecl) -> None:
        if d.tok in ("import", "type"):
            return
        last = ()
        for spec in d.specs:
            if d.tok == "const":
                values = spec.values or last
                last = values
                for i, name in enumerate(spec.names):
                    if i < len(values):
                        self.pkg[name.name] = ("const", values[i], spec.iota)
                continue
            for i, name in enumerate(spec.names):
                self.pkg[name.name] = ("lazyvar", spec, i)

    def _global(self, name: str, spec: A.ValueSpec, i: int) -> Var:
        init = spec.values[i] if i < len(spec.values) else None
        if init is not None and len(spec.values) != len(spec.names):
            raise NotInSubset(spec.pos, "multi-value package-level declaration")
        v = Var(name, None, None, spec.names[i].pos, role="global")
        self.pkg[name] = v
        sc = [self.pkg]
        if spec.type is not None:
            v.type, site = self._decl_type(spec.type, spec.pos, None, (), name)
            if site is not None:
                v.init = site
                site.hint = name
            if init is not None:
                self._value_for(v.type, init, sc, None, ())
        elif init is not None:
            v.type = self._expr(init, sc, None, ())
        if init is not None:
            v.init = init
        if v.type is None or v.type in (MUTEX, WG, MUTEXES) and type(v.init) is not Site and v.type != MUTEXES:
            raise NotInSubset(spec.pos, "package-level variable of this kind")
        if _is_chan(v.type):
            if init is None:
                raise NotInSubset(spec.pos, "nil channel (declare it with make)")
            v.cls = ChanClass()
            self._chan_flow(v.cls, init, sc, None)
        self.globals.append(v)
        return v

    # ------------------------------------------------------------ resolution

    def _lookup(self, ident: A.Ident, sc: list, fn: Fn | None):
        for scope in reversed(sc):
            if ident.name in scope:
                b = scope[ident.name]
                if type(b) is tuple and b[0] == "lazyvar":
                    b = self._global(ident.name, b[1], b[2])
                if type(b) is Var and b.fn is not None and fn is not None and b.fn is not fn:
                    b = self._capture(fn, b, ident.pos)
                return b
        return None

    def _capture(self, fn: Fn, v: Var, pos) -> Var:
        if v.fn is fn or v.fn is None:
            return v
        if fn.parent is None:
            raise NotInSubset(pos, f"{v.go} is not visible here")
        outer = self._capture(fn.parent, v, pos)
        c = fn.captures.get(outer)
        if c is None:
            c = Var(v.go, v.type, fn, pos, role="capture", outer=outer, cls=outer.cls)
            fn.captures[outer] = c
        return c

    def _declare(self, sc, ident: A.Ident, t, fn: Fn, loops, role="local", init=None) -> Var | None:
        if ident.name == "_":
            return None
        cls = ChanClass() if _is_chan(t) else None
        v = Var(ident.name, t, fn, ident.pos, role=role, init=init, cls=cls,
                loop=loops[-1] if loops else None)
        sc[-1][ident.name] = v
        self.uses[id(ident)] = v
        if init is not None and type(_unparen(init)) is A.CallExpr and id(_unparen(init)) in self.site_of:
            site = self.site_of[id(_unparen(init))]
            site.hint = site.hint or ident.name
        elif type(init) is Site:
            init.hint = init.hint or ident.name
        self.keep.append(ident)
        if role == "param":
            fn.params.append(v)
        else:
            fn.locals.append(v)
        return v

    def _decl_type(self, te, pos, fn, loops, hint: str):
        """(type, allocation site or None) for a declared type."""
        te = _unparen(te)
        if type(te) is A.Ident:
            if te.name in INT_NAMES:
                return INT, None
            if te.name == "bool":
                return BOOL, None
            raise NotInSubset(te.pos, f"type {te.name}")
        if type(te) is A.ChanType:
            return _chan(self._elem_type(te.value)), None
        if type(te) is A.SelectorExpr and type(te.x) is A.Ident and te.x.name == "sync":
            kind = {"Mutex": MUTEX, "WaitGroup": WG}.get(te.sel.name)
            if kind is None:
                raise NotInSubset(te.pos, f"sync.{te.sel.name}")
            site = self._site(kind, te, fn, loops, hint)
            return kind, site
        if type(te) is A.StarExpr:
            inner = _unparen(te.x)
            if type(inner) is A.SelectorExpr and type(inner.x) is A.Ident and inner.x.name == "sync":
                kind = {"Mutex": MUTEX, "WaitGroup": WG}.get(inner.sel.name)
                if kind is not None:
                    return kind, None
        if type(te) is A.ArrayType and te.len is None:
            el = _unparen(te.elt)
            if type(el) is A.SelectorExpr and type(el.x) is A.Ident and el.x.name == "sync" \
                    and el.sel.name == "Mutex":
                return MUTEXES, None
        raise NotInSubset(te.pos, "this type (the subset has int, bool, chan, sync.Mutex, "
                                  "sync.WaitGroup, []sync.Mutex)")

    def _elem_type(self, te) -> str:
        te = _unparen(te)
        if type(te) is A.Ident and te.name in INT_NAMES:
            return INT
        if type(te) is A.Ident and te.name == "bool":
            return BOOL
        if type(te) is A.StructType and not te.fields:
            return UNIT
        raise NotInSubset(te.pos, "channel element type (the subset has int, bool, struct{})")

    def _site(self, kind, node, fn, loops, hint, elem=INT, size=None) -> Site:
        s = Site(kind, node, fn, tuple(loops), hint=hint, elem=elem, size=size)
        if kind == "chan":
            s.cls = ChanClass()
            s.cls.sites.append(s)
        self.sites.append(s)
        self.site_of[id(node)] = s
        self.keep.append(node)
        return s

    def _walk_fn(self, fn: Fn, sc: list) -> None:
        self._walk_block(fn.body.stmts, sc, fn, (), top=True)

    def _walk_block(self, stmts, sc, fn, loops, top=False) -> None:
        sc = sc + [{}]
        for s in stmts:
            self._stmt(s, sc, fn, loops, top)

    def _stmt(self, s, sc, fn: Fn, loops, top=False) -> None:
        t = type(s)
        if t is A.BlockStmt:
            self._walk_block(s.stmts, sc, fn, loops)
        elif t is A.EmptyStmt:
            pass
        elif t is A.ExprStmt:
            self._expr_stmt(s, sc, fn, loops)
        elif t is A.SendStmt:
            ct = self._expr(s.chan, sc, fn, loops)
            if not _is_chan(ct):
                raise NotInSubset(s.chan.pos, "send on something that is not a channel")
            self._value_for(ct[1], s.value, sc, fn, loops)
        elif t is A.IncDecStmt:
            if self._expr(s.x, sc, fn, loops) != INT:
                raise NotInSubset(s.pos, f"{s.tok} on a non-int")
            self._target(s.x, sc, fn, loops, s)
        elif t is A.AssignStmt:
            self._assign(s, sc, fn, loops)
        elif t is A.DeclStmt:
            self._var_decl(s.decl, sc, fn, loops)
        elif t is A.GoStmt:
            self._go(s, sc, fn, loops)
        elif t is A.DeferStmt:
            if not top:
                raise NotInSubset(s.pos, "defer inside a nested block or loop (only at the top of a function)")
            self._sync_call(s.call, sc, fn, loops, deferred=True)
            fn.defers.append(s.call)
            self.keep.append(s)
        elif t is A.ReturnStmt:
            if s.results:
                raise NotInSubset(s.pos, "return with values")
        elif t is A.IfStmt:
            sc2 = sc + [{}]
            if s.init is not None:
                self._stmt(s.init, sc2, fn, loops)
            self._cond(s.cond, sc2, fn, loops)
            self._walk_block(s.body.stmts, sc2, fn, loops)
            if s.els is not None:
                self._stmt(s.els, sc2, fn, loops)
        elif t is A.ForStmt:
            self._for(s, sc, fn, loops)
        elif t is A.RangeStmt:
            self._range(s, sc, fn, loops)
        elif t is A.SwitchStmt:
            sc2 = sc + [{}]
            if s.init is not None:
                self._stmt(s.init, sc2, fn, loops)
            tt = self._expr(s.tag, sc2, fn, loops) if s.tag is not None else None
            if tt is not None and tt not in (INT, BOOL):
                raise NotInSubset(s.tag.pos, "switch on a non-int, non-bool value")
            for cl in s.body:
                for e in cl.list:
                    et = self._expr(e, sc2, fn, loops)
                    if (tt or BOOL) != et:
                        raise NotInSubset(e.pos, "case value of another type")
                for b in cl.body:
                    if type(b) is A.BranchStmt and b.tok == "fallthrough":
                        raise NotInSubset(b.pos, "fallthrough")
                self._walk_block(cl.body, sc2, fn, loops)
        elif t is A.SelectStmt:
            for cl in s.body:
                sc2 = sc + [{}]
                c = cl.comm
                if c is not None:
                    if type(c) is A.SendStmt:
                        self._stmt(c, sc2, fn, loops)
                    elif type(c) is A.ExprStmt and _is_recv(c.x):
                        self._recv_chan(_unparen(c.x), sc2, fn, loops)
                    elif type(c) is A.AssignStmt and len(c.rhs) == 1 and _is_recv(c.rhs[0]):
                        self._assign(c, sc2, fn, loops)
                    else:
                        raise NotInSubset(c.pos, "select case")
                self._walk_block(cl.body, sc2, fn, loops)
        elif t is A.LabeledStmt:
            self.labels_of[id(s.stmt)] = s.label.name
            self._stmt(s.stmt, sc, fn, loops, top)
        elif t is A.BranchStmt:
            if s.tok not in ("break", "continue"):
                raise NotInSubset(s.pos, s.tok)
        else:
            raise NotInSubset(s.pos, type(s).__name__.replace("Stmt", " statement").lower())

    def _for(self, s: A.ForStmt, sc, fn, loops) -> None:
        sc2 = sc + [{}]
        inner = loops + (s,)
        self.keep.append(s)
        info = LoopInfo()
        self.loop_info[id(s)] = info
        if s.init is not None:
            # the variables of a three-clause loop are per iteration (Go 1.22)
            self._stmt(s.init, sc2, fn, inner)
        if s.cond is not None:
            self._cond(s.cond, sc2, fn, inner)
        if s.post is not None:
            self._stmt(s.post, sc2, fn, inner)
        self._walk_block(s.body.stmts, sc2, fn, inner)

    def _range(self, s: A.RangeStmt, sc, fn, loops) -> None:
        self.keep.append(s)
        xt = self._expr(s.x, sc, fn, loops)
        sc2 = sc + [{}]
        inner = loops + (s,)
        info = LoopInfo()
        self.loop_info[id(s)] = info
        if _is_chan(xt):
            if s.value is not None:
                raise NotInSubset(s.pos, "range over a channel with two variables")
            if type(_unparen(s.x)) is not A.Ident:
                raise NotInSubset(s.x.pos, "range over a channel expression (use a variable)")
            kt = xt[1]
        elif xt == INT:
            kt = INT
            if s.value is not None:
                raise NotInSubset(s.pos, "range over an int with two variables")
        else:
            raise NotInSubset(s.x.pos, "range over something that is neither a channel nor an int")
        tmp = Var("range", kt, fn, s.pos, role="temp")
        fn.locals.append(tmp)
        self.uses[id(s)] = tmp  # the loop's temporary (received value / counter)
        if _is_chan(xt):
            ok = Var("rok", BOOL, fn, s.pos, role="temp")
            fn.locals.append(ok)
            self.uses[("ok", id(s))] = ok
        if s.key is not None:
            k = _unparen(s.key)
            if s.tok == ":=":
                if type(k) is not A.Ident:
                    raise NotInSubset(k.pos, "range variable")
                v = self._declare(sc2, k, kt, fn, inner)
                if v is not None:
                    v.by_op = True
            else:
                if self._expr(k, sc, fn, loops) != kt:
                    raise NotInSubset(k.pos, "range variable of another type")
                self._target(k, sc, fn, loops, s)
        self._walk_block(s.body.stmts, sc2, fn, inner)

    def _cond(self, e, sc, fn, loops) -> None:
        if self._expr(e, sc, fn, loops) != BOOL:
            raise NotInSubset(e.pos, "condition is not a bool")

    def _var_decl(self, d: A.GenDecl, sc, fn, loops) -> None:
        if d.tok == "const":
            last = ()
            for spec in d.specs:
                values = spec.values or last
                last = values
                for i, name in enumerate(spec.names):
                    sc[-1][name.name] = ("const", values[i], spec.iota)
            return
        if d.tok != "var":
            raise NotInSubset(d.pos, f"local {d.tok} declaration")
        for spec in d.specs:
            if spec.values and len(spec.values) != len(spec.names):
                raise NotInSubset(spec.pos, "multi-value declaration")
            for i, name in enumerate(spec.names):
                init = spec.values[i] if spec.values else None
                site = None
                if spec.type is not None:
                    t, site = self._decl_type(spec.type, spec.pos, fn, loops, name.name)
                    if site is not None and init is not None:
                        raise NotInSubset(spec.pos, "initialised sync value")
                    if init is not None:
                        self._value_for(t, init, sc, fn, loops)
                    elif _is_chan(t):
                        raise NotInSubset(name.pos, "nil channel (declare it with make)")
                    elif t in (MUTEX, WG) and site is None or t == MUTEXES:
                        raise NotInSubset(name.pos, "nil pointer")
                else:
                    t = self._expr(init, sc, fn, loops)
                v = self._declare(sc, name, t, fn, loops, init=site if site is not None else init)
                if v is not None and _is_chan(t) and init is not None:
                    self._chan_flow(v.cls, init, sc, fn)

    def _assign(self, s: A.AssignStmt, sc, fn, loops) -> None:
        if s.tok not in ("=", ":="):
            op = s.tok[:-1]
            if op not in ("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"):
                raise NotInSubset(s.pos, f"{s.tok}")
            if self._expr(s.lhs[0], sc, fn, loops) != INT or self._expr(s.rhs[0], sc, fn, loops) != INT:
                raise NotInSubset(s.pos, f"{s.tok} on non-ints")
            self._target(s.lhs[0], sc, fn, loops, s)
            return
        if len(s.rhs) == 1 and _is_recv(s.rhs[0]):
            if len(s.lhs) > 2:
                raise NotInSubset(s.pos, "receive into more than two variables")
            ct = self._recv_chan(_unparen(s.rhs[0]), sc, fn, loops)
            types = [ct[1], BOOL][:len(s.lhs)]
            self._bind(s, types, sc, fn, loops, by_op=True)
            return
        if len(s.lhs) != len(s.rhs):
            raise NotInSubset(s.pos, "multi-value assignment from a call")
        types = [self._expr(r, sc, fn, loops) for r in s.rhs]
        for r in s.rhs:
            if _is_recv(r):
                raise NotInSubset(r.pos, "receive inside an expression or a multiple assignment")
        self._bind(s, types, sc, fn, loops)

    def _bind(self, s: A.AssignStmt, types, sc, fn, loops, by_op=False) -> None:
        define = s.tok == ":="
        for i, (x, t) in enumerate(zip(s.lhs, types)):
            x = _unparen(x)
            rhs = s.rhs[i] if not by_op else None
            if define and type(x) is A.Ident and x.name != "_" and x.name not in sc[-1]:
                if t == UNIT:
                    raise NotInSubset(x.pos, "a struct{} variable")
                v = self._declare(sc, x, t, fn, loops, init=rhs)
                v.by_op = by_op
                if rhs is not None and _is_chan(t):
                    self._chan_flow(v.cls, rhs, sc, fn)
                continue
            if type(x) is A.Ident and x.name == "_":
                continue
            xt = self._expr(x, sc, fn, loops)
            if xt != t and not (t == UNIT and by_op):
                raise NotInSubset(x.pos, f"assignment of {_tname(t)} to {_tname(xt)}")
            v = self._target(x, sc, fn, loops, s)
            if rhs is not None and v is not None and _is_chan(t):
                self._chan_flow(v.cls, rhs, sc, fn)

    def _target(self, x, sc, fn, loops, node) -> Var | None:
        x = _unparen(x)
        if type(x) is not A.Ident:
            raise NotInSubset(x.pos, "assignment to something other than a local variable")
        v = self._lookup(x, sc, fn)
        if type(v) is not Var:
            raise NotInSubset(x.pos, f"assignment to {x.name}")
        self.uses[id(x)] = v
        self.keep.append(x)
        if v.role == "capture":
            raise NotInSubset(x.pos, f"assignment to {x.name}, a variable shared with the goroutine that "
                                     f"started this one (captured variables are passed by value)")
        if v.type in (MUTEX, WG) and v.init.__class__ is Site or v.type == MUTEXES:
            raise NotInSubset(x.pos, f"assignment to the sync value {x.name}")
        v.assigns.append((node, loops))
        return v

    def _value_for(self, t, e, sc, fn, loops) -> None:
        et = self._expr(e, sc, fn, loops)
        if t == UNIT:
            e2 = _unparen(e)
            if not (type(e2) is A.CompositeLit and not e2.elts) and et != UNIT:
                raise NotInSubset(e.pos, "struct{} value other than struct{}{}")
            return
        if et != t:
            raise NotInSubset(e.pos, f"{_tname(et)} where {_tname(t)} is expected")

    def _chan_flow(self, cls: ChanClass, e, sc, fn) -> None:
        """e (a channel expression) flows into a variable of class cls."""
        e = _unparen(e)
        if type(e) is A.Ident:
            v = self.uses.get(id(e))
            if type(v) is Var and v.cls is not None:
                cls.union(v.cls)
        elif type(e) is A.CallExpr and id(e) in self.site_of:
            cls.union(self.site_of[id(e)].cls)

    def _recv_chan(self, e: A.UnaryExpr, sc, fn, loops):
        ct = self._expr(e.x, sc, fn, loops)
        if not _is_chan(ct):
            raise NotInSubset(e.pos, "receive from something that is not a channel")
        if type(_unparen(e.x)) is not A.Ident:
            raise NotInSubset(e.x.pos, "receive from a channel expression (use a variable)")
        return ct

    def _expr_stmt(self, s: A.ExprStmt, sc, fn, loops) -> None:
        x = _unparen(s.x)
        if _is_recv(x):
            self._recv_chan(x, sc, fn, loops)
            return
        if type(x) is A.CallExpr:
            self._sync_call(x, sc, fn, loops)
            return
        raise NotInSubset(s.pos, "expression statement")

    def _sync_call(self, call: A.CallExpr, sc, fn, loops, deferred=False) -> None:
        f = _unparen(call.fun)
        if type(f) is A.Ident and f.name == "close" and len(call.args) == 1 \
                and self._lookup(f, sc, fn) is None:
            if not _is_chan(self._expr(call.args[0], sc, fn, loops)):
                raise NotInSubset(call.pos, "close of something that is not a channel")
            if type(_unparen(call.args[0])) is not A.Ident:
                raise NotInSubset(call.args[0].pos, "close of a channel expression (use a variable)")
            return
        if type(f) is A.Ident and f.name == "panic" and self._lookup(f, sc, fn) is None and not deferred:
            return
        if type(f) is A.SelectorExpr and type(_unparen(f.x)) is A.Ident and \
                self._lookup(_unparen(f.x), sc, fn) is None:  # a package's function
            raise NotInSubset(call.pos, f"call of {_unparen(f.x).name}.{f.sel.name}")
        if type(f) is A.SelectorExpr:
            rt = self._expr(f.x, sc, fn, loops)
            if rt in SYNC_METHODS and f.sel.name in SYNC_METHODS[rt]:
                want = 1 if f.sel.name == "Add" else 0
                if len(call.args) != want:
                    raise NotInSubset(call.pos, f"{f.sel.name} with {len(call.args)} arguments")
                for a in call.args:
                    if self._expr(a, sc, fn, loops) != INT:
                        raise NotInSubset(a.pos, "WaitGroup.Add of a non-int")
                if deferred and (f.sel.name == "Wait" or call.args):
                    raise NotInSubset(call.pos, f"defer of {f.sel.name}")
                return
        what = "call of " + (f.name if type(f) is A.Ident else
                             f"{f.sel.name}" if type(f) is A.SelectorExpr else "a function value")
        raise NotInSubset(call.pos, what + " (the subset calls only close, panic, Lock/Unlock and "
                                           "WaitGroup methods; functions run only as goroutines)")

    def _go(self, s: A.GoStmt, sc, fn: Fn, loops) -> None:
        call = s.call
        f = _unparen(call.fun)
        self.keep.append(s)
        if type(f) is A.FuncLit:
            fn.nlits += 1
            name = self._proc_name(f"{fn.name}_func{fn.nlits}")
            target = Fn(name, f, f.body, parent=fn)
            self.lit_fns[id(f)] = target
            self.keep.append(f)
            self.fns.append(target)
            inner = [{}]
            self._params(target, f.type, inner)
            self._check_args(call, target, sc, fn, loops)
            target.spawns.append((s, fn, loops))
            self._walk_block(f.body.stmts, sc + inner, target, (), top=True)
            return
        if type(f) is A.Ident and self._lookup(f, sc, fn) is None and f.name in self.funcs:
            d = self.funcs[f.name]
            target = self.named.get(f.name)
            if target is None:
                if d.type.results or d.type.type_params:
                    raise NotInSubset(d.pos, f"goroutine function {f.name} with results or type parameters")
                target = Fn(self._proc_name(f.name), d, d.body)
                self.named[f.name] = target
                self.fns.append(target)
                inner = [{}]
                self._params(target, d.type, inner)
                self._check_args(call, target, sc, fn, loops)
                target.spawns.append((s, fn, loops))
                self._walk_block(d.body.stmts, [self.pkg] + inner, target, (), top=True)
                return
            self._check_args(call, target, sc, fn, loops)
            target.spawns.append((s, fn, loops))
            return
        raise NotInSubset(call.pos, "go statement on something other than a function literal or a "
                                    "package-level function")

    def _params(self, target: Fn, ft: A.FuncType, inner: list) -> None:
        for p in ft.params:
            if p.variadic:
                raise NotInSubset(p.pos, "variadic parameter")
            t, site = self._decl_type(p.type, p.pos, None, (), "")
            if site is not None:
                raise NotInSubset(p.pos, "a sync value passed by value (pass a pointer)")
            names = p.names or (A.Ident(p.pos, "_"),)
            for n in names:
                v = self._declare(inner, n, t, target, (), role="param")
                if v is None:  # unnamed: still a parameter slot
                    v = Var("_", t, target, p.pos, role="param", cls=ChanClass() if _is_chan(t) else None)
                    target.params.append(v)

    def _check_args(self, call: A.CallExpr, target: Fn, sc, fn, loops) -> None:
        own = [p for p in target.params if p.role == "param"]
        if len(call.args) != len(own) or call.ellipsis:
            raise NotInSubset(call.pos, f"go {target.name} with {len(call.args)} arguments for {len(own)} parameters")
        for a, p in zip(call.args, own):
            self._value_for(p.type, a, sc, fn, loops)
            if _is_recv(a):
                raise NotInSubset(a.pos, "receive in a go statement's arguments")
            if _is_chan(p.type):
                self._chan_flow(p.cls, a, sc, fn)

    def _proc_name(self, base: str) -> str:
        name = base if base not in PROMELA_RESERVED else base + "_"
        k = 2
        while name in self.proc_names:
            name = f"{base}_{k}"
            k += 1
        self.proc_names.add(name)
        return name

    # ------------------------------------------------------------ expressions: types

    def _expr(self, e, sc, fn, loops):
        t = self._expr_type(e, sc, fn, loops)
        self.types[id(e)] = t
        self.keep.append(e)
        return t

    def _expr_type(self, e, sc, fn, loops):
        te = type(e)
        if te is A.ParenExpr:
            return self._expr(e.x, sc, fn, loops)
        if te is A.BasicLit:
            if e.kind == "INT":
                return INT
            raise NotInSubset(e.pos, f"{e.kind.lower()} literal")
        if te is A.Ident:
            b = self._lookup(e, sc, fn)
            if b is None:
                if e.name in ("true", "false"):
                    self.uses[id(e)] = ("const", e.name == "true")
                    return BOOL
                if e.name == "nil":
                    raise NotInSubset(e.pos, "nil")
                raise NotInSubset(e.pos, f"{e.name} (not a local variable, constant or parameter)")
            if type(b) is tuple and b[0] == "const":
                val = self._const_value(b[1], b[2], sc, e)
                self.uses[id(e)] = ("const", val)
                return BOOL if type(val) is bool else INT
            self.uses[id(e)] = b
            return b.type
        if te is A.BinaryExpr:
            xt = self._expr(e.x, sc, fn, loops)
            yt = self._expr(e.y, sc, fn, loops)
            if e.op in ("&&", "||"):
                if xt != BOOL or yt != BOOL:
                    raise NotInSubset(e.pos, f"{e.op} on non-bools")
                return BOOL
            if e.op in ("==", "!="):
                if xt != yt or xt in (MUTEXES,):
                    raise NotInSubset(e.pos, f"comparison of {_tname(xt)} and {_tname(yt)}")
                return BOOL
            if xt != INT or yt != INT:
                raise NotInSubset(e.pos, f"{e.op} on {_tname(xt)}")
            if e.op in ("<", "<=", ">", ">="):
                return BOOL
            if e.op in ("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"):
                return INT
            raise NotInSubset(e.pos, f"operator {e.op}")
        if te is A.UnaryExpr:
            if e.op == "<-":
                raise NotInSubset(e.pos, "receive inside an expression (receive into a variable first)")
            if e.op == "&":
                x = _unparen(e.x)
                xt = self._expr(x, sc, fn, loops)
                if xt in (MUTEX, WG) and (type(x) is A.IndexExpr or
                                          (type(x) is A.Ident and type(self.uses.get(id(x))) is Var
                                           and self.uses[id(x)].init.__class__ is Site)):
                    return xt
                raise NotInSubset(e.pos, "address of something other than a sync.Mutex or sync.WaitGroup")
            xt = self._expr(e.x, sc, fn, loops)
            if e.op == "!":
                if xt != BOOL:
                    raise NotInSubset(e.pos, "! on a non-bool")
                return BOOL
            if e.op in ("-", "+", "^") and xt == INT:
                return INT
            raise NotInSubset(e.pos, f"unary {e.op}")
        if te is A.IndexExpr:
            xt = self._expr(e.x, sc, fn, loops)
            if xt != MUTEXES or len(e.indices) != 1:
                raise NotInSubset(e.pos, "indexing (the subset indexes only []sync.Mutex)")
            if self._expr(e.indices[0], sc, fn, loops) != INT:
                raise NotInSubset(e.pos, "non-int index")
            return MUTEX
        if te is A.CallExpr:
            return self._call_type(e, sc, fn, loops)
        if te is A.CompositeLit and e.type is not None and type(_unparen(e.type)) is A.StructType \
                and not e.elts and not _unparen(e.type).fields:
            return UNIT
        raise NotInSubset(e.pos, {A.FuncLit: "function literal outside a go statement",
                                  A.SelectorExpr: "selector expression", A.StarExpr: "pointer dereference",
                                  A.CompositeLit: "composite literal", A.SliceExpr: "slice expression",
                                  A.TypeAssertExpr: "type assertion"}.get(te, te.__name__))

    def _call_type(self, e: A.CallExpr, sc, fn, loops):
        f = _unparen(e.fun)
        if type(f) is A.Ident and self._lookup(f, sc, fn) is None:
            if f.name == "make":
                if not e.args or len(e.args) > 2:
                    raise NotInSubset(e.pos, "make with this many arguments")
                ty = _unparen(e.args[0])
                size = e.args[1] if len(e.args) == 2 else None
                if size is not None and self._expr(size, sc, fn, loops) != INT:
                    raise NotInSubset(size.pos, "non-int size")
                hint = ""
                if type(ty) is A.ChanType:
                    elem = self._elem_type(ty.value)
                    self._site("chan", e, fn, loops, hint, elem=elem, size=size)
                    return _chan(elem)
                t, _ = self._decl_type(ty, e.pos, fn, loops, hint)
                if t == MUTEXES:
                    if size is None:
                        raise NotInSubset(e.pos, "make of a slice without a length")
                    self._site("mutexes", e, fn, loops, hint, size=size)
                    return MUTEXES
                raise NotInSubset(e.pos, "make of this type")
            if f.name == "len" and len(e.args) == 1:
                if not _is_chan(self._expr(e.args[0], sc, fn, loops)):
                    raise NotInSubset(e.pos, "len of something that is not a channel")
                return INT
            if f.name in INT_NAMES and len(e.args) == 1:
                if self._expr(e.args[0], sc, fn, loops) != INT:
                    raise NotInSubset(e.pos, "conversion of a non-int")
                return INT
        raise NotInSubset(e.pos, "call in an expression (the subset calls only make, len and int "
                                 "conversions there)")

    # ------------------------------------------------------------ constants

    def _const_value(self, expr, iota, sc, at):
        v = self._eval(expr, iota)
        if v is None:
            raise NotInSubset(at.pos, "constant that is not an int or a bool")
        return v

    def _eval(self, e, iota=0, depth=0):
        """The compile-time value of an int/bool expression, or None."""
        if depth > 50:
            return None
        e = _unparen(e)
        te = type(e)
        if te is A.BasicLit:
            return _int_lit(e.value) if e.kind == "INT" else None
        if te is A.Ident:
            if e.name == "iota":
                return iota
            b = self.uses.get(id(e))
            if b is None:
                b = self.pkg.get(e.name)
                if b is None:
                    return {"true": True, "false": False}.get(e.name)
            if type(b) is tuple and b[0] == "const":
                if len(b) == 2:
                    return b[1]
                return self._eval(b[1], b[2], depth + 1)
            if type(b) is Var:
                v = self._var_const(b, depth + 1)
                return v if type(v) in (int, bool) else None
            return None
        if te is A.UnaryExpr:
            x = self._eval(e.x, iota, depth + 1)
            if x is None:
                return None
            return {"-": lambda: -x, "+": lambda: x, "!": lambda: not x, "^": lambda: ~x}.get(
                e.op, lambda: None)()
        if te is A.BinaryExpr:
            x = self._eval(e.x, iota, depth + 1)
            if x is None:
                return None
            if e.op == "&&" and x is False:
                return False
            if e.op == "||" and x is True:
                return True
            y = self._eval(e.y, iota, depth + 1)
            if y is None:
                return None
            try:
                if e.op == "/":
                    return int(x / y)
                if e.op == "%":
                    return x - int(x / y) * y
                return {"+": x + y, "-": x - y, "*": x * y, "<": x < y, "<=": x <= y, ">": x > y,
                        ">=": x >= y, "==": x == y, "!=": x != y, "&&": x and y, "||": x or y,
                        "&": x & y, "|": x | y, "^": x ^ y, "<<": x << y, ">>": x >> y}[e.op]
            except (ZeroDivisionError, KeyError, TypeError, ValueError):
                return None
        if te is A.CallExpr and type(_unparen(e.fun)) is A.Ident and _unparen(e.fun).name in INT_NAMES \
                and len(e.args) == 1:
            return self._eval(e.args[0], iota, depth + 1)
        return None

    def _var_const(self, v: Var, depth=0):
        """A variable's compile-time value: never assigned after its declaration
        and initialised with a constant (int/bool, or a handle). None otherwise."""
        if v.const_done:
            return v.const
        if depth > 50 or v.by_op or v.assigns or v.role in ("param", "temp"):
            return None
        if v.role == "capture":
            val = self._var_const(v.outer, depth + 1)
        elif type(v.init) is Site:
            s = v.init
            val = None if s.count != 1 else ("h", s.name)
        elif v.init is None:
            val = {INT: 0, BOOL: False}.get(v.type)
        elif v.type in (INT, BOOL):
            val = self._eval(v.init, 0, depth + 1)
        else:
            val = self._handle_const(v.init, depth + 1)
        v.const = val
        v.const_done = self._analysed
        return val

    _analysed = False

    def _handle_const(self, e, depth=0):
        e = _unparen(e)
        if type(e) is A.Ident:
            b = self.uses.get(id(e))
            if type(b) is Var:
                c = self._var_const(b, depth + 1)
                return c if type(c) is tuple else None
            return None
        if type(e) is A.CallExpr and id(e) in self.site_of:
            s = self.site_of[id(e)]
            return ("h", s.name) if s.count == 1 else None
        if type(e) is A.UnaryExpr and e.op == "&":
            return self._handle_const(e.x, depth + 1)
        if type(e) is A.IndexExpr:
            base = self._handle_const(e.x, depth + 1)
            i = self._eval(e.indices[0], 0, depth + 1)
            if base is None or i is None:
                return None
            return ("h", str(int(base[1]) + i))
        return None

    # ------------------------------------------------------------ analysis

    def _analyse(self) -> None:
        # loop bounds
        for node in self.keep:
            if type(node) in (A.ForStmt, A.RangeStmt) and id(node) in self.loop_info:
                self._trip(node)
        # how often each function body runs, then each allocation site
        for fn in self.fns:
            if self._count(fn) is None:
                go = fn.spawns[0][0]
                raise NotInSubset(go.pos, "go statement in a loop without a constant bound or in a goroutine "
                                          "started an unknown number of times (SPIN needs a bound on processes)")
            if fn.count > 254:
                raise NotInSubset(fn.spawns[0][0].pos, f"{fn.count} goroutines from here: SPIN runs at most 255 "
                                                       f"processes")
        used = set(PROMELA_RESERVED) | {"closed", "live", "mu", "wg_n", "wg_wait", "wg_woken", "nil_chan", "rx"}
        used |= self.proc_names
        nmu = nwg = 0
        for s in sorted(self.sites, key=lambda s: (s.node.pos.file, s.node.pos.line, s.node.pos.col)):
            pos = s.node.pos
            fcount = 1 if s.fn is None else s.fn.count
            trips = [self.loop_info[id(lp)].trip for lp in s.loops]
            if fcount is None or any(t is None for t in trips):
                what = {"chan": "make(chan ...)", "mutexes": "make([]sync.Mutex, n)"}.get(s.kind, "a sync value")
                raise NotInSubset(pos, f"{what} in a loop without a constant bound or in a goroutine "
                                       f"started an unknown number of times")
            k = fcount
            for t in trips:
                k *= t
            s.count = k
            if s.size is not None:
                n = self._eval(s.size)
                if n is None or n < 0:
                    raise NotInSubset(s.size.pos, "capacity or length that is not a constant")
                s.n = n
            if s.kind == "chan":
                s.name = self._fresh("ch_" + (s.hint or str(pos.line)), used)
            elif s.kind in ("mutex", "mutexes"):
                width = 1 if s.kind == "mutex" else s.n
                s.base = nmu
                nmu += width * k
                s.name = str(s.base)
            else:
                s.base = nwg
                nwg += k
                s.name = str(s.base)
            if k > 1:
                s.index = self._site_index(s)
        self.nmu, self.nwg = nmu, nwg
        self._analysed = True  # from here on, constants can be cached (site counts are known)
        # channel classes: buffered or not
        for s in self.sites:
            if s.kind != "chan":
                continue
            root = s.cls.find()
            caps = {x.n > 0 for x in root.sites}
            if len(caps) > 1:
                raise NotInSubset(s.node.pos, "a channel variable that may hold both buffered and unbuffered "
                                              "channels")
        # Promela names
        for v in self.globals:
            v.name = self._fresh("g_" + v.go, used)
        for fn in self.fns:
            taken = fn.used = set(used)
            for v in fn.params + list(fn.captures.values()) + fn.locals:
                base = v.go if v.role != "temp" else ("r_" + v.go)
                v.name = self._fresh(base, taken)
            # a captured constant is substituted where it is read; the others are parameters
            fn.captures_list = [v for v in fn.captures.values() if self._var_const(v.outer) is None]
        # captured variables are passed by value: they must not change after the go statement
        for fn in self.fns:
            for outer, cap in fn.captures.items():
                self._check_capture(fn, outer, cap)

    def _fresh(self, base: str, taken: set) -> str:
        name = base if base not in PROMELA_RESERVED else base + "_"
        k = 2
        while name in taken:
            name = f"{base}_{k}"
            k += 1
        taken.add(name)
        return name

    def _trip(self, s) -> None:
        info = self.loop_info[id(s)]
        if type(s) is A.RangeStmt:
            if self.types.get(id(s.x)) == INT:
                n = self._eval(s.x)
                info.trip = max(0, n) if n is not None else None
            return
        init, cond, post = s.init, s.cond, s.post
        if not (type(init) is A.AssignStmt and init.tok == ":=" and len(init.lhs) == 1
                and type(cond) is A.BinaryExpr and post is not None):
            return
        v = self.uses.get(id(init.lhs[0]))
        if type(v) is not Var:
            return
        start = self._eval(init.rhs[0])
        x, y = _unparen(cond.x), _unparen(cond.y)
        if type(x) is A.Ident and self.uses.get(id(x)) is v:
            op, bound = cond.op, self._eval(y)
        elif type(y) is A.Ident and self.uses.get(id(y)) is v:
            op, bound = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(cond.op, cond.op), self._eval(x)
        else:
            return
        step_ok = (type(post) is A.IncDecStmt and post.tok == "++") or (
            type(post) is A.AssignStmt and post.tok == "+=" and self._eval(post.rhs[0]) == 1)
        if not step_ok or start is None or bound is None or op not in ("<", "<="):
            return
        if any(node is not post for node, _ in v.assigns):
            return  # the body changes the counter
        n = bound - start + (1 if op == "<=" else 0)
        info.trip = max(0, n)
        info.var = v
        info.start = start

    def _count(self, fn: Fn):
        if fn.count is not None or fn.is_main:
            if fn.is_main:
                fn.count = 1
            return fn.count
        if fn.counting:
            return None  # a goroutine that starts itself: unbounded
        fn.counting = True
        total = 0
        for _stmt, creator, loops in fn.spawns:
            c = self._count(creator)
            if c is None:
                total = None
                break
            for lp in loops:
                t = self.loop_info[id(lp)].trip
                if t is None:
                    c = None
                    break
                c *= t
            if c is None:
                total = None
                break
            total += c
        fn.counting = False
        fn.count = total
        return total

    def _site_index(self, s: Site) -> str | None:
        """The k-th allocation at a site that runs several times: from the loop
        counters when the site is in main under counted loops (no extra state),
        else from a counter of its own."""
        if s.fn is not None and s.fn.is_main:
            terms = []
            stride = 1
            ok = True
            for lp in reversed(s.loops):
                info = self.loop_info[id(lp)]
                if info.var is None or info.trip is None:
                    ok = False
                    break
                terms.append((info, stride))
                stride *= info.trip
            if ok:
                return ("loops", terms)
        return ("counter", f"{s.name if s.kind == 'chan' else s.kind + s.name}_next")

    def _check_capture(self, fn: Fn, outer: Var, cap: Var) -> None:
        if self._var_const(outer) is not None:
            return
        if outer.role == "capture":
            return  # checked in the enclosing literal
        if outer.role == "global":
            raise NotInSubset(cap.pos, f"goroutine reads the package-level variable {outer.go}, which "
                                       f"changes (shared variables are not in the subset)")
        for go_stmt, creator, loops in fn.spawns:
            for node, aloops in outer.assigns:
                p = node.pos
                after = (p.line, p.col) > (go_stmt.pos.line, go_stmt.pos.col)
                # three-clause loop variables are per iteration: their post statement is harmless
                post_of_own_loop = type(outer.loop) is A.ForStmt and node is outer.loop.post
                same_iteration = (loops[-1] if loops else None) is outer.loop
                if post_of_own_loop:
                    continue
                if after or not same_iteration:
                    raise NotInSubset(cap.pos, f"the goroutine captures {outer.go}, which is assigned at "
                                               f"{p} while the goroutine may run (captured variables are "
                                               f"passed by value)")

    # ------------------------------------------------------------ emission: expressions

    def px(self, e) -> str:
        """The Promela text of an int/bool/handle expression."""
        e0 = e
        e = _unparen(e)
        t = self.types.get(id(e0), self.types.get(id(e)))
        if t in (INT, BOOL):
            c = self._eval(e)
            if c is not None:
                return ("true" if c else "false") if type(c) is bool else str(c)
        te = type(e)
        if te is A.Ident:
            b = self.uses.get(id(e))
            if type(b) is tuple:
                c = b[1]
                return ("true" if c else "false") if type(c) is bool else str(c)
            c = self._var_const(b)
            if c is not None:
                if type(c) is tuple:
                    return c[1]
                return ("true" if c else "false") if type(c) is bool else str(c)
            return b.name
        if te is A.BasicLit:
            return str(_int_lit(e.value))
        if te is A.BinaryExpr:
            return f"({self.px(e.x)} {e.op} {self.px(e.y)})"
        if te is A.UnaryExpr:
            if e.op == "&":
                return self.px(e.x)
            op = {"^": "~"}.get(e.op, e.op)
            return f"{op}({self.px(e.x)})" if op != "+" else self.px(e.x)
        if te is A.IndexExpr:
            c = self._handle_const(e)
            if c is not None:
                return c[1]
            return f"({self.px(e.x)} + {self.px(e.indices[0])})"
        if te is A.CallExpr:
            f = _unparen(e.fun)
            if f.name == "len":
                return f"len({self.px(e.args[0])})"
            if f.name in INT_NAMES:
                return self.px(e.args[0])
            if id(e) in self.site_of:
                return self._alloc(self.site_of[id(e)])
        if te is A.CompositeLit:
            return "0"
        raise NotInSubset(e.pos, "expression")

    def _alloc(self, s: Site) -> str:
        """The handle of the next allocation at site s, as an expression (the
        counter, if any, is advanced by _alloc_stmts)."""
        if s.count == 1:
            return s.name
        kind, data = s.index
        if kind == "loops":
            idx = " + ".join(f"({info.var.name} - {info.start}) * {stride}" if stride != 1 else
                             f"({info.var.name} - {info.start})" for info, stride in data) or "0"
        else:
            idx = data
        if s.kind == "chan":
            return f"{s.name}[{idx}]"
        width = s.n if s.kind == "mutexes" else 1
        return f"({s.base} + ({idx}) * {width})" if width != 1 else f"({s.base} + {idx})"

    def _alloc_stmts(self, e) -> list:
        """Counter updates for allocation sites inside expression e."""
        out = []
        e = _unparen(e)
        if type(e) is A.CallExpr and id(e) in self.site_of:
            s = self.site_of[id(e)]
            if s.count != 1 and s.index[0] == "counter":
                out.append(f"{s.index[1]}++")
        return out


# ---------------------------------------------------------------- emission


class Block:
    """One atomic block under construction: labels of continuations already
    emitted in it (a second arrival jumps there), and the variables that may
    be non-zero when it starts."""

    def __init__(self, em: "FnEmitter", base: set):
        self.memo: dict = {}
        self.used: set = set()
        self.em = em
        self.base = base


class FnEmitter:
    def __init__(self, comp: Compiler, fn: Fn):
        self.c = comp
        self.fn = fn
        self.seqs: dict[int, tuple] = {}
        self.nodes: dict[int, object] = {}
        self.ops: dict = {}  # key -> [label, builder, cont, reads]
        self.order: list = []
        self.todo: list = []
        self.nlabels = 0
        self.reads_memo: dict = {}
        self.tmps: list[Var] = []
        self.exit_label = "end_exit" if not fn.is_main else "end_main"
        self.uses_rx = False
        self.cur: Block | None = None

    # ------------------------------------------------------------ frames

    def seq(self, stmts: tuple, i: int) -> tuple:
        self.seqs[id(stmts)] = stmts
        return (SEQ, id(stmts), i)

    def node(self, kind: str, n) -> tuple:
        self.nodes[id(n)] = n
        return (kind, id(n))

    def label(self, base: str = "L") -> str:
        self.nlabels += 1
        return f"{base}{self.nlabels}"

    # ------------------------------------------------------------ liveness

    def _vars_in(self, e, out: set) -> None:
        """Promela variables (not constants) read by expression e."""
        if e is None:
            return
        e = _unparen(e)
        te = type(e)
        if te is A.Ident:
            b = self.c.uses.get(id(e))
            if type(b) is Var and b.fn is self.fn and self.c._var_const(b) is None:
                out.add(b)
            return
        if te in (A.BinaryExpr,):
            self._vars_in(e.x, out)
            self._vars_in(e.y, out)
        elif te is A.UnaryExpr:
            self._vars_in(e.x, out)
        elif te is A.IndexExpr:
            self._vars_in(e.x, out)
            for i in e.indices:
                self._vars_in(i, out)
        elif te is A.CallExpr:
            if type(_unparen(e.fun)) is A.SelectorExpr:
                self._vars_in(_unparen(e.fun).x, out)
            for a in e.args:
                self._vars_in(a, out)

    def deep_reads(self, s) -> set:
        """Every variable read anywhere inside statement s (nested bodies included)."""
        key = id(s)
        if key in self.reads_memo:
            return self.reads_memo[key]
        out: set = set()
        self.reads_memo[key] = out
        t = type(s)
        if t is A.ExprStmt:
            self._vars_in(s.x, out)
        elif t is A.SendStmt:
            self._vars_in(s.chan, out)
            self._vars_in(s.value, out)
        elif t is A.IncDecStmt:
            self._vars_in(s.x, out)
        elif t is A.AssignStmt:
            for r in s.rhs:
                self._vars_in(r, out)
            if s.tok not in ("=", ":="):
                self._vars_in(s.lhs[0], out)
        elif t is A.DeclStmt:
            for spec in s.decl.specs:
                for v in getattr(spec, "values", ()):
                    self._vars_in(v, out)
        elif t is A.GoStmt:
            for a in s.call.args:
                self._vars_in(a, out)
            f = _unparen(s.call.fun)
            if type(f) is A.FuncLit:
                target = self.c.lit_fns[id(f)]
                for outer in target.captures:
                    if outer.fn is self.fn and self.c._var_const(outer) is None:
                        out.add(outer)
        elif t is A.BlockStmt:
            for x in s.stmts:
                out |= self.deep_reads(x)
        elif t is A.IfStmt:
            if s.init is not None:
                out |= self.deep_reads(s.init)
            self._vars_in(s.cond, out)
            out |= self.deep_reads(s.body)
            if s.els is not None:
                out |= self.deep_reads(s.els)
        elif t is A.ForStmt:
            for x in (s.init, s.post):
                if x is not None:
                    out |= self.deep_reads(x)
            self._vars_in(s.cond, out)
            out |= self.deep_reads(s.body)
        elif t is A.RangeStmt:
            self._vars_in(s.x, out)
            tmp = self.c.uses[id(s)]
            out.add(tmp)
            ok = self.c.uses.get(("ok", id(s)))
            if ok is not None:
                out.add(ok)
            out |= self.deep_reads(s.body)
        elif t is A.SwitchStmt:
            if s.init is not None:
                out |= self.deep_reads(s.init)
            self._vars_in(s.tag, out)
            for cl in s.body:
                for e in cl.list:
                    self._vars_in(e, out)
                for x in cl.body:
                    out |= self.deep_reads(x)
        elif t is A.SelectStmt:
            for cl in s.body:
                if cl.comm is not None:
                    out |= self.deep_reads(cl.comm)
                for x in cl.body:
                    out |= self.deep_reads(x)
        elif t is A.LabeledStmt:
            out |= self.deep_reads(s.stmt)
        return out

    def cont_reads(self, cont: tuple) -> set:
        key = ("cont", cont)
        if key in self.reads_memo:
            return self.reads_memo[key]
        out: set = set()
        for fr in cont:
            if fr[0] == SEQ:
                for s in self.seqs[fr[1]][fr[2]:]:
                    out |= self.deep_reads(s)
            elif fr[0] in (LOOP, HEAD):
                out |= self.deep_reads(self.nodes[fr[1]])
            elif fr[0] == EXIT:  # the deferred calls still to run read their receivers
                for call in self.fn.defers[:fr[1]]:
                    self._vars_in(call, out)
        self.reads_memo[key] = out
        return out

    # ------------------------------------------------------------ ops

    def op(self, key, builder, cont: tuple, reads: set) -> str:
        """The label of visible operation `key` (its block is built later)."""
        ent = self.ops.get(key)
        if ent is None:
            base = "S" if self.fn.is_main else "end_S"
            lab = self.label(base)
            live = set(reads) | (self.cont_reads(cont) if cont is not None else set())
            ent = [lab, builder, cont, live]
            self.ops[key] = ent
            self.order.append(key)
            self.todo.append(key)
        return ent[0]

    def goto_op(self, key, builder, cont, reads, blk: Block) -> list:
        lab = self.op(key, builder, cont, reads)
        return [Zero(self.ops[key][3]), f"goto {lab}"]

    # ------------------------------------------------------------ finishing a block

    def finish(self, items: list, blk: Block) -> list:
        """Resolve the Zero and RvSend placeholders of a complete block and drop
        the labels nobody jumps to."""
        byname = self._byname = {v.name: v for v in self.fn.params + self.fn.captures_list + self.fn.locals
                                 + self.tmps}
        names: set = set()
        self._scan(items, names)
        cands = blk.base | {byname[n] for n in names if n in byname}
        items = self._expand(items, cands)
        targets: set = set()
        self._gotos(items, targets)
        return self._drop_labels(items, targets)

    def _gotos(self, items, out: set) -> None:
        for it in items:
            if isinstance(it, str) and it.startswith("goto "):
                out.add(it[5:])
            elif type(it) is If:
                for opt in it.options:
                    self._gotos(opt, out)
            elif type(it) is Atomic:
                self._gotos(it.items, out)

    def _drop_labels(self, items, keep: set) -> list:
        out = []
        for it in items:
            if type(it) is Label and it.name not in keep:
                continue
            if type(it) is If:
                it = If(*[self._drop_labels(o, keep) for o in it.options])
            elif type(it) is Atomic:
                it = Atomic(self._drop_labels(it.items, keep))
            out.append(it)
        return out

    def _scan(self, items, names: set) -> None:
        import re

        for it in items:
            if isinstance(it, str):
                m = re.match(r"([A-Za-z_]\w*)\s*(=(?!=)|\+\+|--)", it)
                if m:
                    names.add(m.group(1))
                if "?" in it:
                    names.update(x.strip() for x in it.split("?", 1)[1].split(","))
            elif type(it) is If:
                for opt in it.options:
                    self._scan(opt, names)
            elif type(it) is Atomic:
                self._scan(it.items, names)

    def _expand(self, items, cands: set) -> list:
        out = []
        for i, it in enumerate(items):
            if type(it) is Zero:
                if it.at_exit:  # the goroutine is gone: everything, captured values too
                    vs = cands | set(self.fn.captures_list) | set(self.fn.params)
                else:  # gcheck clears dead slots, not a closure's captured variables
                    vs = {v for v in cands - it.live if v.role != "capture"}
                out += [f"{v.name} = {self.zero_of(v)}" for v in sorted(vs, key=lambda v: v.name)
                        if v.go != "_" or v.role != "param"]
                # from here on, what was cleared stays 0 unless assigned again
                names: set = set()
                self._scan(items[i + 1:], names)
                cands = (cands - vs) | {self._byname[n] for n in names if n in self._byname}
            elif type(it) is If:
                out.append(If(*[self._expand_opt(o, cands) for o in it.options]))
            elif type(it) is Atomic:
                out.append(Atomic(self._expand(it.items, cands)))
            else:
                out.append(it)
        return out

    def _expand_opt(self, opt: list, cands: set) -> list:
        head, rest = opt[0], self._expand(opt[1:], cands)
        if type(head) is RvSend:
            if not self.fn.is_main and rest == ["live--", f"goto {self.exit_label}"]:
                return [head.text(1), f"goto {self.exit_label}"]
            return [head.text(0)] + rest
        return [head] + rest

    def zero_of(self, v: Var) -> str:
        if _is_chan(v.type):
            return "nil_chan"
        return "false" if v.type == BOOL else "0"

    # ------------------------------------------------------------ continuations

    def emit(self, cont: tuple, blk: Block) -> list:
        if cont in blk.memo:
            lab = blk.memo[cont]
            blk.used.add(lab)
            return [f"goto {lab}"]
        return self.emit_raw(cont, blk)

    def with_join(self, nxt: tuple, blk: Block, build) -> list:
        """build() emits branches that may all continue with nxt: emit nxt once,
        after them, under a label."""
        if nxt in blk.memo:
            return build()
        lab = self.label("J")
        blk.memo[nxt] = lab
        items = build()
        if lab in blk.used:
            items += [Label(lab)] + self.emit_raw(nxt, blk)
        else:
            del blk.memo[nxt]
        return items

    def emit_raw(self, cont: tuple, blk: Block) -> list:
        fr, rest = cont[0], cont[1:]
        kind = fr[0]
        if kind == SEQ:
            stmts, i = self.seqs[fr[1]], fr[2]
            if i >= len(stmts):
                return self.emit(rest, blk)
            return self.stmt(stmts[i], (self.seq(stmts, i + 1),) + rest, blk)
        if kind == BRK:
            return self.emit(rest, blk)
        if kind == EXIT:
            return self.exit(fr[1], blk)
        loop = self.nodes[fr[1]]
        if kind == LOOP:
            if type(loop) is A.RangeStmt and _is_chan(self.c.types[id(loop.x)]):
                return self.goto_range(loop, rest, blk)
            items = []
            if type(loop) is A.RangeStmt:
                items.append(f"{self.c.uses[id(loop)].name}++")
            elif loop.post is not None:
                items += self.local(loop.post, blk)
            return items + self.emit(((HEAD, fr[1]),) + rest, blk)
        if kind == HEAD:
            lab = self.label("H")
            blk.memo[cont] = lab
            body = (self.seq(loop.body.stmts, 0), (LOOP, fr[1])) + rest
            if type(loop) is A.RangeStmt:
                tmp = self.c.uses[id(loop)]
                cond = f"{tmp.name} < {self.c.px(loop.x)}"
                key = _unparen(loop.key) if loop.key is not None else None
                bind = []
                if key is not None and not (type(key) is A.Ident and key.name == "_"):
                    bind = [f"{self.c.px(key)} = {tmp.name}"]
                items = [If([cond] + bind + self.emit(body, blk),
                            ["else", f"{tmp.name} = 0"] + self.emit(rest, blk))]
            elif loop.cond is None:
                items = self.emit(body, blk)
            else:
                c = self.c._eval(loop.cond)
                if c is True:
                    items = self.emit(body, blk)
                elif c is False:
                    items = self.emit(rest, blk)
                else:
                    items = [If([self.c.px(loop.cond)] + self.emit(body, blk), ["else"] + self.emit(rest, blk))]
            return [Label(lab)] + items
        raise AssertionError(kind)

    def find_loop(self, cont: tuple, label: str | None, want_loop: bool) -> int:
        for i, fr in enumerate(cont):
            if fr[0] == LOOP or (fr[0] == BRK and not want_loop):
                if label is None or self.c.labels_of.get(fr[1]) == label:
                    return i
        return -1

    def stmt(self, s, nxt: tuple, blk: Block) -> list:
        t = type(s)
        c = self.c
        if t in (A.SendStmt, A.SelectStmt) or (t is A.ExprStmt and (_is_recv(s.x) or self._is_sync(s.x))) or (
                t is A.AssignStmt and len(s.rhs) == 1 and _is_recv(s.rhs[0])):
            reads: set = set()
            self._op_reads(s, reads)
            return self.goto_op(("stmt", id(s)), lambda s=s, nxt=nxt: self.build_stmt_op(s, nxt), nxt,
                                reads, blk)
        if t is A.BlockStmt:
            return self.emit((self.seq(s.stmts, 0),) + nxt, blk)
        if t is A.LabeledStmt:
            return self.stmt(s.stmt, nxt, blk)
        if t is A.EmptyStmt:
            return self.emit(nxt, blk)
        if t is A.IfStmt:
            items = self.local(s.init, blk) if s.init is not None else []
            cv = c._eval(s.cond)
            then = (self.seq(s.body.stmts, 0),) + nxt
            if s.els is None:
                els = nxt
            elif type(s.els) is A.BlockStmt:
                els = (self.seq(s.els.stmts, 0),) + nxt
            else:
                els = (self.seq((s.els,), 0),) + nxt
            if cv is True:
                return items + self.emit(then, blk)
            if cv is False:
                return items + self.emit(els, blk)
            return items + self.with_join(nxt, blk, lambda: [
                If([c.px(s.cond)] + self.emit(then, blk), ["else"] + self.emit(els, blk))])
        if t is A.ForStmt:
            items = self.local(s.init, blk) if s.init is not None else []
            return items + self.emit((self.node(HEAD, s),) + nxt, blk)
        if t is A.RangeStmt:
            if _is_chan(c.types[id(s.x)]):
                return self.goto_range(s, nxt, blk)
            tmp = c.uses[id(s)]
            return [f"{tmp.name} = 0"] + self.emit((self.node(HEAD, s),) + nxt, blk)
        if t is A.SwitchStmt:
            items = self.local(s.init, blk) if s.init is not None else []
            after = (self.node(BRK, s),) + nxt
            conds = []
            default = None
            opts = []
            for cl in s.body:
                if cl.is_default:
                    default = cl
                    continue
                if s.tag is None:
                    here = " || ".join(f"({c.px(e)})" for e in cl.list)
                else:
                    here = " || ".join(f"({c.px(s.tag)} == {c.px(e)})" for e in cl.list)
                guard = " && ".join([f"!({x})" for x in conds] + [f"({here})"]) if conds else here
                conds.append(here)
                opts.append((guard, cl))

            def build():
                out = []
                for guard, cl in opts:
                    out.append([guard] + self.emit((self.seq(cl.body, 0),) + after, blk))
                body = (self.seq(default.body, 0),) + after if default is not None else after
                out.append(["else"] + self.emit(body, blk))
                return [If(*out)]
            return items + self.with_join(after, blk, build)
        if t is A.BranchStmt:
            label = s.label.name if s.label is not None else None
            i = self.find_loop(nxt, label, want_loop=s.tok == "continue")
            if i < 0:
                raise NotInSubset(s.pos, f"{s.tok} outside a loop")
            fr = nxt[i]
            if s.tok == "continue":
                if fr[0] != LOOP:
                    raise NotInSubset(s.pos, "continue outside a loop")
                return self.emit(nxt[i:], blk)
            return self.emit(nxt[i + 1:], blk)
        if t is A.ReturnStmt:
            return self.exit(nxt[-1][1], blk)
        if t is A.DeferStmt:
            assert nxt[-1][0] == EXIT
            return self.emit(nxt[:-1] + ((EXIT, nxt[-1][1] + 1),), blk)
        if t is A.ExprStmt and type(_unparen(s.x)) is A.CallExpr and _unparen(_unparen(s.x).fun).name == "panic":
            return ["printf(\"panic\\n\")", "assert(false)", f"goto {self.exit_label}"]
        return self.local(s, blk) + self.emit(nxt, blk)

    def _is_sync(self, x) -> bool:
        x = _unparen(x)
        if type(x) is not A.CallExpr:
            return False
        f = _unparen(x.fun)
        if type(f) is A.Ident:
            return f.name == "close"
        return type(f) is A.SelectorExpr

    def _op_reads(self, s, out: set) -> None:
        t = type(s)
        if t is A.SendStmt:
            self._vars_in(s.chan, out)
            self._vars_in(s.value, out)
        elif t is A.ExprStmt:
            self._vars_in(s.x, out)
        elif t is A.AssignStmt:
            self._vars_in(s.rhs[0], out)
        elif t is A.SelectStmt:
            for cl in s.body:
                if cl.comm is not None:
                    self._op_reads(cl.comm, out)

    # ------------------------------------------------------------ local statements

    def local(self, s, blk: Block) -> list:
        """Promela statements for a local (invisible) statement."""
        c = self.c
        t = type(s)
        if t is A.IncDecStmt:
            x = c.px(s.x)
            return [f"{x}{s.tok}"]
        if t is A.AssignStmt:
            if s.tok not in ("=", ":="):
                x = c.px(s.lhs[0])
                return [f"{x} = {x} {s.tok[:-1]} ({c.px(s.rhs[0])})"]
            return self.assign(list(s.lhs), list(s.rhs), blk)
        if t is A.DeclStmt:
            out = []
            if s.decl.tok != "var":
                return out
            for spec in s.decl.specs:
                for i, name in enumerate(spec.names):
                    v = c.uses.get(id(name))
                    if v is None:
                        continue
                    if type(v.init) is Site:
                        if c._var_const(v) is None:
                            out.append(f"{v.name} = {c._alloc(v.init)}")
                            out += self._site_counter(v.init)
                        continue
                    if spec.values:
                        out += self.assign([name], [spec.values[i]], blk)
                    elif c._var_const(v) is None:
                        out.append(f"{v.name} = {self.zero_of(v)}")
            return out
        if t is A.GoStmt:
            return self.go(s)
        if t is A.ExprStmt:
            raise NotInSubset(s.pos, "expression statement")
        raise NotInSubset(s.pos, f"{t.__name__} here")

    def _site_counter(self, s: Site) -> list:
        if s.count != 1 and s.index[0] == "counter":
            return [f"{s.index[1]}++"]
        return []

    def assign(self, lhs: list, rhs: list, blk: Block) -> list:
        c = self.c
        pairs = []
        for x, r in zip(lhs, rhs):
            x = _unparen(x)
            if type(x) is A.Ident and x.name == "_":
                continue
            v = c.uses.get(id(x))
            if type(v) is Var and c._var_const(v) is not None:
                continue  # a constant: substituted wherever it is read
            pairs.append((x, r))
        if not pairs:
            return []
        out = []
        if len(pairs) > 1:
            written = {c.uses.get(id(x)) for x, _ in pairs}
            reads: set = set()
            for _, r in pairs:
                self._vars_in(r, reads)
            if written & reads:
                # Go evaluates every right-hand side first: through temporaries
                temps = []
                for x, r in pairs:
                    tv = self.temp(c.types.get(id(r)) or c.uses[id(x)].type)
                    out.append(f"{tv.name} = {self.rhs(r)}")
                    temps.append(tv)
                for (x, r), tv in zip(pairs, temps):
                    out.append(f"{c.px(x)} = {tv.name}")
                for tv in temps:
                    out.append(f"{tv.name} = {self.zero_of(tv)}")
                    tv.busy = False
                return out
        for x, r in pairs:
            out.append(f"{c.px(x)} = {self.rhs(r)}")
            out += c._alloc_stmts(r)  # the next allocation at that site takes the next index
        return out

    def rhs(self, r) -> str:
        r = _unparen(r)
        if type(r) is A.CallExpr and id(r) in self.c.site_of:
            return self.c._alloc(self.c.site_of[id(r)])
        return self.c.px(r)

    def temp(self, t) -> Var:
        for v in self.tmps:
            if v.type == t and not getattr(v, "busy", False):
                v.busy = True
                return v
        v = Var("t", t, self.fn, self.fn.body.pos, role="temp")
        v.name = self.c._fresh(f"tmp{len(self.tmps) + 1}", self.fn.used)
        v.busy = True
        self.tmps.append(v)
        return v

    def go(self, s: A.GoStmt) -> list:
        c = self.c
        f = _unparen(s.call.fun)
        target = c.lit_fns[id(f)] if type(f) is A.FuncLit else c.named[f.name]
        args = [self.rhs(a) for a in s.call.args]
        for cap in target.captures_list:
            args.append(self._capture_value(cap))
        params = target.params + target.captures_list
        # a parameter the goroutine never reads is passed as zero (gcheck clears the dead
        # slot in the step of the go statement; clearing it in the goroutine would be a step)
        args = [self.zero_of(p) if p in target.dead_at_start else a for p, a in zip(params, args)]
        return [f"run {target.name}({', '.join(args)})", "live++"]

    def _capture_value(self, cap: Var) -> str:
        outer = cap.outer
        k = self.c._var_const(outer)
        if k is not None:
            return k[1] if type(k) is tuple else (("true" if k else "false") if type(k) is bool else str(k))
        return outer.name

    # ------------------------------------------------------------ exits

    def exit(self, ndefers: int, blk: Block) -> list:
        if ndefers > 0:
            k = ndefers - 1
            call = self.fn.defers[k]
            # gcheck keeps a returning frame's slots while its deferred calls run: nothing is cleared
            keep = set(self.fn.params) | set(self.fn.locals) | set(self.tmps)
            return self.goto_op(("defer", k), lambda call=call, k=k: self.build_call_op(call, ((EXIT, k),), True),
                                ((EXIT, k),), keep, blk)
        if self.fn.is_main:
            ret = self.op(("ret",), self.build_ret, None, set())
            return [If(["live > 0", Zero(set(), True), f"goto {ret}"],
                       ["else", Zero(set(), True), f"goto {self.exit_label}"])]
        return ["live--", Zero(set(), True), f"goto {self.exit_label}"]

    def build_ret(self) -> list:
        # main returns while other goroutines exist: a step of its own (gcheck: exec._finish)
        return [["true", f"goto {self.exit_label}"]]

    # ------------------------------------------------------------ visible operations

    def new_block(self, key) -> Block:
        return Block(self, set(self.ops[key][3]))

    def build_stmt_op(self, s, nxt) -> list:
        """Options [guard, stmts...] of a visible statement."""
        t = type(s)
        blk = self.cur
        if t is A.SendStmt:
            return self.send_opts(s.chan, s.value, False, lambda: [self.after(nxt)] + self.emit(nxt, blk))
        if t is A.ExprStmt and _is_recv(s.x):
            return self.recv_opts(_unparen(s.x).x, None, None, False,
                                  lambda _got: [self.after(nxt)] + self.emit(nxt, blk))
        if t is A.AssignStmt:
            lhs = [_unparen(x) for x in s.lhs]
            return self.recv_opts(_unparen(s.rhs[0]).x, lhs[0], lhs[1] if len(lhs) > 1 else None, False,
                                  lambda _got: [self.after(nxt, *lhs)] + self.emit(nxt, blk))
        if t is A.SelectStmt:
            return self.select_opts(s, nxt)
        return self.build_call_op(_unparen(s.x), nxt)

    def after(self, cont: tuple, *targets) -> Zero:
        """Clear what is dead once an operation completes, before the local code
        after it runs: gcheck freezes the frame at the next instruction then
        (model/exec.py: complete). The operation's own receive targets are
        stored after that, by the next instruction."""
        live = set(self.cont_reads(cont))
        for x in targets:
            v = self.c.uses.get(id(x)) if x is not None else None
            if type(v) is Var:
                live.add(v)
        return Zero(live)

    def build_call_op(self, call: A.CallExpr, nxt, deferred: bool = False) -> list:
        blk = self.cur
        c = self.c
        f = _unparen(call.fun)

        def post():
            # a deferred call completes inside the returning frame: nothing is cleared
            return ([] if deferred else [self.after(nxt)]) + self.emit(nxt, blk)

        if type(f) is A.Ident and f.name == "close":
            ch = c.px(call.args[0])
            return [[f"assert(!closed[{ch}])", f"closed[{ch}] = true"] + post()]
        h = c.px(f.x)
        m = f.sel.name
        if m == "Lock":
            return [[f"mu[{h}] == 0", f"mu[{h}] = 1"] + post()]
        if m == "Unlock":
            return [[f"assert(mu[{h}] == 1)", f"mu[{h}] = 0"] + post()]
        if m in ("Add", "Done"):
            d = c.px(call.args[0]) if m == "Add" else "-1"
            return [[f"wg_add({h}, {d})"] + post()]
        # Wait: returns at once on a zero counter, else parks until an Add brings it to zero
        wait2 = self.op(("wait2", id(call)), lambda: [[f"wg_woken[{h}] > 0", f"wg_woken[{h}]--",
                                                       f"assert(wg_n[{h}] == 0)", self.after(nxt)]
                                                      + self.emit(nxt, self.cur)],
                        nxt, {v for v in self._reads_of(f.x)})
        return [[f"wg_n[{h}] == 0"] + post(), ["else", f"wg_wait[{h}]++", f"goto {wait2}"]]

    def _reads_of(self, e) -> set:
        out: set = set()
        self._vars_in(e, out)
        return out

    def chan_info(self, ch) -> tuple:
        """(Promela handle, buffered?, elem) of a channel expression."""
        c = self.c
        ch = _unparen(ch)
        t = c.types[id(ch)]
        v = c.uses.get(id(ch))
        root = v.cls.find()
        buffered = any(s.n > 0 for s in root.sites)
        return c.px(ch), buffered, t[1]

    def send_opts(self, chan, value, poll: bool, post) -> list:
        h, buffered, elem = self.chan_info(chan)
        v = self.c.px(value) if elem != UNIT else "0"
        panic = [f"closed[{h}]", "printf(\"panic: send on closed channel\\n\")", "assert(false)",
                 f"goto {self.exit_label}"]
        if buffered:
            return [[f"!closed[{h}] && nfull({h})", f"{h}!{v}"] + post(), panic]
        return [[RvSend(h, v, poll)] + post(), panic]

    def recv_opts(self, chan, target, ok, poll: bool, post, range_tmp=None) -> list:
        c = self.c
        h, buffered, elem = self.chan_info(chan)
        tv = "_"
        if target is not None and not (type(target) is A.Ident and target.name == "_"):
            var = c.uses.get(id(target))
            if not (type(var) is Var and c._var_const(var) is not None):
                tv = c.px(target)
        if range_tmp is not None:
            tv = range_tmp
        zero = "false" if elem == BOOL else "0"
        ok_t = ok_f = []
        if ok is not None and not (type(ok) is A.Ident and ok.name == "_"):
            ok_t, ok_f = [f"{c.px(ok)} = true"], [f"{c.px(ok)} = false"]
        if buffered:
            got = [f"{h}?{tv}"]
        else:  # a hand-off needs an open channel, at most one polling side; count an exiting sender out
            got = [f"{h}?{tv},{0 if poll else '_'},0,rx", "live = live - rx", "rx = 0"]
            self.uses_rx = True
        closed = f"closed[{h}] && empty({h})" if buffered else f"closed[{h}]"
        on_closed = ([f"{tv} = {zero}"] if tv != "_" else []) + ok_f
        return [got + ok_t + post(True), [closed] + on_closed + post(False)]

    def select_opts(self, s: A.SelectStmt, nxt) -> list:
        blk = self.cur
        after = (self.node(BRK, s),) + nxt
        has_default = any(cl.comm is None for cl in s.body)
        opts = []
        stay = []  # per case: the default's guard that this case cannot proceed on its own
        default = None
        for cl in s.body:
            comm = cl.comm
            body = (self.seq(cl.body, 0),) + after
            post = (lambda body=body, targets=(): [self.after(body, *targets)] + self.emit(body, blk))
            if comm is None:
                default = body
                continue
            if type(comm) is A.SendStmt:
                h, buffered, _ = self.chan_info(comm.chan)
                opts += self.send_opts(comm.chan, comm.value, has_default, post)
                stay.append(f"!closed[{h}] && full({h})" if buffered else f"!closed[{h}]")
                continue
            if type(comm) is A.ExprStmt:
                ch, target, ok = _unparen(comm.x).x, None, None
            else:
                lhs = [_unparen(x) for x in comm.lhs]
                ch, target, ok = _unparen(comm.rhs[0]).x, lhs[0], (lhs[1] if len(lhs) > 1 else None)
            h, buffered, _ = self.chan_info(ch)
            opts += self.recv_opts(ch, target, ok, has_default,
                                   lambda _got, post=post, t=(target, ok): post(targets=t))
            stay.append(f"empty({h}) && !closed[{h}]" if buffered else f"!closed[{h}]")
        if default is not None:
            guard = " && ".join(f"({x})" for x in stay) if stay else "true"
            opts.append([guard, self.after(default)] + self.emit(default, blk))
        if not opts:
            return [["false"]]  # select {}: blocks forever
        return opts

    def goto_range(self, s: A.RangeStmt, nxt: tuple, blk: Block) -> list:
        # live at the loop's receive: the loop itself (its temporaries included) and what follows
        reads = self._reads_of(s.x) | {self.c.uses[id(s)], self.c.uses[("ok", id(s))]}
        return self.goto_op(("range", id(s)), lambda: self.build_range(s, nxt),
                            (self.node(LOOP, s),) + nxt, reads, blk)

    def build_range(self, s: A.RangeStmt, nxt: tuple) -> list:
        blk = self.cur
        c = self.c
        tmp = c.uses[id(s)]
        ok = c.uses[("ok", id(s))]
        body = (self.seq(s.body.stmts, 0), self.node(LOOP, s)) + nxt
        key = _unparen(s.key) if s.key is not None else None
        bind = []
        if key is not None and not (type(key) is A.Ident and key.name == "_"):
            var = c.uses.get(id(key))
            if not (type(var) is Var and c._var_const(var) is not None):
                bind = [f"{c.px(key)} = {tmp.name}"]

        def post(got):
            if got:
                return [f"{ok.name} = true"] + bind + self.emit(body, blk)
            return [f"{ok.name} = false"] + self.emit(nxt, blk)
        return self.recv_opts(s.x, None, None, False, post, range_tmp=tmp.name)

    # ------------------------------------------------------------ the proctype

    def proctype(self) -> str:
        fn = self.fn
        entry = (self.seq(fn.body.stmts, 0), (EXIT, 0))
        self.cur = Block(self, {v for v in fn.params if v.role == "param"})
        prefix = self.emit(entry, self.cur)
        if not fn.is_main and len(prefix) == 2 and type(prefix[0]) is Zero and type(prefix[1]) is str \
                and prefix[1].startswith("goto "):
            # parameters dead at the first operation: the creator passes zero (see go())
            fn.dead_at_start = {v for v in self.cur.base - prefix[0].live}
            prefix = prefix[1:]
        prefix = self.finish(prefix, self.cur)
        blocks = []
        while self.todo:
            key = self.todo.pop(0)
            lab, builder, cont, _live = self.ops[key]
            self.cur = self.new_block(key)
            opts = builder()
            opts = self.finish([If(*opts)], self.cur)[0].options
            blocks.append((lab, opts))
        c = self.c
        params = [v for v in fn.params] + fn.captures_list
        decl_params = "; ".join(f"{self._ptype(v)} {v.name}" for v in params)
        local_vars = [v for v in fn.locals if v.role == "temp" or c._var_const(v) is None] + self.tmps
        head = ("active proctype main()" if fn.is_main else f"proctype {fn.name}({decl_params})")
        where = fn.node.pos
        lines = [f"/* {'the entry' if fn.is_main else 'goroutine'} {self._go_name()} ({where}) */", head + " {"]
        for v in local_vars:
            lines.append(f"    {self._ptype(v)} {v.name};")
        if self.uses_rx:
            lines.append("    bit rx; /* scratch: 1 when the sender ends with this hand-off */")
        body_items: list = []
        if len(prefix) == 1 and type(prefix[0]) is str and prefix[0].startswith("goto "):
            body_items.append(prefix[0])
        else:  # Promela does not allow a label as an atomic block's first statement
            body_items.append(Atomic((["skip"] if type(prefix[0]) is Label else []) + prefix))
        for lab, opts in blocks:
            body_items.append(Label(lab))
            if len(opts) == 1:
                body_items.append(self._wrap(opts[0])[0] if self._bare(opts[0]) else Atomic(opts[0]))
            elif not any(self._bare(o) for o in opts):
                body_items.append(Atomic([If(*opts)]))
            else:  # each option atomic on its own, bare sends bare
                body_items.append(If(*[self._wrap(o) for o in opts]))
        body_items.append(Label(self.exit_label))
        body_items.append("false")
        lines.append(_fmt_seq(body_items, "    "))
        lines.append("}")
        return "\n".join(lines)

    @staticmethod
    def _bare(opt: list) -> bool:
        return len(opt) == 2 and type(opt[0]) is SendText and type(opt[1]) is str and opt[1].startswith("goto ")

    def _wrap(self, opt: list) -> list:
        return opt if self._bare(opt) else [Atomic(opt)]

    def _ptype(self, v: Var) -> str:
        if _is_chan(v.type):
            return "chan"
        return PTYPE[v.type]

    def _go_name(self) -> str:
        fn = self.fn
        if type(fn.node) is A.FuncDecl:
            return "main." + fn.node.name.name
        return "func literal"


INLINES = """inline wg_add(w, d) {
    /* WaitGroup.Add (Done is Add(-1)): a counter reaching zero releases the waiters */
    wg_n[w] = wg_n[w] + d;
    assert(wg_n[w] >= 0); /* panic: sync: negative WaitGroup counter */
    if
    :: wg_n[w] == 0 && wg_wait[w] > 0 -> wg_woken[w] = wg_woken[w] + wg_wait[w]; wg_wait[w] = 0
    :: else -> skip
    fi
}"""


def _emit_program(c: Compiler) -> str:
    bodies = []
    emitters = []
    for fn in c.fns:
        em = FnEmitter(c, fn)
        emitters.append(em)
    # a goroutine before the functions that start it: go() needs its dead_at_start
    for em in reversed(emitters):
        bodies.append(em.proctype())
    bodies.reverse()
    out = ["/* Promela model written by gcheck export --promela; see gcheck/export/promela.py */", ""]
    nch = 0
    chan_lines = []
    elem_pt = {INT: "int", BOOL: "bool", UNIT: "bit"}
    for s in c.sites:
        if s.kind != "chan":
            continue
        buffered = s.n > 0
        fields = elem_pt[s.elem] + ("" if buffered else ", bit, bit, bit")
        where = f"/* make(chan) at {s.node.pos}{'' if s.count == 1 else f', {s.count} times'} */"
        if s.count == 1:
            chan_lines.append(f"chan {s.name} = [{s.n}] of {{{fields}}}; {where}")
        else:
            chan_lines.append(f"chan {s.name}[{s.count}] = [{s.n}] of {{{fields}}}; {where}")
        nch += s.count
        if s.index is not None and s.index[0] == "counter":
            chan_lines.append(f"byte {s.index[1]};")
    out += chan_lines
    out.append("chan nil_chan; /* a dead channel variable is set to this */")
    out.append(f"bool closed[{nch + 1}]; /* indexed by chan handle (SPIN numbers channels from 1) */")
    out.append("byte live; /* goroutines other than main that have not finished */")
    if c.nmu:
        out.append(f"bit mu[{c.nmu}]; /* sync.Mutex: 1 = locked */")
    for s in c.sites:
        if s.kind in ("mutex", "mutexes", "wg") and s.index is not None and s.index[0] == "counter":
            out.append(f"byte {s.index[1]};")
    if c.nwg:
        out.append(f"short wg_n[{c.nwg}]; /* sync.WaitGroup counter */")
        out.append(f"byte wg_wait[{c.nwg}]; /* goroutines parked in Wait */")
        out.append(f"byte wg_woken[{c.nwg}]; /* released by the counter reaching zero, not yet returned */")
    for v in c.globals:
        if c._var_const(v) is not None or type(v.init) is Site:
            continue
        init = ""
        if v.init is not None:
            val = c._eval(v.init)
            if val is None:
                raise NotInSubset(v.pos, "package-level variable with a non-constant initialiser")
            init = " = " + (("true" if val else "false") if type(val) is bool else str(val))
        out.append(f"{PTYPE.get(v.type, 'int')} {v.name}{init};")
    out.append("")
    if c.nwg:
        out += [INLINES, ""]
    out += [b + "\n" for b in bodies[1:]]
    out.append(bodies[0])
    return "\n".join(out) + "\n"




# ---------------------------------------------------------------- front doors


def export_files(files: list, entry: str = "main") -> str:
    """Promela for the package made of these parsed files."""
    return Compiler(files, entry).compile()


def export_file_source(src: str, path: str = "main.go", entry: str = "main") -> str:
    from gcheck.syntax import parse_source

    return export_files([parse_source(src, path)], entry)


def export_path(path: str, entry: str = "main") -> str:
    """Promela for the package at path (a directory or a .go file)."""
    from gcheck.loader import BuildContext, expand
    from gcheck.syntax import parse_file

    pkgs, errors = expand([path], BuildContext())
    if errors:
        raise ExportError(errors[0])
    if len(pkgs) != 1:
        raise ExportError(f"{path}:1:1: export one package at a time ({len(pkgs)} found)")
    files = [parse_file(f) for f in pkgs[0].files if not f.endswith("_test.go") or entry != "main"]
    return export_files(files, entry)


def run_cli(args, stdout, stderr) -> int:
    """`gcheck export --promela PATH [--entry NAME] [-o FILE]`."""
    from gcheck.errors import GcheckError

    if not args.promela:
        stderr.write("gcheck export: choose a format (--promela)\n")
        return 2
    try:
        text = export_path(args.path, args.entry or "main")
    except NotInSubset as e:
        stderr.write(f"{e}\n")
        return 2
    except (GcheckError, ExportError) as e:
        stderr.write(f"{e}\n")
        return 2
    except RecursionError:
        stderr.write(f"{args.path}:1:1: too deeply nested to export\n")
        return 2
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            stderr.write(f"gcheck: cannot write {args.output}: {e.strerror or e}\n")
            return 2
    else:
        stdout.write(text)
    return 0


__all__ = ["ExportError", "NotInSubset", "export_path", "export_file_source", "export_files", "run_cli"]
