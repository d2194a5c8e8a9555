"""What gcheck reports: findings with their traces, notes, errors, figures.

Checks build these; reporters print them. Plain data, no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck.goast import Pos


@dataclass(frozen=True)
class TraceStep:
    n: int
    goroutine: int  # -1: the runtime's timers
    pos: Pos | None
    what: str


@dataclass(frozen=True)
class FrameDump:
    function: str
    pos: Pos | None


@dataclass(frozen=True)
class GoroutineDump:
    gid: int
    status: str
    frames: tuple  # FrameDump, innermost first
    created_by: str | None
    created_at: Pos | None
    waiting_for: int = 0  # the goroutine holding the lock this one waits for (0: none)


@dataclass
class Trace:
    steps: list
    dump: list  # GoroutineDump of the goroutines at the end
    summary: str = ""


@dataclass
class Finding:
    check: str
    severity: str  # "error" or "warning"
    pos: Pos
    message: str
    entry: str
    trace: Trace | None = None
    witness: dict = field(default_factory=dict)
    origin: Pos | None = None  # goroutine-leak: the go statement that created the leaked goroutine

    def key(self):
        return (self.pos.file, self.pos.line, self.pos.col, self.check, self.message)


@dataclass
class Note:
    pos: Pos | None
    message: str


@dataclass
class EntryStats:
    entry: str
    states: int
    transitions: int
    depth: int
    seconds: float
    complete: bool
    bound: str | None
    z3_seconds: float = 0.0
    z3_queries: int = 0
    z3_cache_hits: int = 0
    z3_unknowns: int = 0
    diamonds: int = 0  # transitions read off a diamond of commuting steps, not computed
    memoized: int = 0  # successors built from a remembered step result, not computed

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Result:
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # strings "path:line:col: message"
    stats: list = field(default_factory=list)  # EntryStats
    files: int = 0
    suppressed: list = field(default_factory=list)  # suppress.Suppressed: findings silenced by //gcheck:ignore
    packages: int = 0
    cache_hits: int = 0  # packages whose result came from the cache
