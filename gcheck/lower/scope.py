"""Name bindings and the per-function state of the lowering (slots, code, scopes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck import ir

NO_MAP = object()  # a binding's map_zero when it is not declared with a map type


@dataclass(eq=False)
class Local:
    slot: int
    boxed: bool
    name: str
    chan: bool = False  # declared with a channel type (a nil value is a nil channel)
    map_zero: object = NO_MAP  # declared with a map type: its values' zero (a nil map reads it)


@dataclass(eq=False)
class Captured:
    index: int
    name: str
    map_zero: object = NO_MAP  # the captured variable's (see Local)


@dataclass(eq=False)
class Global:
    index: int
    name: str
    chan: bool = False  # declared with a channel type (a nil value is a nil channel)
    map_zero: object = NO_MAP  # as Local's


@dataclass(eq=False)
class Const:
    value: object


@dataclass(eq=False)
class Func:
    index: int


@dataclass(eq=False)
class TypeName:
    name: str


@dataclass(eq=False)
class Package:
    name: str  # the last element of the import path: "sync", "atomic", "time"


@dataclass(eq=False)
class Builtin:
    name: str


BUILTINS = {"len", "cap", "append", "make", "new", "copy", "delete", "close", "panic", "recover",
            "print", "println", "min", "max", "clear", "complex", "real", "imag"}


@dataclass(eq=False)
class Loop:
    """A break/continue target: `cont` is None for switch and select."""

    label: str | None
    breaks: list = field(default_factory=list)  # Jump instrs to patch to the exit
    conts: list = field(default_factory=list)  # Jump instrs to patch to the continue point
    is_loop: bool = True


class FnState:
    """What one function being lowered owns: its IR Function, scopes and loops."""

    def __init__(self, fn: ir.Function, parent: "FnState | None", boxed: set[str]):
        self.fn = fn
        self.parent = parent
        self.boxed = boxed
        self.scopes: list[dict] = [{}]
        self.captures: list[tuple[str, object]] = []  # (name, binding in the parent)
        self.cap_index: dict[int, int] = {}  # id(parent binding) -> capture index
        self.loops: list[Loop] = []
        self.labels: dict[str, int] = {}
        self.gotos: list[tuple[ir.Jump, str]] = []
        self.pending_label: str | None = None
        self.result_vars: list[Local] = []
        self.nfunclits = 0
        # liveness bookkeeping: reads of named variables per statement, and the
        # instruction range of the statement that made each temporary
        self.stmt_reads: list[set] = [set()]
        self.stmt_temps: list[list] = [[]]
        self.reads_at: dict[int, frozenset] = {}
        self.temp_ranges: list[tuple[int, int, tuple]] = []

    def new_slot(self, name: str, boxed: bool = False) -> int:
        fn = self.fn
        fn.nslots += 1
        fn.slot_names.append(name)
        fn.slot_boxed.append(boxed)
        return fn.nslots - 1

    def declare(self, name: str) -> Local:
        boxed = name in self.boxed
        v = Local(self.new_slot(name, boxed), boxed, name)
        if name != "_":
            self.scopes[-1][name] = v
        return v

    def temp(self, what: str = "tmp") -> int:
        k = self.new_slot(f"%{what}")
        self.stmt_temps[-1].append(k)
        return k

    def read(self, slot: int) -> None:
        """Record that the statement being lowered reads a named variable's slot."""
        self.stmt_reads[-1].add(slot)

    def emit(self, ins) -> int:
        self.fn.code.append(ins)
        pc = len(self.fn.code) - 1
        self.reads_at[pc] = frozenset(self.stmt_reads[-1])
        return pc

    def begin_stmt(self) -> int:
        self.stmt_reads.append(set())
        self.stmt_temps.append([])
        return self.pc

    def end_stmt(self, start: int) -> None:
        reads = self.stmt_reads.pop()
        self.stmt_reads[-1] |= reads
        temps = self.stmt_temps.pop()
        if temps:
            self.temp_ranges.append((start, self.pc, tuple(temps)))

    @property
    def pc(self) -> int:
        return len(self.fn.code)

    def lookup_here(self, name: str):
        for sc in reversed(self.scopes):
            if name in sc:
                return sc[name]
        return None
