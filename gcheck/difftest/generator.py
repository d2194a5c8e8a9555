"""A generator of small, closed, well-typed, vet-clean concurrent Go programs.

Every program is ``package main`` with one ``func main()``: 2-4 goroutines
(main and func literals, some spawned by other goroutines), channels of
capacity 0..2 or nil, send / receive / comma-ok / close / range, select with
and without default, loops with small constant bounds, Mutex / RWMutex /
WaitGroup / Once / Cond (``for !ready { cond.Wait() }``, Signal, Broadcast),
context cancel, timers, tickers, ``time.AfterFunc`` (with Stop and Reset)
and defer. Each channel and sync object lives in a local of main, a
package-level variable, or a field of a struct (``state``, used through
pointer-receiver methods, or, for a channel, ``pipe``, used through
value-receiver methods); a nil channel is a ``var`` never assigned, in any
of these homes.

Programs are deterministic in what they can do: no maps, no wall-clock
values, no data races; every run's outcome depends only on the interleaving
(and on which select case or timer wins), which gcheck explores in full.

The generator reads a stream of small integers from a Chooser, so the same
program comes from a seeded RNG (``RandomChooser``), from a recorded list
(``ReplayChooser``: the basis of ``shrink``), or from hypothesis
(``programs()`` strategy: hypothesis shrinks failing programs for free).
Choice 0 is always the simplest option (no, fewer, the first kind), so a
stream shrunk toward zeros gives a smaller program.

Each program renders in two forms with the same line numbers: the plain one
gcheck reads, and one for the Go binary (``package pNNNN``, ``func Main``)
where every concurrency operation may be preceded, on the same line, by a
``noise();`` call that yields or sleeps a little at random: schedule noise
that does not change the program's meaning.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Choosers


class Chooser:
    """A source of choices: ``int(lo, hi)`` returns lo..hi inclusive."""

    def int(self, lo: int, hi: int) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def chance(self, percent: int) -> bool:
        """True with about ``percent`` % probability; a zero choice is False."""
        return self.int(0, 99) >= 100 - percent

    def pick(self, seq):
        return seq[self.int(0, len(seq) - 1)]

    def weighted(self, table):
        """table: [(weight, value)]; index 0 is the simplest (the shrink target)."""
        total = sum(w for w, _ in table)
        r = self.int(0, total - 1)
        for w, v in table:
            if r < w:
                return v
            r -= w
        return table[-1][1]


class RandomChooser(Chooser):
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.log: list[int] = []

    def int(self, lo: int, hi: int) -> int:
        v = self.rng.randint(lo, hi)
        self.log.append(v - lo)
        return v


class ReplayChooser(Chooser):
    """Replays recorded choices (offsets from lo), clamped to the range asked
    for; past the end of the record every choice is 0."""

    def __init__(self, choices):
        self.choices = list(choices)
        self.k = 0
        self.log: list[int] = []

    def int(self, lo: int, hi: int) -> int:
        raw = self.choices[self.k] if self.k < len(self.choices) else 0
        self.k += 1
        v = lo + max(0, min(raw, hi - lo))
        self.log.append(v - lo)
        return v


class DrawChooser(Chooser):
    """Choices drawn by hypothesis (``st.data()`` or inside ``st.composite``)."""

    def __init__(self, draw):
        from hypothesis import strategies as st

        self._draw = draw
        self._st = st
        self.log: list[int] = []

    def int(self, lo: int, hi: int) -> int:
        v = self._draw(self._st.integers(lo, hi))
        self.log.append(v - lo)
        return v


# --------------------------------------------------------------------------
# Program text as a small tree (so lines can be counted and noise placed)


@dataclass
class Line:
    text: str
    noisy: bool = False  # a concurrency operation: schedule noise may precede it


@dataclass
class Block:
    head: str
    body: list
    tail: str = "}"
    noisy: bool = False


@dataclass
class Select:
    cases: list  # [(case line, [nodes])]


@dataclass
class Spawn:
    gid: int


@dataclass
class Unit:
    """A run of statements that stays together when bodies are rearranged."""

    nodes: list
    spawn: bool = False  # contains a go statement (never wrapped in a loop)
    final: bool = False  # a terminating statement: nothing may follow it


@dataclass
class Gor:
    gid: int
    parent: int | None
    prologue: list = field(default_factory=list)
    units: list = field(default_factory=list)
    wg: bool = False  # joins the WaitGroup
    in_loop: int = 0  # spawned by a loop of this many iterations (0: plain go statement)


@dataclass
class GenProgram:
    """A generated program: render it with ``source()``."""

    name: str
    choices: list  # the choice record that regenerates it (ReplayChooser)
    lines: list  # [(indent, text, noisy)] for the body of main
    imports: list
    features: set = field(default_factory=set)
    top: list = field(default_factory=list)  # [(indent, text, noisy)]: types, methods, package-level vars

    def source(self, *, package: str = "main", func: str = "main", noise: bool = False) -> str:
        out = [f"package {package}", ""]
        if self.imports:
            out.append("import (")
            out += [f'\t"{imp}"' for imp in self.imports]
            out += [")", ""]
        for indent, text, noisy in self.top:
            out.append("\t" * indent + ("noise(); " if noise and noisy else "") + text)
        out.append(f"func {func}() {{")
        for indent, text, noisy in self.lines:
            out.append("\t" * indent + ("noise(); " if noise and noisy else "") + text)
        out.append("}")
        return "\n".join(out) + "\n"

    def go_lines(self) -> int:
        return self.source().count("\n")


class SourceProgram:
    """A hand-written program (``package main`` with ``func main()``) that goes
    through the same build/run/check pipeline as generated ones (regression
    programs). Noise goes before every statement line of a function body
    that is not a case label, a closing brace or a comment."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text if text.endswith("\n") else text + "\n"
        self.choices: list = []
        self.features: set = set()

    def source(self, *, package: str = "main", func: str = "main", noise: bool = False) -> str:
        out = []
        in_func = False
        for line in self.text.splitlines():
            s = line.strip()
            if line.startswith("package "):
                line = f"package {package}"
            elif line.startswith("func main()"):
                line = line.replace("func main()", f"func {func}()", 1)
            if line.startswith("func "):
                in_func = True
            elif line.startswith("}"):
                in_func = False
            elif (noise and in_func and line.startswith("\t") and s
                  and not s.startswith(("}", "case ", "default:", "//", ")"))
                  and not s.endswith((",", "(")) and not s.startswith(("var ", "const ", "type "))):
                indent = line[: len(line) - len(line.lstrip("\t"))]
                line = indent + "noise(); " + line.lstrip("\t")
            out.append(line)
        return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# The generator


class _Gen:
    def __init__(self, ch: Chooser):
        self.c = ch
        self.n = 0
        self.features: set[str] = set()

    def fresh(self, base: str) -> str:
        self.n += 1
        return f"{base}{self.n}"

    # ---- the shape: goroutines and channels

    def run(self) -> tuple[list, list, list]:
        c = self.c
        ngor = 2 + c.int(0, 2)  # main + 1..3 func literals
        self.gs = [Gor(0, None)]
        for gid in range(1, ngor):
            parent = 0
            if gid > 1 and c.chance(25):
                parent = c.int(1, gid - 1)
            self.gs.append(Gor(gid, parent))
        nch = 1 + c.int(0, 2)
        self.chans = []
        for k in range(nch):
            cap = None if c.chance(10) else c.weighted([(5, 0), (3, 1), (2, 2)])
            self.chans.append((f"c{k}", cap))
        # Where each object lives (choice 0, a local of main, is the simplest):
        # a package-level variable, a field of the struct ``s`` (type state,
        # pointer-receiver methods), or, for a channel, the field of a ``pipe``
        # value (value-receiver methods). A channel field never assigned and a
        # package-level ``var cK chan int`` are nil, like a local ``var``.
        self.home = {}
        for name, _ in self.chans:
            self.home[name] = c.weighted([(6, "local"), (2, "global"), (2, "field"), (1, "pipe")])
        for name in ("mu", "rw", "wg", "once", "cond"):
            self.home[name] = c.weighted([(6, "local"), (1, "global"), (2, "field")])
        self.s_form = c.weighted([(3, "literal"), (2, "var"), (1, "global"), (1, "new")])
        self.method_pct = c.pick((0, 40, 80))  # how often an operation on a field goes through a method
        self.use_ctx = None
        npat = 1 + c.int(0, 3)
        for _ in range(npat):
            c.weighted(PATTERNS)(self)
        for _ in range(c.int(0, 2)):
            c.weighted(WRAPS)(self)
        self._place_spawns()
        return self._render()

    def chan(self, live: bool = True) -> str:
        """A channel name; ``live``: prefer a non-nil one."""
        names = [n for n, cap in self.chans if cap is not None] if live else [n for n, _ in self.chans]
        if not names:
            names = [n for n, _ in self.chans]
        return self.c.pick(names)

    def gid(self) -> int:
        return self.c.int(0, len(self.gs) - 1)

    def two(self) -> tuple[int, int]:
        a = self.gid()
        b = self.gid()
        if a == b and not self.c.chance(10):
            b = (a + 1 + self.c.int(0, len(self.gs) - 2)) % len(self.gs)
        return a, b

    def add(self, gid: int, nodes: list, *, anywhere: int = 30, final: bool = False) -> None:
        g = self.gs[gid]
        if g.units and g.units[-1].final:
            if final:
                return
            pos = len(g.units) - 1
        elif final:
            pos = len(g.units)  # a terminating statement ends the body (vet: unreachable code)
        elif self.c.chance(anywhere) and g.units:
            pos = self.c.int(0, len(g.units))
        else:
            pos = len(g.units)
        g.units.insert(pos, Unit(nodes, final=final))

    # ---- operations

    def k(self) -> int:
        return self.c.int(0, 2)

    def send(self, ch: str) -> list:
        return [Line(f"{ch} <- {self.k()}", True)]

    def recv(self, ch: str) -> list:
        kind = self.c.weighted([(5, 0), (2, 1), (2, 2), (1, 3), (2, 4)])
        if kind == 0:
            return [Line(f"<-{ch}", True)]
        if kind == 1:
            v, ok = self.fresh("v"), self.fresh("ok")
            self.features.add("comma-ok")
            return [Line(f"{v}, {ok} := <-{ch}", True), Line(f"_, _ = {v}, {ok}")]
        if kind == 2:
            self.features.add("comma-ok")
            return [Block(f"if _, ok := <-{ch}; !ok {{", [Line("return")], noisy=True)]
        if kind == 3:
            self.features.add("panic")
            return [Block(f"if _, ok := <-{ch}; !ok {{", [Line('panic("closed")')], noisy=True)]
        v = self.fresh("v")
        self.features.add("value-branch")
        return [Block(f"if {v} := <-{ch}; {v} == {self.k()} {{", self.simple(), noisy=True)]

    def simple(self) -> list:
        """One plain channel operation (used inside branches and case bodies)."""
        kind = self.c.weighted([(4, 0), (3, 1), (2, 2)])
        ch = self.chan()
        if kind == 0:
            return [Line(f"{ch} <- {self.k()}", True)]
        if kind == 1:
            return [Line(f"<-{ch}", True)]
        self.features.add("close")
        return [Line(f"close({ch})", True)]

    def select(self, cases: list, default: bool) -> list:
        self.features.add("select-default" if default else "select")
        out = list(cases)
        if default:
            out.append(("default:", []))
        return [Select(out)]

    def case(self, ch: str, kind: int) -> tuple[str, list]:
        if kind == 0:
            return (f"case {ch} <- {self.k()}:", [])
        if kind == 1:
            return (f"case <-{ch}:", self.simple() if self.c.chance(20) else [])
        v, ok = self.fresh("v"), self.fresh("ok")
        return (f"case {v}, {ok} := <-{ch}:", [Line(f"_, _ = {v}, {ok}")])

    def ctx(self) -> None:
        if self.use_ctx is None:
            self.use_ctx = "timeout" if self.c.chance(20) else "cancel"
            self.features.add("ctx-" + self.use_ctx)

    # ---- placing goroutines

    def _place_spawns(self) -> None:
        c = self.c
        wg_members = [g for g in self.gs[1:] if g.wg]
        one_add = wg_members and c.chance(30)
        first = True
        for g in self.gs[1:]:
            parent = self.gs[g.parent]
            nodes: list = []
            if g.wg and not one_add:
                nodes.append(Line("wg.Add(1)", True))
            elif g.wg and one_add and first:
                n = len(wg_members) + sum(max(0, m.in_loop - 1) for m in wg_members)
                nodes.append(Line(f"wg.Add({n})", True))
                first = False
            body = self.gs[g.gid]
            spawn = Spawn(body.gid)
            if g.in_loop:
                i = self.fresh("i")
                nodes.append(Block(f"for {i} := 0; {i} < {g.in_loop}; {i}++ {{", [spawn]))
            else:
                nodes.append(spawn)
            # spawns go near the front of the parent (after earlier spawns) mostly
            spawned = [k for k, u in enumerate(parent.units) if u.spawn]
            lo = spawned[-1] + 1 if spawned else 0
            hi = len(parent.units)
            if parent.units and parent.units[-1].final:
                hi -= 1
            pos = lo if not c.chance(35) or hi <= lo else c.int(lo, hi)
            parent.units.insert(pos, Unit(nodes, spawn=True))

    # ---- rendering

    _NAMES = re.compile(r"\b(c\d|mu|rw|wg|once|cmu|cond|ready)\b")
    _SYNC_OP = re.compile(r"(mu|rw|wg)\.(Lock|Unlock|RLock|RUnlock|Done|Wait)\(\)")

    def _home_of(self, name: str) -> str:
        if name in ("cmu", "cond", "ready"):
            return self.home["cond"]
        return self.home.get(name, "local")

    def _ref(self, name: str) -> str:
        home = self._home_of(name)
        if home == "field":
            return "s." + name
        if home == "pipe":
            return "p" + name[1:] + ".ch"
        return name

    def _fix(self, text: str) -> str:
        """A pattern's text with each object where it lives; an operation on a
        struct field sometimes goes through a method of the struct."""
        self._raw.append(text)
        m = self._method(text)
        if m is not None:
            return m
        return self._NAMES.sub(lambda mo: self._ref(mo.group(1)), text)

    def _method(self, text: str) -> str | None:
        pre = "defer " if text.startswith("defer ") else ""
        op = text[len(pre):]
        arg = ""
        if m := re.fullmatch(r"(c\d) <- (\d)", op):
            name, kind, arg = m.group(1), "put", m.group(2)
        elif m := re.fullmatch(r"<-(c\d)", op):
            name, kind = m.group(1), "get"
        elif m := re.fullmatch(r"close\((c\d)\)", op):
            name, kind = m.group(1), "close"
        elif m := self._SYNC_OP.fullmatch(op):
            name, kind = m.group(1), m.group(2)
        else:
            return None
        home = self._home_of(name)
        if home not in ("field", "pipe") or not self.method_pct or not self.c.chance(self.method_pct):
            return None
        if home == "pipe":  # value receiver: the method works on a copy of the pipe
            meth = {"put": "put", "get": "get", "close": "shut"}[kind]
            self.pipe_methods.add(meth)
            self.features.add("value-receiver")
            return f"{pre}p{name[1:]}.{meth}({arg})"
        if name.startswith("c"):
            meth = kind + name[1:]
            sig = {"put": "(v int)", "get": "() int", "close": "()"}[kind]
            body = {"put": f"s.{name} <- v", "get": f"return <-s.{name}", "close": f"close(s.{name})"}[kind]
        else:
            meth = kind.lower() + name.capitalize()
            sig, body = "()", f"s.{name}.{kind}()"
        self.state_methods[meth] = (sig, body)
        self.features.add("pointer-receiver")
        return f"{pre}s.{meth}({arg})"

    def _render(self) -> tuple[list, list, list]:
        c = self.c
        self._raw: list = []
        self.state_methods: dict = {}
        self.pipe_methods: set = set()
        body: list = []
        self._emit_gor(self.gs[0], 1, body)
        text = "\n".join(self._raw)

        def used(name: str) -> bool:
            return re.search(r"\b" + re.escape(name) + r"\b", text) is not None

        decls: list = []  # at the top of main
        inits: list = []  # after the declaration of s
        top: list = []  # package level
        fields: list = []  # [(name, type, initial value or None)]
        for name, cap in self.chans:
            if not used(name):
                continue
            mk = None if cap is None else "make(chan int)" if cap == 0 else f"make(chan int, {cap})"
            if cap is None:
                self.features.add("nil-chan")
            elif cap:
                self.features.add("buffered")
            home = self.home[name]
            self.features.add(f"{home}-chan")
            if cap is None and home != "local":
                self.features.add(f"nil-{home}-chan")
            if home == "local":
                decls.append((1, f"var {name} chan int" if mk is None else f"{name} := {mk}", False))
            elif home == "global":
                top.append((0, f"var {name} chan int" if mk is None else f"var {name} = {mk}", False))
            elif home == "field":
                fields.append((name, "chan int", mk))
            else:
                pv = "p" + name[1:]
                if mk is None:
                    decls.append((1, f"var {pv} pipe", False))
                elif c.chance(50):
                    decls.append((1, f"{pv} := pipe{{{mk}}}", False))
                else:
                    decls.append((1, f"var {pv} pipe", False))
                    decls.append((1, f"{pv}.ch = {mk}", False))
        for name, typ in (("mu", "Mutex"), ("rw", "RWMutex"), ("wg", "WaitGroup"), ("once", "Once")):
            if used(name):
                self.features.add(name)
                home = self.home[name]
                if home == "local":
                    decls.append((1, f"var {name} sync.{typ}", False))
                elif home == "global":
                    top.append((0, f"var {name} sync.{typ}", False))
                else:
                    fields.append((name, f"sync.{typ}", None))
                    self.features.add(f"field-{name}")
        if used("cond"):
            home = self.home["cond"]
            if home == "local":
                decls += [(1, "var cmu sync.Mutex", False), (1, "cond := sync.NewCond(&cmu)", False),
                          (1, "ready := false", False), (1, "_ = ready", False)]
            elif home == "global":
                top += [(0, "var cmu sync.Mutex", False), (0, "var cond = sync.NewCond(&cmu)", False),
                        (0, "var ready bool", False)]
            else:
                fields += [("cmu", "sync.Mutex", None), ("cond", "*sync.Cond", None), ("ready", "bool", None)]
                inits.append((1, "s.cond = sync.NewCond(&s.cmu)", False))
            self.features.add(f"{home}-cond")
        if fields:
            self.features.add("struct-" + self.s_form)
            if self.s_form == "literal":
                lits = ", ".join(f"{n}: {v}" for n, _, v in fields if v is not None)
                decls.append((1, f"s := &state{{{lits}}}", False))
            else:
                if self.s_form == "var":
                    decls.append((1, "var s state", False))
                elif self.s_form == "new":
                    decls.append((1, "s := new(state)", False))
                else:
                    top.append((0, "var s state", False))
                decls += [(1, f"s.{n} = {v}", False) for n, _, v in fields if v is not None]
            decls += inits
        if used("ctx") or used("cancel"):
            if self.use_ctx == "timeout":
                decls.append((1, "ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)", False))
            else:
                decls.append((1, "ctx, cancel := context.WithCancel(context.Background())", False))
            decls.append((1, "_ = ctx", False))
            decls.append((1, "_ = cancel", False))
        if top:
            top.append((0, "", False))
        if fields:
            top.append((0, "type state struct {", False))
            top += [(1, f"{n} {t}", False) for n, t, _ in fields]
            top += [(0, "}", False), (0, "", False)]
            for meth, (sig, mbody) in sorted(self.state_methods.items()):
                top += [(0, f"func (s *state) {meth}{sig} {{", False), (1, mbody, True), (0, "}", False),
                        (0, "", False)]
        if any(self.home[n] == "pipe" and used(n) for n, _ in self.chans):
            top += [(0, "type pipe struct {", False), (1, "ch chan int", False), (0, "}", False), (0, "", False)]
            pm = {"put": ("(v int)", "p.ch <- v"), "get": ("() int", "return <-p.ch"), "shut": ("()", "close(p.ch)")}
            for meth in sorted(self.pipe_methods):
                sig, mbody = pm[meth]
                top += [(0, f"func (p pipe) {meth}{sig} {{", False), (1, mbody, True), (0, "}", False),
                        (0, "", False)]
        lines = decls + body
        full = "\n".join(t for _, t, _ in top + lines)
        imports = [imp for imp in ("context", "sync", "time") if imp + "." in full]
        return lines, imports, top

    def _emit_gor(self, g: Gor, indent: int, out: list) -> None:
        for n in g.prologue:
            self._emit(n, indent, out)
        for u in g.units:
            for n in u.nodes:
                self._emit(n, indent, out)

    def _emit(self, n, indent: int, out: list) -> None:
        if isinstance(n, Line):
            out.append((indent, self._fix(n.text), n.noisy))
        elif isinstance(n, Block):
            out.append((indent, self._fix(n.head), n.noisy))
            for m in n.body:
                self._emit(m, indent + 1, out)
            out.append((indent, n.tail, False))
        elif isinstance(n, Select):
            out.append((indent, "select {", True))
            for head, body in n.cases:
                out.append((indent, self._fix(head), False))
                for m in body:
                    self._emit(m, indent + 1, out)
            out.append((indent, "}", False))
        elif isinstance(n, Spawn):
            out.append((indent, "go func() {", True))
            self._emit_gor(self.gs[n.gid], indent + 1, out)
            out.append((indent, "}()", False))
        else:  # pragma: no cover
            raise TypeError(n)


# --------------------------------------------------------------------------
# Patterns: each adds matching halves of an interaction to some goroutines


def _p_handoff(g: _Gen) -> None:
    ch = g.chan()
    a, b = g.two()
    g.add(a, g.send(ch))
    g.add(b, g.recv(ch))
    g.features.add("send")


def _p_close(g: _Gen) -> None:
    ch = g.chan(live=not g.c.chance(5))
    a, b = g.two()
    if g.c.chance(30):
        g.gs[a].prologue.append(Line(f"defer close({ch})"))
        g.features.add("defer")
    else:
        g.add(a, [Line(f"close({ch})", True)])
    g.add(b, g.recv(ch))
    g.features.add("close")


def _p_prodcons(g: _Gen) -> None:
    ch = g.chan()
    a, b = g.two()
    n = g.c.int(1, 3)
    i = g.fresh("i")
    nodes = [Block(f"for {i} := 0; {i} < {n}; {i}++ {{", [Line(f"{ch} <- {i}", True)])]
    if g.c.chance(30):
        g.gs[a].prologue.append(Line(f"defer close({ch})"))
        g.features.add("defer")
    elif not g.c.chance(10):
        nodes.append(Line(f"close({ch})", True))
    g.add(a, nodes)
    v = g.fresh("v")
    g.add(b, [Block(f"for {v} := range {ch} {{", [Line(f"_ = {v}")], noisy=True)])
    g.features.update(("range", "loop"))


def _p_select(g: _Gen) -> None:
    a = g.gid()
    ncases = 1 + g.c.int(0, 2)
    cases = []
    for _ in range(ncases):
        ch = g.chan(live=not g.c.chance(10))
        kind = g.c.int(0, 2)
        cases.append(g.case(ch, kind))
        if g.c.chance(70):  # a partner for this case somewhere
            b = g.gid()
            g.add(b, g.recv(ch) if kind == 0 else g.send(ch))
    g.add(a, g.select(cases, g.c.chance(40)))


def _p_timeout(g: _Gen) -> None:
    ch = g.chan()
    a, b = g.two()
    v = g.fresh("v")
    g.add(b, g.select([(f"case {v} := <-{ch}:", [Line(f"_ = {v}")]),
                       ("case <-time.After(time.Millisecond):", [])], False))
    nodes = []
    if g.c.chance(30):
        nodes.append(Line("time.Sleep(time.Millisecond)", True))
        g.features.add("sleep")
    nodes += g.send(ch)
    g.add(a, nodes)
    g.features.add("time.After")


def _p_once(g: _Gen) -> None:
    ch = g.chan()
    a, b = g.two()
    body = [Line(f"close({ch})", True)] if not g.c.chance(25) else g.send(ch)
    for x in (a, b):
        g.add(x, [Block("once.Do(func() {", body, tail="})", noisy=True)])
    g.add(g.gid(), g.recv(ch))
    g.features.add("once")


def _p_ctx(g: _Gen) -> None:
    g.ctx()
    a, b = g.two()
    if g.c.chance(60):
        if g.c.chance(25):
            g.gs[a].prologue.append(Line("defer cancel()"))
            g.features.add("defer")
        else:
            g.add(a, [Line("cancel()", True)])
    kind = g.c.int(0, 2)
    if kind == 0:
        g.add(b, [Line("<-ctx.Done()", True)])
    elif kind == 1:
        ch = g.chan()
        ret = [Line("return")] if g.c.chance(50) else []
        g.add(b, g.select([("case <-ctx.Done():", ret), g.case(ch, g.c.int(0, 2))], False))
    else:
        g.add(b, [Block("if ctx.Err() != nil {", [Line("return")], noisy=True)])
    g.features.add("ctx")


def _p_timer(g: _Gen) -> None:
    a = g.gid()
    t = g.fresh("t")
    nodes: list = [Line(f"{t} := time.NewTimer(time.Millisecond)", True)]
    kind = g.c.int(0, 4)
    if kind == 0:
        nodes.append(Line(f"<-{t}.C", True))
    elif kind == 1:
        nodes.append(Line(f"{t}.Stop()", True))
    elif kind == 2:
        nodes.append(Block(f"if !{t}.Stop() {{", [Line(f"<-{t}.C", True)], noisy=True))
    elif kind == 3:
        ch = g.chan()
        nodes += g.select([(f"case <-{t}.C:", []), g.case(ch, g.c.int(0, 2))], False)
        if g.c.chance(50):
            nodes.append(Line(f"{t}.Stop()", True))
    else:
        nodes.append(Line(f"{t}.Stop()", True))
        nodes.append(Line(f"<-{t}.C", True))  # blocks forever from Go 1.23 on
    g.add(a, nodes)
    g.features.add("timer")


def _p_ticker(g: _Gen) -> None:
    a = g.gid()
    tk = g.fresh("tk")
    i = g.fresh("i")
    nodes: list = [Line(f"{tk} := time.NewTicker(time.Millisecond)", True)]
    deferred = g.c.chance(40)
    if deferred:
        nodes.append(Line(f"defer {tk}.Stop()"))
    nodes.append(Block(f"for {i} := 0; {i} < {g.c.int(1, 2)}; {i}++ {{", [Line(f"<-{tk}.C", True)]))
    if not deferred:
        nodes.append(Line(f"{tk}.Stop()", True))
    g.add(a, nodes)
    g.features.add("ticker")


def _p_nonblock(g: _Gen) -> None:
    ch = g.chan()
    a, b = g.two()
    g.add(a, g.select([(f"case {ch} <- {g.k()}:", [])], True))
    if g.c.chance(50):
        g.add(b, g.select([(f"case <-{ch}:", [])], True))
    else:
        g.add(b, g.recv(ch))


def _p_nil(g: _Gen) -> None:
    name = None
    for n, cap in g.chans:
        if cap is None:
            name = n
    if name is None:
        k = g.c.int(0, len(g.chans) - 1)
        name = g.chans[k][0]
        g.chans[k] = (name, None)
    a = g.gid()
    kind = g.c.int(0, 5)
    if kind == 0:
        other = g.chan()
        g.add(a, g.select([(f"case <-{name}:", []), (f"case <-{other}:", [])], False))
        g.add(g.gid(), g.send(other))
    elif kind == 1:
        g.add(a, g.select([(f"case {name} <- 1:", [])], True))
    elif kind == 2:
        g.add(a, [Line(f"<-{name}", True)])
    elif kind == 3:
        g.add(a, [Line(f"{name} <- 1", True)])
    elif kind == 4:  # ranging over a nil channel blocks forever
        v = g.fresh("v")
        g.add(a, [Block(f"for {v} := range {name} {{", [Line(f"_ = {v}")], noisy=True)])
        g.features.add("range-nil")
    else:
        v, ok = g.fresh("v"), g.fresh("ok")
        g.add(a, g.select([(f"case {v}, {ok} := <-{name}:", [Line(f"_, _ = {v}, {ok}")])], True))


def _p_misuse(g: _Gen) -> None:
    kind = g.c.int(0, 4)
    a, b = g.two()
    if kind == 0:  # close twice (maybe racing)
        ch = g.chan()
        g.add(a, [Line(f"close({ch})", True)])
        g.add(b, [Line(f"close({ch})", True)])
    elif kind == 1:  # send racing a close
        ch = g.chan()
        g.add(a, [Line(f"close({ch})", True)])
        g.add(b, g.send(ch))
    elif kind == 2:  # an Unlock without its Lock
        g.add(a, [Line("mu.Lock()", True), Line("mu.Unlock()", True)])
        g.add(b, [Line("mu.Unlock()", True)])
    elif kind == 3:  # RUnlock without RLock
        g.add(a, [Line("rw.RUnlock()", True)])
    else:  # Done without Add
        g.add(a, [Line("wg.Done()", True)])
    g.features.add("misuse")


def _p_wg(g: _Gen) -> None:
    members = [x for x in g.gs[1:] if g.c.chance(70)] or [g.gs[1 + g.c.int(0, len(g.gs) - 2)]]
    for m in members:
        if m.wg:
            continue
        m.wg = True
        kind = g.c.int(0, 3)
        if kind <= 1:
            m.prologue.insert(0, Line("defer wg.Done()"))
        elif kind == 2:
            g.add(m.gid, [Line("wg.Done()", True)], anywhere=0)
        else:  # Done twice (a bug: negative counter)
            m.prologue.insert(0, Line("defer wg.Done()"))
            g.add(m.gid, [Line("wg.Done()", True)], anywhere=0)
    waiter = 0 if g.c.chance(80) else g.gid()
    g.add(waiter, [Line("wg.Wait()", True)], anywhere=15)
    g.features.add("waitgroup")


def _p_sleep(g: _Gen) -> None:
    g.add(g.gid(), [Line("time.Sleep(time.Millisecond)", True)])
    g.features.add("sleep")


def _p_forever(g: _Gen) -> None:
    a = 1 + g.c.int(0, len(g.gs) - 2)
    g.add(a, [Line("select {}", True)], final=True)
    g.features.add("select{}")


def _p_spawn_loop(g: _Gen) -> None:
    cand = [x for x in g.gs[1:] if not x.in_loop]
    if cand:
        x = g.c.pick(cand)
        x.in_loop = 2
        g.features.add("go-in-loop")


def _p_cond(g: _Gen) -> None:
    """sync.Cond: waiters in ``for !ready { cond.Wait() }``, a signaller that
    sets the predicate and signals or broadcasts (inside or after the critical
    section), or forgets one of the two."""
    a, b = g.two()
    waiters = [b] + ([g.gid()] if g.c.chance(35) else [])
    for w in waiters:
        if g.c.chance(4):  # Wait without the lock: a fatal "unlock of unlocked mutex"
            g.add(w, [Line("cond.Wait()", True)])
            g.features.add("misuse")
        else:
            g.add(w, [Line("cmu.Lock()", True), Block("for !ready {", [Line("cond.Wait()", True)]),
                      Line("cmu.Unlock()", True)])
    wake = "cond.Broadcast()" if g.c.chance(40) else "cond.Signal()"
    kind = g.c.weighted([(5, 0), (3, 1), (1, 2), (1, 3)])
    if kind == 0:  # set and signal inside the critical section
        nodes = [Line("cmu.Lock()", True), Line("ready = true"), Line(wake, True), Line("cmu.Unlock()", True)]
    elif kind == 1:  # signal after it
        nodes = [Line("cmu.Lock()", True), Line("ready = true"), Line("cmu.Unlock()", True), Line(wake, True)]
    elif kind == 2:  # sets the predicate, never signals
        nodes = [Line("cmu.Lock()", True), Line("ready = true"), Line("cmu.Unlock()", True)]
    else:  # signals, never sets the predicate
        nodes = [Line(wake, True)]
    if g.c.chance(25):  # the signaller runs from a timer
        nodes = [Block("time.AfterFunc(time.Millisecond, func() {", nodes, tail="})", noisy=True)]
        g.features.add("afterfunc")
    g.add(a, nodes)
    g.features.add("cond-broadcast" if "Broadcast" in wake else "cond-signal")


def _p_afterfunc(g: _Gen) -> None:
    """time.AfterFunc: its function runs in a goroutine of its own when the
    timer fires (if it was not stopped first)."""
    a, b = g.two()
    ch = g.chan(live=not g.c.chance(10))
    kind = g.c.int(0, 3)
    if kind == 0:
        fn = g.send(ch)
        partner = g.recv(ch)
    elif kind == 1:
        fn = [Line(f"close({ch})", True)]
        partner = g.recv(ch)
    elif kind == 2:
        fn = g.recv(ch)
        partner = g.send(ch)
    else:
        g.ctx()
        fn = [Line("cancel()", True)]
        partner = [Line("<-ctx.Done()", True)]
    t = g.fresh("t")
    how = g.c.weighted([(5, 0), (2, 1), (2, 2), (1, 3)])
    head = "time.AfterFunc(time.Millisecond, func() {" if how == 0 else f"{t} := time.AfterFunc(time.Millisecond, func() {{"
    nodes: list = [Block(head, fn, tail="})", noisy=True)]
    if how == 1:
        nodes.append(Line(f"{t}.Stop()", True))
    elif how == 2:
        nodes.append(Block(f"if !{t}.Stop() {{", g.recv(ch) if kind == 0 else [Line("return")], noisy=True))
    elif how == 3:  # the function runs again
        nodes.append(Line(f"{t}.Reset(time.Millisecond)", True))
        g.features.add("afterfunc-reset")
    g.add(a, nodes)
    if g.c.chance(75):
        g.add(b, partner)
    g.features.add("afterfunc")


PATTERNS = [
    (10, _p_handoff), (6, _p_close), (5, _p_prodcons), (6, _p_select), (3, _p_timeout),
    (2, _p_once), (3, _p_ctx), (2, _p_timer), (1, _p_ticker), (3, _p_nonblock), (2, _p_nil),
    (2, _p_misuse), (4, _p_wg), (1, _p_sleep), (1, _p_forever), (1, _p_spawn_loop),
    (3, _p_cond), (2, _p_afterfunc),
]


# ---- wraps: put a run of a goroutine's units inside a loop or a critical section


def _span(g: _Gen, allow_spawn: bool = False):
    x = g.gs[g.gid()]
    ok = [k for k, u in enumerate(x.units) if not u.final and (allow_spawn or not u.spawn)]
    if not ok:
        return x, None, None
    i = g.c.pick(ok)
    j = i + 1
    while j < len(x.units) and j in ok and g.c.chance(40):
        j += 1
    return x, i, j


def _flat(units) -> list:
    return [n for u in units for n in u.nodes]


def _w_loop(g: _Gen) -> None:
    x, i, j = _span(g)
    if i is None:
        return
    v = g.fresh("i")
    n = g.c.int(1, 3)
    x.units[i:j] = [Unit([Block(f"for {v} := 0; {v} < {n}; {v}++ {{", _flat(x.units[i:j]))])]
    g.features.add("loop")


def _w_mutex(g: _Gen) -> None:
    x, i, j = _span(g)
    if i is None:
        return
    inner = _flat(x.units[i:j])
    if g.c.chance(25):
        nodes = [Line("mu.Lock()", True), Line("defer mu.Unlock()")] + inner
        g.features.add("defer")
    else:
        nodes = [Line("mu.Lock()", True)] + inner + [Line("mu.Unlock()", True)]
    x.units[i:j] = [Unit(nodes)]
    g.features.add("mutex")


def _w_rwmutex(g: _Gen) -> None:
    x, i, j = _span(g)
    if i is None:
        return
    inner = _flat(x.units[i:j])
    if g.c.chance(60):
        nodes = [Line("rw.RLock()", True)] + inner + [Line("rw.RUnlock()", True)]
    else:
        nodes = [Line("rw.Lock()", True)] + inner + [Line("rw.Unlock()", True)]
    x.units[i:j] = [Unit(nodes)]
    g.features.add("rwmutex")


WRAPS = [(4, _w_loop), (3, _w_mutex), (2, _w_rwmutex)]


# --------------------------------------------------------------------------
# Entry points


def generate(chooser: Chooser, name: str = "p") -> GenProgram:
    gen = _Gen(chooser)
    lines, imports, top = gen.run()
    return GenProgram(name, list(chooser.log), lines, imports, gen.features, top)


def from_seed(seed: int, name: str | None = None) -> GenProgram:
    return generate(RandomChooser(seed), name or f"seed{seed}")


def from_choices(choices, name: str = "p") -> GenProgram:
    return generate(ReplayChooser(choices), name)


def programs():
    """A hypothesis strategy of GenPrograms (shrinks toward simpler programs)."""
    from hypothesis import strategies as st

    @st.composite
    def _prog(draw):
        return generate(DrawChooser(draw), "hyp")

    return _prog()


def shrink_choices(choices: list, still_fails, max_tries: int = 400) -> list:
    """Greedy shrinking of a choice record: delete runs of choices, then lower
    single choices, keeping each change for which ``still_fails(program)``
    holds. Returns the smallest record found."""
    best = list(choices)
    tries = 0

    def attempt(cand) -> bool:
        nonlocal tries, best
        tries += 1
        prog = from_choices(cand)
        if prog.choices == best:
            return False
        if still_fails(prog):
            best = list(prog.choices)
            return True
        return False

    changed = True
    while changed and tries < max_tries:
        changed = False
        for size in (8, 4, 2, 1):
            k = 0
            while k < len(best) and tries < max_tries:
                if attempt(best[:k] + best[k + size:]):
                    changed = True
                else:
                    k += size
        k = 0
        while k < len(best) and tries < max_tries:  # a lowered choice can shorten the record
            v = best[k]
            if v > 0 and (attempt(best[:k] + [0] + best[k + 1:])
                          or (v > 1 and attempt(best[:k] + [v // 2] + best[k + 1:]))):
                changed = True
            k += 1
    return best
