"""Go syntax tree: plain frozen dataclasses that the rest of gcheck reads.

Shaped after Go's own go/ast so that a Go developer recognises every node. The
front end (syntax.py + build_tree.py) is the only code that knows lark; nothing
past it sees a lark type. Every node carries the position of its first token.

Conventions:
- Sequences are tuples (nodes are hashable and immutable).
- Types are expressions, as in go/ast (an ArrayType or a ChanType is an Expr),
  because Go's grammar cannot always tell them apart (`T[int]`, `(*T)(x)`).
- Optional children are None when absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Pos:
    """A source position: 1-based line and column (column counts bytes, like go/token)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


NOPOS = Pos("", 0, 0)


@dataclass(frozen=True, slots=True)
class Node:
    pos: Pos


# ---------------------------------------------------------------- expressions


class Expr(Node):
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Ident(Expr):
    name: str


@dataclass(frozen=True, slots=True)
class BasicLit(Expr):
    """kind is one of INT, FLOAT, IMAG, CHAR, STRING; value is the source text
    (raw, with quotes and underscores), exactly as go/ast keeps it."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class CompositeLit(Expr):
    """T{elts}. type is None for elided types inside an outer literal."""

    type: Expr | None
    elts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class KeyValueExpr(Expr):
    key: Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class FuncLit(Expr):
    type: "FuncType"
    body: "BlockStmt"


@dataclass(frozen=True, slots=True)
class ParenExpr(Expr):
    x: Expr


@dataclass(frozen=True, slots=True)
class SelectorExpr(Expr):
    x: Expr
    sel: Ident


@dataclass(frozen=True, slots=True)
class IndexExpr(Expr):
    """x[i] and generic instantiation x[T1, T2] (indices has one or more)."""

    x: Expr
    indices: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class SliceExpr(Expr):
    """x[low:high] or x[low:high:max] (slice3 true for the 3-index form)."""

    x: Expr
    low: Expr | None
    high: Expr | None
    max: Expr | None
    slice3: bool


@dataclass(frozen=True, slots=True)
class TypeAssertExpr(Expr):
    """x.(T); type is None for x.(type) in a type switch."""

    x: Expr
    type: Expr | None


@dataclass(frozen=True, slots=True)
class CallExpr(Expr):
    """fun(args) ; ellipsis is true for f(xs...). Conversions are calls too."""

    fun: Expr
    args: tuple[Expr, ...]
    ellipsis: bool


@dataclass(frozen=True, slots=True)
class StarExpr(Expr):
    """*x: pointer dereference or pointer type."""

    x: Expr


@dataclass(frozen=True, slots=True)
class UnaryExpr(Expr):
    """op is one of + - ! ^ & <- (and ~ inside constraints)."""

    op: str
    x: Expr


@dataclass(frozen=True, slots=True)
class BinaryExpr(Expr):
    op: str
    x: Expr
    y: Expr


# ---------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Field(Node):
    """A parameter, result, struct field or interface method.

    names is empty for anonymous parameters and embedded fields. For an
    interface method, names has the method name and type is a FuncType; an
    interface's embedded type or type-set union has no names.
    """

    names: tuple[Ident, ...]
    type: Expr
    tag: BasicLit | None = None
    variadic: bool = False  # the last parameter written `...T`


@dataclass(frozen=True, slots=True)
class ArrayType(Expr):
    """[len]elt; len is None for a slice type, Ellipsis node for [...]T."""

    len: Expr | None
    elt: Expr


@dataclass(frozen=True, slots=True)
class Ellipsis(Expr):
    """`...` as an array length ([...]T)."""


@dataclass(frozen=True, slots=True)
class StructType(Expr):
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class FuncType(Expr):
    type_params: tuple[Field, ...]
    params: tuple[Field, ...]
    results: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class InterfaceType(Expr):
    methods: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class MapType(Expr):
    key: Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class ChanType(Expr):
    """dir is 'both', 'send' (chan<- T) or 'recv' (<-chan T)."""

    dir: str
    value: Expr


# ---------------------------------------------------------------- statements


class Stmt(Node):
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class BadStmt(Stmt):
    pass


@dataclass(frozen=True, slots=True)
class DeclStmt(Stmt):
    decl: "GenDecl"


@dataclass(frozen=True, slots=True)
class EmptyStmt(Stmt):
    pass


@dataclass(frozen=True, slots=True)
class LabeledStmt(Stmt):
    label: Ident
    stmt: Stmt


@dataclass(frozen=True, slots=True)
class ExprStmt(Stmt):
    x: Expr


@dataclass(frozen=True, slots=True)
class SendStmt(Stmt):
    chan: Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class IncDecStmt(Stmt):
    x: Expr
    tok: str  # "++" or "--"


@dataclass(frozen=True, slots=True)
class AssignStmt(Stmt):
    """lhs tok rhs; tok is '=', ':=' or an op-assign such as '+=' or '&^='."""

    lhs: tuple[Expr, ...]
    tok: str
    rhs: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class GoStmt(Stmt):
    call: CallExpr


@dataclass(frozen=True, slots=True)
class DeferStmt(Stmt):
    call: CallExpr


@dataclass(frozen=True, slots=True)
class ReturnStmt(Stmt):
    results: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class BranchStmt(Stmt):
    """tok is break, continue, goto or fallthrough; label may be None."""

    tok: str
    label: Ident | None


@dataclass(frozen=True, slots=True)
class BlockStmt(Stmt):
    stmts: tuple[Stmt, ...]
    end: Pos = field(default=NOPOS)  # position of the closing brace


@dataclass(frozen=True, slots=True)
class IfStmt(Stmt):
    init: Stmt | None
    cond: Expr
    body: BlockStmt
    els: Stmt | None  # BlockStmt or IfStmt


@dataclass(frozen=True, slots=True)
class CaseClause(Stmt):
    """A case of a switch; list is empty for `default`."""

    list: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    is_default: bool


@dataclass(frozen=True, slots=True)
class SwitchStmt(Stmt):
    init: Stmt | None
    tag: Expr | None
    body: tuple[CaseClause, ...]


@dataclass(frozen=True, slots=True)
class TypeSwitchStmt(Stmt):
    """switch [init;] [x :=] y.(type) { ... }; bind is the x or None."""

    init: Stmt | None
    bind: Ident | None
    x: Expr  # the y in y.(type)
    body: tuple[CaseClause, ...]


@dataclass(frozen=True, slots=True)
class CommClause(Stmt):
    """A select case. comm is a SendStmt, an ExprStmt of `<-ch`, an AssignStmt
    whose single rhs is `<-ch` (v := <-ch, v, ok = <-ch), or None for default."""

    comm: Stmt | None
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class SelectStmt(Stmt):
    body: tuple[CommClause, ...]


@dataclass(frozen=True, slots=True)
class ForStmt(Stmt):
    """for [init]; [cond]; [post] { } — all three None for `for { }`."""

    init: Stmt | None
    cond: Expr | None
    post: Stmt | None
    body: BlockStmt


@dataclass(frozen=True, slots=True)
class RangeStmt(Stmt):
    """for key, value := range x; tok is ':=', '=' or '' when no variables."""

    key: Expr | None
    value: Expr | None
    tok: str
    x: Expr
    body: BlockStmt


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class ImportSpec(Node):
    name: Ident | None  # alias, `.` or `_`
    path: BasicLit


@dataclass(frozen=True, slots=True)
class ValueSpec(Node):
    """One line of a const or var declaration. For const specs that omit the
    type and values, values is empty (the previous spec's expressions repeat);
    iota is the spec's index within its group."""

    names: tuple[Ident, ...]
    type: Expr | None
    values: tuple[Expr, ...]
    iota: int = 0


@dataclass(frozen=True, slots=True)
class TypeSpec(Node):
    name: Ident
    type_params: tuple[Field, ...]
    assign: bool  # true for an alias: type A = B
    type: Expr


@dataclass(frozen=True, slots=True)
class GenDecl(Node):
    """tok is import, const, type or var."""

    tok: str
    specs: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class FuncDecl(Node):
    recv: Field | None
    name: Ident
    type: FuncType
    body: BlockStmt | None  # None for a declaration without body


@dataclass(frozen=True, slots=True)
class Comment(Node):
    text: str  # with the // or /* */ markers


@dataclass(frozen=True, slots=True)
class File(Node):
    package: Ident
    imports: tuple[ImportSpec, ...]
    decls: tuple[Node, ...]  # GenDecl and FuncDecl, in source order
    comments: tuple[Comment, ...]
    directives: tuple[Comment, ...]  # //go: lines and //gcheck: lines
    path: str = ""
    lines: int = 0
