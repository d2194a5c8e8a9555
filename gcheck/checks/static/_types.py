"""Type knowledge for the syntax-level checks, inferred from the package itself.

There is no type checker behind gcheck: types come from what the package
declares and writes down (parameter and result types, `var x T`, struct field
types, composite literals, `make`/`new`, conversions, the results of its own
functions and methods) plus a small table of standard library functions.
Whatever cannot be told that way is None, "unknown", and the checks stay
silent on it rather than guess.

`analyse(files)` resolves every identifier use of one package to its
variable (Go's block scoping and shadowing included) and records the type of
each variable at its declaration. The checks share one Analysis per package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck import goast as A
from gcheck.lower.escape import children

# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class Type:
    """kind: basic, slice, array, ptr, map, chan, struct, func, iface, named.

    `name` is the basic type's name (string, int, byte, ...) or the named
    type's name (`Job`, or `os.File` for another package's type)."""

    kind: str
    name: str = ""
    elem: Type | None = None  # slice/array/ptr/chan element, map value
    key: Type | None = None  # map key
    fields: tuple = ()  # struct: ((name, Type | None, embedded), ...)
    results: tuple = ()  # func: result types
    length: int | None = None  # array length when constant

    def __str__(self) -> str:
        k = self.kind
        if k in ("basic", "named"):
            return self.name
        if k == "slice":
            return f"[]{self.elem}"
        if k == "array":
            return f"[{'' if self.length is None else self.length}]{self.elem}"
        if k == "ptr":
            return f"*{self.elem}"
        if k == "map":
            return f"map[{self.key}]{self.elem}"
        if k == "chan":
            return f"chan {self.elem}"
        if k == "struct":
            return "struct{...}"
        if k == "func":
            return "func(...)"
        if k == "iface":
            return self.name or "interface{...}"
        return k


def basic(name: str) -> Type:
    return Type("basic", name)


STRING = basic("string")
INT = basic("int")
BOOL = basic("bool")
BYTES = Type("slice", elem=basic("byte"))

_BASIC = {
    "bool", "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
    "uint64", "uintptr", "float32", "float64", "complex64", "complex128", "byte", "rune",
}


def parse_type(text: str) -> Type | None:
    """A type from Go text, for the standard library tables: `[]byte`,
    `*os.File`, `map[string]int`, `string`."""
    text = text.strip()
    if text.startswith("[]"):
        e = parse_type(text[2:])
        return Type("slice", elem=e)
    if text.startswith("*"):
        return Type("ptr", elem=parse_type(text[1:]))
    if text.startswith("map["):
        depth, i = 0, 3
        for i in range(3, len(text)):
            if text[i] == "[":
                depth += 1
            elif text[i] == "]":
                depth -= 1
                if depth == 0:
                    break
        return Type("map", key=parse_type(text[4:i]), elem=parse_type(text[i + 1 :]))
    if text in _BASIC:
        return basic(text)
    if text == "error":
        return Type("iface", "error")
    if text == "func":
        return Type("func")
    return Type("named", text)


def _t(*names: str) -> tuple:
    return tuple(parse_type(n) for n in names)


# Results of standard library functions the checks care about (what a
# value is: string or []byte, a file, a scanner), by "pkg.Func".
STD_FUNCS: dict[str, tuple] = {
    "os.ReadFile": _t("[]byte", "error"),
    "io.ReadAll": _t("[]byte", "error"),
    "os.Open": _t("*os.File", "error"),
    "os.Create": _t("*os.File", "error"),
    "os.OpenFile": _t("*os.File", "error"),
    "os.CreateTemp": _t("*os.File", "error"),
    "os.Getenv": _t("string"),
    "bufio.NewScanner": _t("*bufio.Scanner"),
    "bufio.NewReader": _t("*bufio.Reader"),
    "bufio.NewReaderSize": _t("*bufio.Reader"),
    "bufio.NewWriter": _t("*bufio.Writer"),
    "strings.Repeat": _t("string"),
    "strings.Clone": _t("string"),
    "strings.ToUpper": _t("string"),
    "strings.ToLower": _t("string"),
    "strings.Join": _t("string"),
    "strings.ReplaceAll": _t("string"),
    "strings.Replace": _t("string"),
    "strings.TrimSpace": _t("string"),
    "strings.Trim": _t("string"),
    "strings.TrimPrefix": _t("string"),
    "strings.TrimSuffix": _t("string"),
    "strings.Split": _t("[]string"),
    "strings.Fields": _t("[]string"),
    "strings.Index": _t("int"),
    "strings.IndexByte": _t("int"),
    "strings.LastIndex": _t("int"),
    "strings.NewReader": _t("*strings.Reader"),
    "bytes.Repeat": _t("[]byte"),
    "bytes.Clone": _t("[]byte"),
    "bytes.TrimSpace": _t("[]byte"),
    "bytes.Split": _t("[][]byte"),
    "bytes.Fields": _t("[][]byte"),
    "bytes.IndexByte": _t("int"),
    "bytes.Index": _t("int"),
    "bytes.NewReader": _t("*bytes.Reader"),
    "fmt.Sprintf": _t("string"),
    "fmt.Sprint": _t("string"),
    "fmt.Sprintln": _t("string"),
    "fmt.Errorf": _t("error"),
    "errors.New": _t("error"),
    "strconv.Itoa": _t("string"),
    "strconv.Atoi": _t("int", "error"),
    "strconv.FormatInt": _t("string"),
    "strconv.Quote": _t("string"),
    "time.NewTicker": _t("*time.Ticker"),
    "time.NewTimer": _t("*time.Timer"),
    "time.Now": _t("time.Time"),
    "time.Since": _t("time.Duration"),
    "context.Background": _t("context.Context"),
    "context.TODO": _t("context.Context"),
    "context.WithCancel": _t("context.Context", "context.CancelFunc"),
    "context.WithTimeout": _t("context.Context", "context.CancelFunc"),
    "context.WithDeadline": _t("context.Context", "context.CancelFunc"),
    "http.Get": _t("*http.Response", "error"),
    "sql.Open": _t("*sql.DB", "error"),
}

STD_METHODS: dict[tuple[str, str], tuple] = {
    ("bufio.Scanner", "Text"): _t("string"),
    ("bufio.Scanner", "Bytes"): _t("[]byte"),
    ("bufio.Scanner", "Scan"): _t("bool"),
    ("bufio.Reader", "ReadString"): _t("string", "error"),
    ("bufio.Reader", "ReadBytes"): _t("[]byte", "error"),
    ("bufio.Reader", "ReadSlice"): _t("[]byte", "error"),
    ("strings.Builder", "String"): _t("string"),
    ("bytes.Buffer", "String"): _t("string"),
    ("bytes.Buffer", "Bytes"): _t("[]byte"),
}

# Underlying types of a few standard named types.
STD_UNDERLYING: dict[str, Type] = {
    "time.Duration": basic("int64"),
    "context.CancelFunc": Type("func"),
    "os.FileMode": basic("uint32"),
}


# ---------------------------------------------------------------- constants


def const_int(e, consts: dict | None = None, depth: int = 0) -> int | None:
    """The value of an integer constant expression, or None."""
    if depth > 20:
        return None
    t = type(e)
    if t is A.BasicLit and e.kind == "INT":
        try:
            return int(e.value.replace("_", ""), 0)
        except ValueError:
            try:
                return int(e.value.replace("_", ""), 8)  # 0644
            except ValueError:
                return None
    if t is A.ParenExpr:
        return const_int(e.x, consts, depth + 1)
    if t is A.Ident and consts is not None and e.name in consts:
        return const_int(consts[e.name], consts, depth + 1)
    if t is A.UnaryExpr and e.op in "+-":
        v = const_int(e.x, consts, depth + 1)
        return None if v is None else (v if e.op == "+" else -v)
    if t is A.BinaryExpr:
        x, y = const_int(e.x, consts, depth + 1), const_int(e.y, consts, depth + 1)
        if x is None or y is None:
            return None
        try:
            return {
                "+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y,
                "/": lambda: x // y if y else None, "%": lambda: x % y if y else None,
                "<<": lambda: x << y if 0 <= y < 64 else None, ">>": lambda: x >> y if y >= 0 else None,
            }.get(e.op, lambda: None)()
        except (ValueError, OverflowError):
            return None
    return None


# ---------------------------------------------------------------- variables


@dataclass(eq=False)
class Var:
    """A variable as declared in the source: a parameter, a local, a named result."""

    name: str
    kind: str  # "param", "recv", "result", "local", "const"
    type: Type | None
    pos: A.Pos
    func: object  # the Func that declares it
    defs: list = field(default_factory=list)  # expressions assigned to it; None: unknown

    def __repr__(self) -> str:
        return f"Var({self.name}, {self.kind}, {self.type})"


@dataclass(eq=False)
class Func:
    """A function body: a FuncDecl or a FuncLit."""

    node: object
    name: str  # for messages: "process", "(*Queue).Pop", "the function literal"
    ftype: A.FuncType
    body: A.BlockStmt
    parent: Func | None
    params: list = field(default_factory=list)  # Var, the receiver first
    results: list = field(default_factory=list)  # Var for named results
    result_types: tuple = ()


class _Scope:
    __slots__ = ("vars", "parent")

    def __init__(self, parent):
        self.vars: dict[str, Var] = {}
        self.parent = parent

    def lookup(self, name: str) -> Var | None:
        s = self
        while s is not None:
            v = s.vars.get(name)
            if v is not None:
                return v
            s = s.parent
        return None


UNIVERSE_FUNCS = {"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
                  "max", "min", "new", "panic", "print", "println", "real", "recover"}


class Analysis:
    """One package: its declarations, every function body, and the variable
    each identifier use refers to."""

    def __init__(self, files: list):
        self.files = files
        self.imports: dict[str, str] = {}  # local name -> import path
        self.type_decls: dict[str, A.Expr] = {}
        self.var_specs: dict[str, tuple] = {}  # name -> (ValueSpec, index)
        self.consts: dict[str, A.Expr] = {}
        self.funcs_by_name: dict[str, A.FuncDecl] = {}
        self.methods: dict[tuple[str, str], A.FuncDecl] = {}
        self.uses: dict[int, Var] = {}  # id(Ident) -> Var
        self.funcs: list[Func] = []
        self.func_of_decl: dict[int, Func] = {}  # id(FuncDecl / FuncLit) -> Func
        self._var_types: dict[str, Type | None] = {}
        self._underlying: dict[str, Type | None] = {}
        self._busy: set = set()
        self.selector_names: set = set()  # every x.Name seen in function bodies
        self._collect()
        self._resolve_all()

    # ---- package level

    def _collect(self) -> None:
        for f in self.files:
            for imp in f.imports:
                path = imp.path.value.strip('"`')
                name = imp.name.name if imp.name is not None else path.rsplit("/", 1)[-1]
                if name not in ("_", "."):
                    self.imports[name] = path
            for d in f.decls:
                if type(d) is A.FuncDecl:
                    if d.recv is None:
                        self.funcs_by_name.setdefault(d.name.name, d)
                    else:
                        r = recv_type_name(d.recv.type)
                        if r:
                            self.methods[(r, d.name.name)] = d
                elif type(d) is A.GenDecl:
                    self._gen_decl(d)

    def _gen_decl(self, d: A.GenDecl) -> None:
        if d.tok == "type":
            for s in d.specs:
                self.type_decls.setdefault(s.name.name, s.type)
        elif d.tok == "var":
            for s in d.specs:
                for i, n in enumerate(s.names):
                    self.var_specs[n.name] = (s, i)
        elif d.tok == "const":
            last = ()
            for s in d.specs:
                vals = s.values or last
                last = vals
                for i, n in enumerate(s.names):
                    if i < len(vals):
                        self.consts[n.name] = vals[i]

    def is_import(self, e) -> bool:
        """`e` is an identifier naming an imported package (not shadowed)."""
        return type(e) is A.Ident and e.name in self.imports and id(e) not in self.uses

    def qualified(self, e) -> str | None:
        """"pkg.Name" for a selector on an imported package."""
        if type(e) is A.SelectorExpr and self.is_import(e.x):
            return f"{e.x.name}.{e.sel.name}"
        return None

    def pkg_var_type(self, name: str) -> Type | None:
        if name in self._var_types:
            return self._var_types[name]
        if name in self._busy:
            return None
        self._busy.add(name)
        spec, i = self.var_specs[name]
        t = None
        if spec.type is not None:
            t = self.type_from_expr(spec.type)
        elif len(spec.values) == len(spec.names):
            t = self.type_of(spec.values[i])
        elif len(spec.values) == 1 and type(spec.values[0]) is A.CallExpr:
            rs = self.results_of(spec.values[0])
            t = rs[i] if rs and i < len(rs) else None
        self._busy.discard(name)
        self._var_types[name] = t
        return t

    def is_pkg_var(self, ident) -> bool:
        return type(ident) is A.Ident and ident.name in self.var_specs and id(ident) not in self.uses

    # ---- types

    def type_from_expr(self, e) -> Type | None:
        """The type a type expression denotes."""
        t = type(e)
        if t is A.Ident:
            if e.name in _BASIC:
                return basic(e.name)
            if e.name == "error":
                return Type("iface", "error")
            if e.name == "any":
                return Type("iface", "any")
            if e.name in self.type_decls:
                return Type("named", e.name)
            return None
        if t is A.ParenExpr:
            return self.type_from_expr(e.x)
        if t is A.StarExpr:
            inner = self.type_from_expr(e.x)
            return Type("ptr", elem=inner) if inner is not None else None
        if t is A.ArrayType:
            el = self.type_from_expr(e.elt)
            if e.len is None:
                return Type("slice", elem=el)
            return Type("array", elem=el, length=const_int(e.len, self.consts))
        if t is A.MapType:
            return Type("map", key=self.type_from_expr(e.key), elem=self.type_from_expr(e.value))
        if t is A.ChanType:
            return Type("chan", elem=self.type_from_expr(e.value))
        if t is A.FuncType:
            res = tuple(self.type_from_expr(f.type) for f in e.results for _ in (f.names or (None,)))
            return Type("func", results=res)
        if t is A.InterfaceType:
            return Type("iface")
        if t is A.StructType:
            fs = []
            for f in e.fields:
                ft = self.type_from_expr(f.type)
                if f.names:
                    fs.extend((n.name, ft, False) for n in f.names)
                else:
                    base = f.type.x if type(f.type) is A.StarExpr else f.type
                    name = base.sel.name if type(base) is A.SelectorExpr else getattr(base, "name", "")
                    fs.append((name, ft, True))
            return Type("struct", fields=tuple(fs))
        if t is A.SelectorExpr and type(e.x) is A.Ident and e.x.name in self.imports:
            return Type("named", f"{e.x.name}.{e.sel.name}")
        if t is A.IndexExpr:  # a generic instantiation: its name only
            base = self.type_from_expr(e.x)
            return base
        return None

    def underlying(self, t: Type | None) -> Type | None:
        seen = 0
        while t is not None and t.kind == "named" and seen < 20:
            seen += 1
            if t.name in STD_UNDERLYING:
                return STD_UNDERLYING[t.name]
            if t.name not in self.type_decls:
                return None
            if t.name not in self._underlying:
                self._underlying[t.name] = None  # cycle guard
                self._underlying[t.name] = self.type_from_expr(self.type_decls[t.name])
            t = self._underlying[t.name]
        return t

    def is_string(self, t: Type | None) -> bool:
        u = self.underlying(t)
        return u is not None and u.kind == "basic" and u.name == "string"

    def is_slice(self, t: Type | None) -> bool:
        u = self.underlying(t)
        return u is not None and u.kind == "slice"

    def elem(self, t: Type | None) -> Type | None:
        u = self.underlying(t)
        return u.elem if u is not None else None

    def has_pointers(self, t: Type | None, depth: int = 0) -> bool | None:
        """Whether values of t hold pointers the garbage collector follows
        (pointers, maps, channels, funcs, interfaces, slices, and structs or
        arrays of them). Strings are left out: see the pointer-slice-retention
        docs. None when unknown."""
        if depth > 10:
            return None
        u = self.underlying(t)
        if u is None:
            return None
        if u.kind in ("ptr", "map", "chan", "func", "iface", "slice"):
            return True
        if u.kind == "basic":
            return False
        if u.kind == "array":
            return self.has_pointers(u.elem, depth + 1)
        if u.kind == "struct":
            unknown = False
            for _, ft, _ in u.fields:
                h = self.has_pointers(ft, depth + 1)
                if h:
                    return True
                unknown |= h is None
            return None if unknown else False
        return None

    def field_type(self, t: Type | None, name: str, depth: int = 0) -> Type | None:
        """The type of field `name` of t (through a pointer, and embedded structs)."""
        if depth > 5:
            return None
        u = self.underlying(t)
        if u is not None and u.kind == "ptr":
            u = self.underlying(u.elem)
        if u is None or u.kind != "struct":
            return None
        for fname, ft, _ in u.fields:
            if fname == name:
                return ft
        for fname, ft, emb in u.fields:
            if emb:
                r = self.field_type(ft, name, depth + 1)
                if r is not None:
                    return r
        return None

    def method(self, t: Type | None, name: str) -> A.FuncDecl | None:
        if t is not None and t.kind == "ptr":
            t = t.elem
        if t is not None and t.kind == "named":
            return self.methods.get((t.name, name))
        return None

    def method_results(self, t: Type | None, name: str) -> tuple | None:
        if t is not None and t.kind == "ptr":
            t = t.elem
        if t is None or t.kind != "named":
            return None
        d = self.methods.get((t.name, name))
        if d is not None:
            return self.result_types(d.type)
        return STD_METHODS.get((t.name, name))

    def result_types(self, ft: A.FuncType) -> tuple:
        return tuple(self.type_from_expr(f.type) for f in ft.results for _ in (f.names or (None,)))

    def type_name(self, e) -> Type | None:
        """If expression e names a type (a conversion's function), that type."""
        t = type(e)
        if t is A.Ident:
            if id(e) in self.uses or e.name in self.var_specs or e.name in self.funcs_by_name:
                return None
            return self.type_from_expr(e)
        if t in (A.ArrayType, A.MapType, A.ChanType, A.FuncType, A.InterfaceType, A.StructType):
            return self.type_from_expr(e)
        if t is A.ParenExpr:
            return self.type_name(e.x)
        if t is A.StarExpr:
            inner = self.type_name(e.x)
            return Type("ptr", elem=inner) if inner is not None else None
        if t is A.SelectorExpr:
            q = self.qualified(e)
            if q and q not in STD_FUNCS and q in STD_UNDERLYING:
                return Type("named", q)
        return None

    def type_of(self, e) -> Type | None:
        """The type of expression e, or None when it cannot be told."""
        t = type(e)
        if t is A.Ident:
            v = self.uses.get(id(e))
            if v is not None:
                return v.type
            if e.name in self.var_specs:
                return self.pkg_var_type(e.name)
            if e.name in self.consts:
                return self.type_of(self.consts[e.name]) if type(self.consts[e.name]) is not A.Ident else None
            if e.name in ("true", "false"):
                return BOOL
            if e.name in self.funcs_by_name:
                d = self.funcs_by_name[e.name]
                return Type("func", results=self.result_types(d.type))
            return None
        if t is A.BasicLit:
            return {"STRING": STRING, "INT": INT, "FLOAT": basic("float64"), "CHAR": basic("rune"),
                    "IMAG": basic("complex128")}.get(e.kind)
        if t is A.CompositeLit:
            return self.type_from_expr(e.type) if e.type is not None else None
        if t is A.ParenExpr:
            return self.type_of(e.x)
        if t is A.UnaryExpr:
            x = self.type_of(e.x)
            if e.op == "&":
                return Type("ptr", elem=x) if x is not None else None
            if e.op == "<-":
                return self.elem(x)
            if e.op == "!":
                return BOOL
            return x
        if t is A.StarExpr:
            x = self.underlying(self.type_of(e.x))
            return x.elem if x is not None and x.kind == "ptr" else None
        if t is A.SelectorExpr:
            q = self.qualified(e)
            if q is not None:
                return None
            x = self.type_of(e.x)
            ft = self.field_type(x, e.sel.name)
            if ft is not None:
                return ft
            rs = self.method_results(x, e.sel.name)
            return Type("func", results=rs) if rs is not None else None
        if t is A.IndexExpr:
            x = self.underlying(self.type_of(e.x))
            if x is None:
                return None
            if x.kind == "ptr":
                x = self.underlying(x.elem)
                if x is None:
                    return None
            if x.kind in ("slice", "array", "map"):
                return x.elem
            if x.kind == "basic" and x.name == "string":
                return basic("byte")
            return None
        if t is A.SliceExpr:
            xt = self.type_of(e.x)
            x = self.underlying(xt)
            if x is None:
                return None
            if x.kind == "ptr":
                x = self.underlying(x.elem)
                if x is not None and x.kind == "array":
                    return Type("slice", elem=x.elem)
                return None
            if x.kind == "array":
                return Type("slice", elem=x.elem)
            if x.kind in ("slice", "basic"):
                return xt
            return None
        if t is A.CallExpr:
            rs = self.results_of(e)
            return rs[0] if rs and len(rs) == 1 else None
        if t is A.BinaryExpr:
            if e.op in ("==", "!=", "<", "<=", ">", ">=", "&&", "||"):
                return BOOL
            if e.op in ("<<", ">>"):
                return self.type_of(e.x)
            return self.type_of(e.x) or self.type_of(e.y)
        if t is A.TypeAssertExpr:
            return self.type_from_expr(e.type) if e.type is not None else None
        if t is A.FuncLit:
            return Type("func", results=self.result_types(e.type))
        return None

    def results_of(self, call: A.CallExpr) -> tuple | None:
        """The result types of a call (a 1-tuple for conversions and builtins)."""
        fun = call.fun
        while type(fun) is A.ParenExpr:
            fun = fun.x
        if type(fun) is A.Ident and id(fun) not in self.uses and fun.name not in self.var_specs:
            n = fun.name
            if n in ("make", "new") and call.args:
                ty = self.type_from_expr(call.args[0])
                if ty is None:
                    return None
                return (ty,) if n == "make" else (Type("ptr", elem=ty),)
            if n == "append" and call.args:
                return (self.type_of(call.args[0]),)
            if n in ("len", "cap", "copy"):
                return (INT,)
            if n in ("min", "max") and call.args:
                return (self.type_of(call.args[0]),)
            if n in self.funcs_by_name:
                return self.result_types(self.funcs_by_name[n].type)
        conv = self.type_name(fun)
        if conv is not None:
            return (conv,)
        q = self.qualified(fun)
        if q is not None:
            return STD_FUNCS.get(q)
        if type(fun) is A.SelectorExpr:
            return self.method_results(self.type_of(fun.x), fun.sel.name)
        ft = self.underlying(self.type_of(fun))
        if ft is not None and ft.kind == "func" and ft.results:
            return ft.results
        return None

    # ---- resolution

    def _resolve_all(self) -> None:
        top = _Scope(None)
        for f in self.files:
            for d in f.decls:
                if type(d) is A.FuncDecl and d.body is not None:
                    name = d.name.name
                    if d.recv is not None:
                        r = recv_type_name(d.recv.type)
                        ptr = type(d.recv.type) is A.StarExpr
                        name = f"({'*' if ptr else ''}{r}).{name}" if r else name
                    fn = Func(d, name, d.type, d.body, None)
                    self._func(fn, top, d.recv)
                elif type(d) is A.GenDecl and d.tok == "var":
                    for s in d.specs:
                        for v in s.values:
                            self._expr(v, top, None)

    def _func(self, fn: Func, outer: _Scope, recv: A.Field | None = None) -> None:
        self.funcs.append(fn)
        self.func_of_decl[id(fn.node)] = fn
        sc = _Scope(outer)
        if recv is not None:
            for n in recv.names:
                v = Var(n.name, "recv", self.type_from_expr(recv.type), n.pos, fn)
                self._declare(sc, n, v)
                fn.params.append(v)
        for f in fn.ftype.params:
            ty = self.type_from_expr(f.type)
            if f.variadic:
                ty = Type("slice", elem=ty)
            for n in f.names:
                v = Var(n.name, "param", ty, n.pos, fn)
                self._declare(sc, n, v)
                fn.params.append(v)
        fn.result_types = self.result_types(fn.ftype)
        for f in fn.ftype.results:
            for n in f.names:
                v = Var(n.name, "result", self.type_from_expr(f.type), n.pos, fn)
                self._declare(sc, n, v)
                fn.results.append(v)
        self._block(fn.body.stmts, _Scope(sc), fn)

    def _declare(self, sc: _Scope, ident: A.Ident, v: Var) -> None:
        if ident.name == "_":
            return
        sc.vars[ident.name] = v
        self.uses[id(ident)] = v

    def _block(self, stmts, sc: _Scope, fn: Func) -> None:
        for s in stmts:
            self._stmt(s, sc, fn)

    def _stmt(self, s, sc: _Scope, fn: Func) -> None:
        t = type(s)
        if s is None:
            return
        if t is A.BlockStmt:
            self._block(s.stmts, _Scope(sc), fn)
        elif t is A.ExprStmt:
            self._expr(s.x, sc, fn)
        elif t is A.AssignStmt:
            self._assign(s, sc, fn)
        elif t is A.DeclStmt:
            self._decl_stmt(s.decl, sc, fn)
        elif t in (A.GoStmt, A.DeferStmt):
            self._expr(s.call, sc, fn)
        elif t is A.ReturnStmt:
            for r in s.results:
                self._expr(r, sc, fn)
        elif t is A.SendStmt:
            self._expr(s.chan, sc, fn)
            self._expr(s.value, sc, fn)
        elif t is A.IncDecStmt:
            self._expr(s.x, sc, fn)
        elif t is A.LabeledStmt:
            self._stmt(s.stmt, sc, fn)
        elif t is A.IfStmt:
            inner = _Scope(sc)
            self._stmt(s.init, inner, fn)
            self._expr(s.cond, inner, fn)
            self._stmt(s.body, inner, fn)
            self._stmt(s.els, inner, fn)
        elif t is A.ForStmt:
            inner = _Scope(sc)
            self._stmt(s.init, inner, fn)
            if s.cond is not None:
                self._expr(s.cond, inner, fn)
            self._stmt(s.post, inner, fn)
            self._stmt(s.body, inner, fn)
        elif t is A.RangeStmt:
            self._expr(s.x, sc, fn)
            inner = _Scope(sc)
            xt = self.underlying(self.type_of(s.x))
            kt = vt = None
            if xt is not None:
                if xt.kind in ("slice", "array"):
                    kt, vt = INT, xt.elem
                elif xt.kind == "ptr" and self.underlying(xt.elem) is not None and self.underlying(xt.elem).kind == "array":
                    kt, vt = INT, self.underlying(xt.elem).elem
                elif xt.kind == "map":
                    kt, vt = xt.key, xt.elem
                elif xt.kind == "chan":
                    kt = xt.elem
                elif xt.kind == "basic" and xt.name == "string":
                    kt, vt = INT, basic("rune")
                elif xt.kind == "basic":
                    kt = xt
            for e, ty in ((s.key, kt), (s.value, vt)):
                if e is None:
                    continue
                if s.tok == ":=" and type(e) is A.Ident:
                    v = Var(e.name, "local", ty, e.pos, fn, [RangeDef(s.x, e is s.value)])
                    self._declare(inner, e, v)
                else:
                    self._expr(e, sc, fn)
                    v = self.uses.get(id(e)) if type(e) is A.Ident else None
                    if v is not None:
                        v.defs.append(RangeDef(s.x, e is s.value))
            self._stmt(s.body, inner, fn)
        elif t is A.SwitchStmt:
            inner = _Scope(sc)
            self._stmt(s.init, inner, fn)
            if s.tag is not None:
                self._expr(s.tag, inner, fn)
            for c in s.body:
                for e in c.list:
                    self._expr(e, inner, fn)
                self._block(c.body, _Scope(inner), fn)
        elif t is A.TypeSwitchStmt:
            inner = _Scope(sc)
            self._stmt(s.init, inner, fn)
            self._expr(s.x, inner, fn)
            for c in s.body:
                cs = _Scope(inner)
                if s.bind is not None:
                    ty = self.type_from_expr(c.list[0]) if len(c.list) == 1 else self.type_of(s.x)
                    v = Var(s.bind.name, "local", ty, s.bind.pos, fn, [None])
                    cs.vars[s.bind.name] = v
                self._block(c.body, cs, fn)
        elif t is A.SelectStmt:
            for c in s.body:
                cs = _Scope(sc)
                if c.comm is not None:
                    self._stmt(c.comm, cs, fn)
                self._block(c.body, cs, fn)
        elif t is A.CaseClause:
            self._block(s.body, _Scope(sc), fn)

    def _decl_stmt(self, d: A.GenDecl, sc: _Scope, fn: Func) -> None:
        if d.tok == "type":
            for s in d.specs:
                self.type_decls.setdefault(s.name.name, s.type)
            return
        last = ()
        for s in d.specs:
            vals = s.values or (last if d.tok == "const" else ())
            last = vals
            for v in s.values:
                self._expr(v, sc, fn)
            ty = self.type_from_expr(s.type) if s.type is not None else None
            for i, n in enumerate(s.names):
                vt = ty
                if vt is None and len(vals) == len(s.names):
                    vt = self.type_of(vals[i])
                elif vt is None and len(vals) == 1 and type(vals[0]) is A.CallExpr:
                    rs = self.results_of(vals[0])
                    vt = rs[i] if rs and i < len(rs) else None
                if len(vals) == len(s.names):
                    defs = [vals[i]]
                elif vals:
                    defs = [None]
                else:
                    defs = [ZERO]
                v = Var(n.name, "const" if d.tok == "const" else "local", vt, n.pos, fn, defs)
                self._declare(sc, n, v)

    def _assign(self, s: A.AssignStmt, sc: _Scope, fn: Func) -> None:
        for r in s.rhs:
            self._expr(r, sc, fn)
        n = len(s.lhs)
        types: list = [None] * n
        defs: list = [None] * n
        if len(s.rhs) == n:
            defs = list(s.rhs)
            if s.tok == ":=":
                types = [self.type_of(r) for r in s.rhs]
        elif len(s.rhs) == 1:
            r = s.rhs[0]
            defs = [TupleDef(r, i) for i in range(n)]
            if s.tok == ":=":
                if type(r) is A.CallExpr:
                    rs = self.results_of(r) or ()
                    types = [rs[i] if i < len(rs) else None for i in range(n)]
                elif type(r) in (A.IndexExpr, A.TypeAssertExpr) or (type(r) is A.UnaryExpr and r.op == "<-"):
                    types = [self.type_of(r), BOOL][:n] + [None] * (n - 2)
        if s.tok not in ("=", ":="):
            defs = [None] * n
        for i, lhs in enumerate(s.lhs):
            if s.tok == ":=" and type(lhs) is A.Ident:
                if lhs.name == "_":
                    continue
                existing = sc.vars.get(lhs.name)
                if existing is not None:
                    self.uses[id(lhs)] = existing
                    existing.defs.append(defs[i])
                    continue
                v = Var(lhs.name, "local", types[i], lhs.pos, fn, [defs[i]])
                self._declare(sc, lhs, v)
            else:
                self._expr(lhs, sc, fn)
                if type(lhs) is A.Ident:
                    v = self.uses.get(id(lhs))
                    if v is not None:
                        v.defs.append(defs[i])

    def _expr(self, e, sc: _Scope, fn: Func | None) -> None:
        stack = [e]
        while stack:
            n = stack.pop()
            if n is None:
                continue
            t = type(n)
            if t is A.Ident:
                v = sc.lookup(n.name)
                if v is not None:
                    self.uses[id(n)] = v
            elif t is A.SelectorExpr:
                self.selector_names.add(n.sel.name)
                stack.append(n.x)
            elif t is A.FuncLit:
                name = f"the function literal in {fn.name}" if fn is not None else "a function literal"
                self._func(Func(n, name, n.type, n.body, fn), sc)
            elif t is A.CompositeLit:
                lt = self.underlying(self.type_from_expr(n.type)) if n.type is not None else None
                keyed_fields = n.type is None or (lt is not None and lt.kind == "struct") or (
                    lt is None and type(n.type) in (A.Ident, A.SelectorExpr))
                for el in n.elts:
                    if type(el) is A.KeyValueExpr:
                        if not (keyed_fields and type(el.key) is A.Ident):
                            stack.append(el.key)
                        stack.append(el.value)
                    else:
                        stack.append(el)
            elif t is A.KeyValueExpr:
                stack.append(n.key)
                stack.append(n.value)
            elif t in (A.ArrayType, A.MapType, A.ChanType, A.FuncType, A.StructType, A.InterfaceType):
                continue
            else:
                stack.extend(_children(n))

    # ---- helpers for the checks

    def var(self, e) -> Var | None:
        """The local variable (or parameter) an identifier refers to."""
        return self.uses.get(id(e)) if type(e) is A.Ident else None


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


class TupleDef:
    """A def by one result of a multi-value expression: `data, err := f()`."""

    def __init__(self, expr, index: int):
        self.expr = expr
        self.index = index


class RangeDef:
    """A def by a range clause over `x` (`value`: the element, not the key)."""

    def __init__(self, x, value: bool):
        self.x = x
        self.value = value


ZERO = _Marker("ZERO")  # `var x T`: the zero value


def recv_type_name(e) -> str | None:
    while True:
        t = type(e)
        if t is A.StarExpr or t is A.ParenExpr:
            e = e.x
        elif t is A.IndexExpr:
            e = e.x
        elif t is A.Ident:
            return e.name
        else:
            return None


def _children(node):
    t = type(node)
    if t is A.CallExpr:
        return (node.fun,) + node.args
    if t is A.BinaryExpr:
        return (node.x, node.y)
    if t in (A.UnaryExpr, A.StarExpr, A.ParenExpr):
        return (node.x,)
    if t is A.IndexExpr:
        return (node.x,) + node.indices
    if t is A.SliceExpr:
        return (node.x, node.low, node.high, node.max)
    if t is A.TypeAssertExpr:
        return (node.x,)  # the type is not an expression to resolve
    if t is A.BasicLit:
        return ()
    return tuple(children(node))


_cache: list = []  # [(files list, Analysis)]: the last package analysed


def analyse(files: list) -> Analysis:
    """The Analysis of a package, shared by the checks of one static.run."""
    if _cache and _cache[0][0] is files:
        return _cache[0][1]
    from gcheck.checks.static import _flow

    _cache.clear()
    _flow._OWN.clear()
    a = Analysis(files)
    _cache[:] = [(files, a)]
    return a
