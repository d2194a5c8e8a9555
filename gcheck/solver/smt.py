"""The only module that imports z3: feasibility of path conditions and witnesses.

Path conditions are tuples of terms (model/symbolic.py). A feasibility query
asks only the constraints connected to the new one by shared variables, and
is cached by that slice; each runs with a fixed seed and a timeout on one
incremental solver (push/pop). z3's `unknown` counts as feasible (sound: no
path is dropped) and is counted, so the run can say so. Witnesses are the
smallest model (closest to 0, name by name), so they depend on the path
condition only. The time spent here is a separate figure in the stats.
"""

from __future__ import annotations

import time

from gcheck.model import symbolic as S

QUERY_TIMEOUT_MS = 2000
# Making a witness smallest asks many queries of a path condition that may be
# long and nonlinear (bufio's own tests: a witness took over 10 minutes). Those
# queries are bounded by z3's resource count, not by time, so that the witness
# does not depend on the machine's load, and their number is bounded too; a
# variable left when either runs out keeps the value the last model gave it.
WITNESS_RLIMIT = 500_000  # per query: about 0.1 to 0.3 s on this machine
WITNESS_QUERIES = 32  # per witness


class Solver:
    def __init__(self):
        import z3

        self.z3 = z3
        self.cache: dict = {}
        self.queries = 0
        self.hits = 0
        self.unknowns = 0
        self.seconds = 0.0
        self._vars: dict = {}
        self._exprs: dict = {}  # term -> z3 boolean, translated once
        self._witnesses: dict = {}  # frozenset(pc) -> witness
        self._budget = 0  # queries left to the witness being made smallest
        self._s = self._solver()  # one solver, push/pop per query (far cheaper than a new one)

    # ------------------------------------------------------------ translation

    def _var(self, name: str, sort: str):
        key = (name, sort)
        v = self._vars.get(key)
        if v is None:
            z3 = self.z3
            v = z3.Bool(name) if sort == S.BOOL else z3.Int(name)
            self._vars[key] = v
        return v

    def _z(self, t):
        z3 = self.z3
        if type(t) is bool:
            return z3.BoolVal(t)
        if type(t) is int:
            return z3.IntVal(t)
        op = t[0]
        if op == "var":
            return self._var(t[1], t[2])
        if op == "not":
            return z3.Not(self._bool(t[1]))
        if op == "neg":
            return -self._int(t[1])
        a, b = t[1], t[2]
        if op == "and":
            return z3.And(self._bool(a), self._bool(b))
        if op == "or":
            return z3.Or(self._bool(a), self._bool(b))
        if op in ("==", "!="):
            if S.sort_of(a) == S.BOOL or S.sort_of(b) == S.BOOL:
                x, y = self._bool(a), self._bool(b)
            else:
                x, y = self._int(a), self._int(b)
            return x == y if op == "==" else x != y
        x, y = self._int(a), self._int(b)
        if op == "<":
            return x < y
        if op == "<=":
            return x <= y
        if op == ">":
            return x > y
        if op == ">=":
            return x >= y
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op in ("/", "%"):
            # Go truncates toward zero (-7/2 == -3, -7%2 == -1); z3's Int
            # division is Euclidean (-7/2 == -4, -7%2 == 1).
            ax = z3.If(x >= 0, x, -x)
            ay = z3.If(y >= 0, y, -y)
            q = z3.If((x >= 0) == (y >= 0), ax / ay, -(ax / ay))
            return q if op == "/" else x - y * q
        raise ValueError(op)

    def _bool(self, t):
        e = self._exprs.get(t)
        if e is None:
            e = self._z(t)
            if not self.z3.is_bool(e):
                e = e != 0
            self._exprs[t] = e
        return e

    def _int(self, t):
        e = self._z(t)
        if self.z3.is_bool(e):
            return self.z3.If(e, 1, 0)
        return e

    # ------------------------------------------------------------ queries

    def _solver(self):
        s = self.z3.Solver()
        s.set("timeout", QUERY_TIMEOUT_MS)
        s.set("random_seed", 0)
        return s

    def feasible(self, pc: tuple) -> bool:
        """Whether pc has a model. pc is a path condition already known to be
        satisfiable plus one new constraint last (a branch condition, a value
        tried for a symbol): only the constraints that share variables with
        the new one, directly or through others, can make it unsatisfiable,
        so only those are asked (and make the cache key)."""
        pc = _slice(pc)
        key = frozenset(pc)
        r = self.cache.get(key)
        if r is not None:
            self.hits += 1
            return r
        t0 = time.perf_counter()
        self.queries += 1
        s = self._s
        s.push()
        for c in pc:
            s.add(self._bool(c))
        res = s.check()
        s.pop()
        if res == self.z3.unknown:
            self.unknowns += 1
        ok = res != self.z3.unsat
        self.cache[key] = ok
        self.seconds += time.perf_counter() - t0
        return ok

    def witness(self, pc: tuple) -> dict:
        """Concrete values of the inputs that satisfy pc (names -> Go literals).

        The witness is the smallest one: variables in name order, each as close
        to 0 as the constraints allow (then non-negative first, false before
        true), given the values already chosen. It therefore depends on pc
        only, not on which queries the incremental solver answered before."""
        if not pc:
            return {}
        key = frozenset(pc)
        hit = self._witnesses.get(key)
        if hit is not None:
            return dict(hit)
        t0 = time.perf_counter()
        z3 = self.z3
        names: set = set()
        for c in pc:
            S.variables(c, names)
        out = {}
        s = self._s
        s.push()
        self._budget = WITNESS_QUERIES
        try:
            for c in pc:
                s.add(self._bool(c))
            m = s.model() if s.check() == z3.sat else None
            s.set("rlimit", WITNESS_RLIMIT)
            for _, name, sort in sorted(names):
                if m is None:
                    break
                v = self._var(name, sort)
                cur = m.eval(v, model_completion=True)
                if sort == S.BOOL:
                    val = z3.is_true(cur)
                    if val:
                        better = self._model(v == False)  # noqa: E712
                        if better is not None:
                            val, m = False, better
                    out[name] = str(val).lower()
                else:
                    val = cur.as_long()
                    if val != 0:
                        val, m = self._smallest(v, val, m)
                    out[name] = val
                s.add(v == val)
        finally:
            s.set("rlimit", 0)
            s.pop()
        self._witnesses[key] = out
        self.seconds += time.perf_counter() - t0
        return dict(out)

    def _model(self, *cs):
        """A model of what the solver holds plus cs, or None (unsat, unknown, or
        the witness's query budget spent)."""
        if self._budget <= 0:
            return None
        self._budget -= 1
        s = self._s
        s.push()
        s.add(*cs)
        m = s.model() if s.check() == self.z3.sat else None
        s.pop()
        return m

    def _smallest(self, v, cur: int, m):
        """The value of v closest to 0 (positive first), and a model with it;
        cur (with model m) is a value it can take."""
        lo, hi = 0, abs(cur)
        while lo < hi:  # the least bound b such that some value has -b <= v <= b
            if self._budget <= 0:
                return cur, m
            mid = (lo + hi) // 2
            if self._model(v >= -mid, v <= mid) is not None:
                hi = mid
            else:
                lo = mid + 1
        for val in (hi, -hi):
            if val == cur:
                return cur, m
            better = self._model(v == val)
            if better is not None:
                return val, better
        return cur, m


def _slice(pc: tuple) -> tuple:
    """The last constraint of pc with the constraints connected to it by
    shared variables (constraint independence)."""
    if len(pc) < 2:
        return pc
    last = pc[-1]
    live = S.variables(last, set())
    if not live:
        return (last,)
    kept = [last]
    rest = [(c, S.variables(c, set())) for c in pc[:-1]]
    changed = True
    while changed:
        changed = False
        left = []
        for c, vs in rest:
            if vs & live:
                kept.append(c)
                live |= vs
                changed = True
            else:
                left.append((c, vs))
        rest = left
    return tuple(kept)
