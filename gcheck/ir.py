"""The IR: each Go function as a flat list of instructions with jumps.

lower.py builds it from the syntax tree; model/exec.py runs it. Expressions are
already compiled by lower.py into small Python closures `fn(ctx) -> value` that
are pure apart from allocation (calls and channel receives were hoisted into
their own instructions, in Go's left-to-right order), so the interpreter only
has to deal with control flow, calls and the concurrency operations.

Every instruction has a `pos` (goast.Pos). Jump targets are instruction indices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from gcheck.goast import Pos

Eval = Callable[[object], object]  # ctx -> value


@dataclass(slots=True, eq=False)
class Instr:
    pos: Pos


@dataclass(slots=True, eq=False)
class Exec(Instr):
    """Run `fn(ctx)` for its effect: assignments, inc/dec, map deletes."""

    fn: Eval
    what: str = ""


@dataclass(slots=True, eq=False)
class Jump(Instr):
    target: int = -1


@dataclass(slots=True, eq=False)
class Branch(Instr):
    """If cond is false jump to `target`, else fall through; an unknown cond forks."""

    cond: Eval = None
    target: int = -1
    text: str = ""


@dataclass(slots=True, eq=False)
class Call(Instr):
    """Call the func value `callee(ctx)` with `args(ctx)` (a tuple); results go to
    the frame slots `dsts` (a single-result call into a multi-slot target is a
    Tuple). `spread` marks f(xs...). `name` is the callee as written, for traces."""

    callee: Eval = None
    args: Eval = None
    dsts: tuple = ()
    spread: bool = False
    name: str = ""


@dataclass(slots=True, eq=False)
class Go(Instr):
    callee: Eval = None
    args: Eval = None
    spread: bool = False
    name: str = ""


@dataclass(slots=True, eq=False)
class Defer(Instr):
    callee: Eval = None
    args: Eval = None
    spread: bool = False
    name: str = ""


@dataclass(slots=True, eq=False)
class Return(Instr):
    """`values(ctx)` gives the results (None: a bare return of named results)."""

    values: Eval | None = None


@dataclass(slots=True, eq=False)
class Send(Instr):
    chan: Eval = None
    value: Eval = None
    text: str = ""


@dataclass(slots=True, eq=False)
class Recv(Instr):
    """v, ok := <-ch with results in slots `dst` and `okdst` (-1: discard)."""

    chan: Eval = None
    dst: int = -1
    okdst: int = -1
    text: str = ""


@dataclass(slots=True, eq=False)
class SelectCase:
    kind: str  # "send" or "recv"
    chan: Eval
    value: Eval | None  # for sends
    dst: int  # recv value slot or -1
    okdst: int  # recv ok slot or -1
    target: int  # instruction index of the case body
    pos: Pos
    text: str = ""


@dataclass(slots=True, eq=False)
class Select(Instr):
    """`default_target` is -1 when there is no default; no cases and no default is `select {}`."""

    cases: tuple = ()
    default_target: int = -1


@dataclass(slots=True, eq=False)
class Panic(Instr):
    value: Eval = None


@dataclass(slots=True, eq=False)
class Function:
    """One Go function, method or func literal.

    Frame slots: params first (receiver first for methods), then named or
    anonymous results, then locals and temporaries. `captures` names the
    variables a func literal captures (the Closure value carries their cells).
    """

    index: int
    name: str  # Go-style: main.worker, main.(*Server).Run, main.main.func1
    pos: Pos
    nparams: int = 0
    nresults: int = 0
    result_slots: tuple = ()
    nslots: int = 0
    variadic: bool = False
    code: list = field(default_factory=list)
    slot_names: list = field(default_factory=list)
    zero_slots: tuple = ()  # (slot, zero value) initialised on entry (results)
    slot_boxed: list = field(default_factory=list)  # slot holds a cell (captured or addressed)
    end: Pos | None = None  # closing brace: where a falling-off return happens
    synthetic: bool = False  # package initialiser and entry wrappers: hidden in dumps
    dead: list | None = None  # per instruction: slots no later instruction reads (lower.compute_liveness)


@dataclass(slots=True, eq=False)
class Program:
    """A lowered package: its functions, types and the entry points found."""

    functions: list
    methods: dict  # type name -> {method name: (function index, pointer receiver)}
    layouts: dict  # type name -> Layout
    embedded: dict  # type name -> tuple of embedded field names (for promotion)
    init: int  # index of the synthesized package initialiser
    nglobals: int
    entries: dict  # entry name -> function index
    notes: list  # (Pos, text): constructs gcheck abstracts
    go_version: tuple = (1, 27)
    global_names: list = field(default_factory=list)
    global_zeros: list = field(default_factory=list)
    assumptions: list = field(default_factory=list)  # path-condition terms that hold from the start
