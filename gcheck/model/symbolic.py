"""Symbolic integers and booleans: values gcheck does not know but can reason about.

A term is a hashable tuple tree, so states holding symbols stay hashable and
meet when equal: ("var", name, sort) is an input (an entry parameter, the
result of an unmodelled call, the length of an unknown slice); ("+", a, b),
("<", a, b), ("not", a) ... are built by arithmetic and comparisons. Leaves
may be Python ints and bools. nil compares as 0 (an unknown pointer or error
is nil exactly when its symbol is 0), which is what keeps two tests of the
same `err != nil` on the same side. Only solver/smt.py turns terms into z3.
"""

from __future__ import annotations

from gcheck.model.values import Unknown

INT, BOOL, ANY = "int", "bool", "any"

_BOOL_OPS = {"==", "!=", "<", "<=", ">", ">=", "and", "or", "not"}
_INT_OPS = {"+", "-", "*", "/", "%", "neg"}


class Sym(Unknown):
    """A symbolic value: wraps a term. It is an Unknown wherever gcheck needs a
    concrete value (a channel, a map key), and a term in arithmetic and tests."""

    __slots__ = ("t",)

    def __init__(self, t: tuple):
        self.t = t
        self.label = "symbolic"

    def __eq__(self, other):
        return type(other) is Sym and other.t == self.t

    def __hash__(self):
        return hash(self.t)

    def __repr__(self):
        return f"sym({show(self.t)})"

    @property
    def sort(self) -> str:
        return sort_of(self.t)


class SymSlice(Unknown):
    """A slice (or map) whose contents gcheck does not know but whose length
    is the symbol len(name): loops over it unroll under i < len(name)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name
        self.label = name

    def __eq__(self, other):
        return type(other) is SymSlice and other.name == self.name

    def __hash__(self):
        return hash(("slice", self.name))

    @property
    def length(self) -> "Sym":
        return var(f"len({self.name})", INT)


def var(name: str, sort: str = INT) -> Sym:
    return Sym(("var", name, sort))


def sort_of(t) -> str:
    if type(t) is bool:
        return BOOL
    if type(t) is int:
        return INT
    if t[0] == "var":
        return t[2]
    return BOOL if t[0] in _BOOL_OPS else INT


def leaf(v):
    """A concrete value or Sym as a term leaf, or None when it cannot be one."""
    if type(v) is Sym:
        return v.t
    if v is None:
        return 0
    if type(v) in (int, bool):
        return v
    return None


def binary(op: str, a, b):
    """Sym for `a op b`, or None when the operands cannot be symbolic terms."""
    x, y = leaf(a), leaf(b)
    if x is None or y is None:
        return None
    if op in ("&&", "||"):
        return Sym(("and" if op == "&&" else "or", as_bool(x), as_bool(y)))
    if op in _BOOL_OPS or op in _INT_OPS:
        return Sym((op, x, y))
    return None


def negate(t):
    if type(t) is bool:
        return not t
    if type(t) is tuple and t[0] == "not":
        return t[1]
    return ("not", t)


def as_bool(t):
    """A term used as a condition: an any/int symbol is true when non-zero."""
    if sort_of(t) == BOOL:
        return t
    return ("!=", t, 0)


def show(t) -> str:
    if type(t) is not tuple:
        return str(t).lower() if type(t) is bool else str(t)
    if t[0] == "var":
        return t[1]
    if t[0] == "not":
        return f"!({show(t[1])})"
    if t[0] == "neg":
        return f"-{show(t[1])}"
    return f"{show(t[1])} {t[0]} {show(t[2])}"


def variables(t, out: set) -> set:
    if type(t) is tuple:
        if t[0] == "var":
            out.add(t)
        else:
            for x in t[1:]:
                variables(x, out)
    return out


def fixed_value(pc: tuple, t):
    """The value pc pins t to by an equality `t == k`, if any (no solver needed)."""
    for c in pc:
        if type(c) is tuple and c[0] == "==" and c[1] == t and type(c[2]) is int:
            return c[2]
    return None
