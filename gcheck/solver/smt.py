"""The only module that imports z3: feasibility of path conditions and witnesses.

Path conditions are tuples of terms (model/symbolic.py). Queries are cached
by the condition; each runs with a fixed seed and a timeout. z3's `unknown`
counts as feasible (sound: no path is dropped) and is counted, so the run can
say so. The time spent here is a separate figure in the stats.
"""

from __future__ import annotations

import time

from gcheck.model import symbolic as S

QUERY_TIMEOUT_MS = 2000


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
        """Concrete values of the inputs that satisfy pc (names -> Go literals)."""
        if not pc:
            return {}
        t0 = time.perf_counter()
        s = self._solver()
        for c in pc:
            s.add(self._bool(c))
        out = {}
        if s.check() == self.z3.sat:
            m = s.model()
            names = set()
            for c in pc:
                S.variables(c, names)
            for _, name, sort in sorted(names):
                v = m.eval(self._var(name, sort), model_completion=True)
                out[name] = str(v).lower() if sort == S.BOOL else int(v.as_long())
        self.seconds += time.perf_counter() - t0
        return out
