"""Breadth-first exploration of a program's state graph.

BFS gives every state its shortest path from the start, so each finding's
trace is a shortest counterexample. The graph is kept as plain lists (parent
pointers, successor lists): several times faster and smaller than a networkx
graph, and all the checks need. The successor order is the order of
`semantics.enabled`, so the exploration and every trace are deterministic.

The search stops at the first bound reached (states, depth, time, memory)
and says which; states it did not expand are the frontier.

A successor that closes a diamond of two commuting steps, whose far corner
the search has already computed, is read off the graph instead of computed
(solver/diamonds.py): the same edge, most of a transition's time saved.
"""

from __future__ import annotations

import dataclasses
import gc
import resource
import time
from array import array
from collections import deque
from dataclasses import dataclass, field

from gcheck import ir
from gcheck.model import semantics as M
from gcheck.model import memo, symmetry
from gcheck.model import values as V
from gcheck.model.exec import start_goroutine
from gcheck.model.state import State
from gcheck.model.world import World
from gcheck.solver import por
from gcheck.solver.diamonds import Diamonds
from gcheck.solver.edges import Edges
from gcheck.solver.stepmemo import StepMemo
from gcheck.solver.smt import Solver


@dataclass
class Limits:
    max_states: int = 200_000
    max_depth: int = 5_000
    timeout: float = 60.0
    max_memory_mb: int = 4096
    por: bool = True  # partial-order reduction (solver/por.py)
    symmetry: bool = True  # states equal up to goroutine renaming meet (model/symmetry.py)
    twins: bool = True  # symmetry: order goroutines of one go statement by their contents
    # reuse commuting steps' successors instead of computing them (solver/diamonds.py);
    # "verify": compute every step anyway and record where a completed diamond differs
    diamonds: bool | str = True
    # build a successor from a remembered result of the same step in the same context
    # (solver/stepmemo.py); "verify": compute anyway and record where they differ
    step_memo: bool | str = True


@dataclass
class Graph:
    """The explored state graph. State i's successors are succ[i] as (j, step)
    (solver/edges.py keeps them packed).

    Per state it keeps little besides the state: parents and depths are machine
    integers (arrays), and steps, event lists and renamings, which repeat
    across states, are shared objects (see `_Shared`)."""

    states: list = field(default_factory=list)
    parent: array = field(default_factory=lambda: array("l"))
    via: list = field(default_factory=list)  # the Step from the parent
    events: list = field(default_factory=list)  # what happened in that step (a tuple)
    depth: array = field(default_factory=lambda: array("l"))
    succ: Edges = field(default_factory=Edges)
    expanded: list = field(default_factory=list)
    bound: str | None = None  # which bound stopped the search (None: complete)
    cuts: set = field(default_factory=set)  # reasons some paths were cut (recursion, unsupported)
    transitions: int = 0
    reduced: int = 0  # states expanded with a persistent subset of their steps
    seconds: float = 0.0
    max_depth: int = 0
    notes: dict = field(default_factory=dict)
    internal_errors: list = field(default_factory=list)
    solver: object = None  # solver/smt.Solver: z3 queries, cache hits, seconds
    deadline: float = float("inf")  # perf_counter() time at which the timeout bound stops the search
    interrupt: object = None  # explore's interrupt hook (a callable returning True to stop)
    broken: set = field(default_factory=set)  # states where a step failed to compute
    # (i, k) -> {gid in the step's result: gid in the stored state}: the k-th edge out of
    # state i joins a state found earlier whose goroutines are numbered differently
    relabel: dict = field(default_factory=dict)
    renaming: list = field(default_factory=list)  # per state: its gid -> key gid (None: same)
    completed: int = 0  # transitions found by completing a diamond, not computed (solver/diamonds.py)
    memoized: int = 0  # successors built from a remembered step result (solver/stepmemo.py; verify: compared)
    memo_mismatches: list = field(default_factory=list)  # under step_memo="verify"
    diamond_mismatches: list = field(default_factory=list)  # (i, step, completed, computed) under "verify"

    @property
    def complete(self) -> bool:
        return self.bound is None and not self.cuts


def initial_state(prog: ir.Program, entry: int, notes: dict, limits: Limits, solver=None) -> State:
    w = World(prog, State((), (), (), 1, pc=tuple(prog.assumptions)), notes, limits, solver)
    w.globals = tuple(w.new_cell(z) for z in prog.global_zeros)
    start_goroutine(w, V.Closure(entry), (), None, prog.functions[entry].name)
    M.run_spawned(w)
    return w.freeze()


def explore(prog: ir.Program, entry: int, limits: Limits | None = None, interrupt=None) -> Graph:
    # The stored states are immutable and never form cycles, yet Python's full
    # collections walk all of them again and again (a fifth of a run's time,
    # benchmarks/PROFILE.md): keep what is stored out of the collector while
    # exploring, and hand it back at the end.
    memo.clear()  # what was remembered about an earlier search's objects
    gc.freeze()
    try:
        return _explore(prog, entry, limits, interrupt)
    finally:
        gc.unfreeze()


def _explore(prog: ir.Program, entry: int, limits: Limits | None, interrupt) -> Graph:
    limits = dataclasses.replace(limits) if limits is not None else Limits()  # twins may change below
    g = Graph()
    t0 = time.perf_counter()
    notes = g.notes
    solver = g.solver = Solver()
    try:
        s0 = initial_state(prog, entry, notes, limits, solver)
    except RecursionError:  # the entry's first local run, like any step, must never crash the run
        g.cuts.add("nesting too deep to model")
        g.seconds = time.perf_counter() - t0
        return g
    except Exception as exc:  # a modelling gap (difftest fuzzing: append to a func value)
        g.internal_errors.append(f"{type(exc).__name__}: {exc}")
        g.cuts.add("internal error (see notes)")
        g.seconds = time.perf_counter() - t0
        return g
    k0, ren0 = symmetry.key(s0, limits.twins) if limits.symmetry else (s0, None)
    index = {k0: 0}
    shared = _Shared()
    if limits.diamonds:
        shared.diamonds = Diamonds(g)
    if limits.step_memo:
        shared.memo = StepMemo(limits, verify=limits.step_memo == "verify")
    g.renaming.append(shared.renaming(ren0))
    g.states.append(s0)
    g.parent.append(-1)
    g.via.append(None)
    g.events.append(())
    g.depth.append(0)
    g.succ.add_state()
    g.expanded.append(False)
    if s0.cut:
        g.cuts.add(s0.cut)
    queue = deque([0])
    base_mem = _rss_mb()
    checked = 0
    # the clock and the interrupt flag are cheap: look at them before every
    # expansion (and every step, in _expand), since one expansion of a state
    # with thousands of goroutines can take a second; memory every 64
    g.deadline = t0 + limits.timeout
    g.interrupt = interrupt
    while queue:
        checked += 1
        if time.perf_counter() > g.deadline:
            g.bound = f"timeout ({limits.timeout:g}s)"
            break
        if interrupt is not None and interrupt():
            g.bound = "interrupted"
            break
        if checked % 64 == 0 and _rss_mb() - base_mem > limits.max_memory_mb:
            g.bound = f"memory ({limits.max_memory_mb} MB)"
            break
        if checked % 1024 == 0:
            gc.freeze()  # the states stored so far: out of the collector's way
        i = queue.popleft()
        s = g.states[i]
        d = g.depth[i]
        if d >= limits.max_depth:
            g.bound = f"max-depth ({limits.max_depth})"
            continue
        try:
            full = M.enabled(prog, s)
            steps = por.reduce(prog, s, full) if limits.por else full
        except RecursionError:
            g.cuts.add("nesting too deep to model")
            continue  # left unexpanded: frontier, never a deadlock or a leak
        except Exception as exc:  # a modelling gap (difftest fuzzing: Lock on an unknown type's value)
            g.internal_errors.append(f"{type(exc).__name__}: {exc}")
            g.cuts.add("internal error (see notes)")
            continue
        if shared.diamonds is not None:
            shared.diamonds.begin(i)
        closed = _expand(g, prog, i, steps, index, queue, limits, shared)
        if closed is None:
            break  # a bound: max-states, timeout or interrupted
        if len(steps) < len(full):
            g.reduced += 1
            if closed:  # cycle proviso: see _expand
                rest = [st for st in full if st not in steps]
                if _expand(g, prog, i, rest, index, queue, limits, shared) is None:
                    break
                g.reduced -= 1
        g.expanded[i] = i not in g.broken
        if limits.symmetry and limits.twins and len(g.states) >= TWINS_TRIAL and not g.relabel:
            # ordering identical goroutines by their contents costs a sort and a heap
            # renumbering per state; when it has merged nothing (goroutines of one go
            # statement that are not interchangeable: the philosophers, each with its
            # forks) stop paying for it. Keys stay sound, a late twin merge is missed.
            _stop_ordering_twins(g, prog, index, limits, shared)
    if shared.memo is not None:
        g.memoized = shared.memo.hits or shared.memo.checked
        g.memo_mismatches = shared.memo.mismatches
    g.seconds = time.perf_counter() - t0
    return g


def _stop_ordering_twins(g: Graph, prog, index: dict, limits: Limits, shared) -> None:
    """Number every stored state's heap, and key it, as a state computed from now
    on will be: walking goroutines by id, not by what twins hold. Otherwise a
    state found both before and after this moment would be stored twice, under
    two keys, and a step's remembered result (solver/stepmemo.py) would carry
    the old numbering into new states. Goroutine ids stay, so the edges and
    their renamings stay valid; a state's renaming to its key is made anew."""
    limits.twins = False
    index.clear()
    if shared.memo is not None:
        shared.memo.forget()
    for j, s in enumerate(g.states):
        if len(s.walk) > 1:
            s = _renumbered(prog, s, g.notes, limits)
            g.states[j] = s
        key, ren = symmetry.key(s, False)
        index.setdefault(key, j)
        g.renaming[j] = shared.renaming(ren)


def _renumbered(prog, s: State, notes: dict, limits: Limits) -> State:
    """s with its heap numbered as freezing it under limits numbers it now."""
    t = World(prog, s, notes, limits).freeze()
    return dataclasses.replace(t, lost_tickers=s.lost_tickers) if t.lost_tickers != s.lost_tickers else t


def _expand(g: Graph, prog, i: int, steps, index: dict, queue, limits: Limits, shared):
    """Add state i's successors under steps. True when one of them was already
    expanded (or is i itself) or ends the program, None at max-states.

    True makes a reduced state expand fully: the cycle proviso. States are
    expanded in index order (FIFO), so on every cycle of the graph the state
    expanded last sees its successor on the cycle already expanded, and every
    cycle has a fully expanded state: no step is postponed forever around a
    cycle (which a leak decided on the bottom SCCs would otherwise see)."""
    s = g.states[i]
    d = g.depth[i]
    notes = g.notes
    succ = g.succ
    closed = False
    step_memo = shared.memo
    for st in steps:
        if time.perf_counter() > g.deadline or (g.interrupt is not None and g.interrupt()):
            g.bound = f"timeout ({limits.timeout:g}s)" if time.perf_counter() > g.deadline else "interrupted"
            queue.clear()
            return None  # state i stays unexpanded: part of the frontier
        st = shared.step(st)  # one object per distinct step: edges compare by identity
        done = shared.diamonds.complete(i, st) if shared.diamonds is not None else None
        if done is not None:
            g.completed += 1
            if limits.diamonds != "verify":
                if done <= i or g.states[done].over:
                    closed = True  # as below: a cycle may close here, or the program ends
                shared.diamonds.arrived(i, succ.degree(i), done)
                succ.add(i, done, st)
                g.transitions += 1
                continue
        key = step_memo.key(s, st) if step_memo is not None else None
        found = step_memo.lookup(s, key) if key is not None and not step_memo.verify else None
        try:
            t, events, renumbered = (*found, False) if found is not None else M.step(
                prog, s, st, notes, limits, g.solver)
        except KeyboardInterrupt:  # Ctrl-C without the CLI's handler: stop, keep what was found
            g.bound = "interrupted"
            queue.clear()
            return None
        except RecursionError:
            g.cuts.add("nesting too deep to model")
            g.broken.add(i)
            continue
        except Exception as exc:  # a modelling gap must never crash the run
            g.internal_errors.append(f"{type(exc).__name__}: {exc}")
            g.cuts.add("internal error (see notes)")
            g.broken.add(i)  # a step is missing here: never a deadlock or a leak
            continue
        if key is not None and found is None:
            if step_memo.verify:
                step_memo.check(s, key, t, events)
            step_memo.remember(s, st, key, t, events, renumbered)
        if t is None:
            if done is not None:
                g.diamond_mismatches.append((i, st, done, None))
            continue  # infeasible under the path condition
        if limits.symmetry:
            key, ren = symmetry.key(t, limits.twins)
        else:
            key, ren = t, None
        j = index.get(key)
        if j is None:
            if len(g.states) >= limits.max_states:
                g.bound = f"max-states ({limits.max_states})"
                queue.clear()
                return None
            j = len(g.states)
            index[key] = j
            g.renaming.append(shared.renaming(ren))
            g.states.append(t)
            g.parent.append(i)
            g.via.append(st)
            g.events.append(shared.events(events))
            g.depth.append(d + 1)
            g.succ.add_state()
            g.expanded.append(False)
            if t.cut:
                g.cuts.add(t.cut)
            if d + 1 > g.max_depth:
                g.max_depth = d + 1
            queue.append(j)
        else:
            if j <= i:  # expanded already (or i itself): a cycle may close here
                closed = True
            if ren is not None or g.renaming[j] is not None:
                p = symmetry.compose(ren, g.renaming[j])
                if p is not None:
                    g.relabel[(i, succ.degree(i))] = shared.renaming(p)
        if done is not None and (done != j or (i, succ.degree(i)) in g.relabel):
            g.diamond_mismatches.append((i, st, done, j))
        if t.over:
            # A step that ends the program (a panic, a fatal error, os.Exit) disables
            # every other goroutine's steps: it is dependent with all of them, so a
            # reduced state must also explore those (they may panic first).
            closed = True
        if shared.diamonds is not None:
            shared.diamonds.arrived(i, succ.degree(i), j)
        succ.add(i, j, st)
        g.transitions += 1
    return closed


class _Shared:
    """One object for each distinct step, event list and renaming of a search.

    Most states have no events, and a search meets a few dozen distinct steps
    and renamings (pool of 4 workers: 21 steps over 37,710 edges, 59 renamings
    over 9,458 states), so sharing them saves a third of what the graph keeps
    per state (benchmarks/deep_size.py). Renamings are shared read-only."""

    def __init__(self):
        self.table: dict = {}
        self.diamonds = None  # solver/diamonds.Diamonds, when on
        self.memo = None  # solver/stepmemo.StepMemo, when on

    def step(self, st):
        return self.table.setdefault(st, st)

    def events(self, events: list) -> tuple:
        if not events:
            return ()
        t = tuple(events)
        return self.table.setdefault(("events", t), t)

    def renaming(self, ren: dict | None) -> dict | None:
        if ren is None:
            return None
        return self.table.setdefault(("renaming", *sorted(ren.items())), ren)


TWINS_TRIAL = 1000  # states explored before symmetry's twin ordering must have paid off

_PAGE = resource.getpagesize()


def _rss_mb() -> float:
    """The resident set size now (not the peak: an earlier big run in the same
    process must not eat this run's memory bound)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE / (1 << 20)
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
