"""The program state: goroutines with call stacks, a heap, globals.

States are immutable and hashable (tuples and frozen dataclasses) so the
explorer can keep them in a dict; model/canon.py numbers heap objects
canonically so that states reached by different interleavings meet.

A goroutine always rests either finished (removed) or at a *visible* operation
(`pending`): a channel operation, a sync call, a sleep, or a choice on an
unknown value. Everything between two visible operations runs as one step
(see model/exec.py), which is exact for data-race-free programs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck.goast import Pos
from gcheck.model.values import cached_hash, hash_slot

# Frame kinds: how a returning frame hands back control.
CALL, DEFERRED, ROOT, ONCE = 0, 1, 2, 3


class _FrameFacts:
    """What the model computes once about a frame or pending op, kept on it (model/memo.py)
    so that it dies with it. Plain slots, not dataclass fields: not compared, not
    pickled, and left unset by __init__ (read them with getattr(v, name, None)).

    _refs: the heap ids it references (canon); _gids: whether it stores goroutine ids
    (symmetry); _locs: the locations it references (por); _moves: (the new ids of its
    references, its copy renumbered so), the last made (canon)."""

    __slots__ = ("_refs", "_gids", "_locs", "_moves")


class _GoroutineFacts:
    """As _FrameFacts, for a goroutine. _gids, _moves: as there; _shape: where it is and
    what it holds without ids (symmetry's twin order); _grefs: the heap ids its frames,
    pending op and panic reference (canon); _renamed: (gid, itself under that id), the
    last asked for (symmetry); _reach: the locations it reaches, with the references of
    the heap objects they were found through (solver/por.py)."""

    __slots__ = ("_gids", "_shape", "_grefs", "_moves", "_renamed", "_reach")


@cached_hash
@dataclass(frozen=True, slots=True)
class Frame(_FrameFacts):
    fn: int
    pc: int
    slots: tuple
    caps: tuple
    defers: tuple = ()  # ((callee, args, pos), ...) run last-in first-out
    returning: bool = False
    kind: int = CALL
    extra: object = None  # ONCE: the Once's pointer
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class PendingOp(_FrameFacts):
    """The visible operation a goroutine waits at, with operands already evaluated.

    `resume` says what the goroutine does once the op completes: "next" (pc+1),
    "case" (jump to the chosen select case), "defer" (go on running defers),
    "exit" (a goroutine whose body was a single builtin call).
    """

    op: str
    args: tuple
    pos: Pos
    resume: str = "next"
    text: str = ""
    # A goroutine that has just arrived at a channel operation may not have parked
    # yet: a select with default can still miss it. A completed time.Sleep gives
    # every waiting goroutine time to park (semantics._sleep).
    parked: bool = False
    _h: int = hash_slot()


@cached_hash
@dataclass(frozen=True, slots=True)
class Goroutine(_GoroutineFacts):
    gid: int
    frames: tuple
    pending: PendingOp | None
    created: Pos | None  # the go statement (None for the entry goroutine)
    name: str  # the function it started in, Go-style
    panic: object = None  # (check, message, pos, value) while unwinding a panic
    goexit: bool = False  # runtime.Goexit / t.FailNow unwinding
    creator: str = ""  # the function whose go statement created it
    _h: int = hash_slot()


@dataclass(frozen=True, slots=True)
class Crash:
    """How the program died: a runtime panic or fatal error in goroutine gid."""

    check: str
    message: str
    pos: Pos
    gid: int


@cached_hash
@dataclass(frozen=True, slots=True)
class State:
    gs: tuple  # Goroutines, by gid
    heap: tuple
    globals: tuple  # Ptr to each package-level variable's cell
    next_gid: int
    entry_done: bool = False
    crash: Crash | None = None
    exited: bool = False  # os.Exit
    cut: str | None = None  # a bound stopped this state's goroutine (e.g. recursion depth)
    pc: tuple = ()  # path condition: symbolic terms that hold on the path here
    syms: tuple = ()  # ((site, count), ...): symbols made per unmodelled call site
    lost_tickers: tuple = ()  # NewTicker positions of running tickers the last step made unreachable
    # what the path assumed about symbols that are gone: not part of the state's
    # identity (states that differ only here are the same), only for witnesses
    trail: tuple = field(default=(), compare=False)
    # the goroutine ids in the order the heap was numbered (symmetry reduction), when
    # not by id: model/symmetry.key reuses it instead of sorting again
    walk: tuple = field(default=(), compare=False)
    _h: int = hash_slot()

    def goroutine(self, gid: int) -> Goroutine | None:
        for g in self.gs:
            if g.gid == gid:
                return g
        return None

    @property
    def over(self) -> bool:
        return self.crash is not None or self.exited
