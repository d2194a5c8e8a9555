"""Lowering: a package's syntax trees -> ir.Program.

The only layer that reads goast. Collects the package's declarations (types,
functions, methods, globals, constants), lowers each function body into flat
IR code, and synthesises the package initialiser and one wrapper per entry
point (main, TestXxx) that runs the initialiser first.
"""

from __future__ import annotations

from gcheck import goast as A
from gcheck import ir
from gcheck.lower import scope as S
from gcheck.lower.calls import CallMixin
from gcheck.lower.escape import boxed_names
from gcheck.lower.literals import const_eval
from gcheck.lower.exprs import ExprMixin
from gcheck.lower.stmts import StmtMixin
from gcheck.gotext import expr_text
from gcheck.lower.types import TypeTable, receiver_type
from gcheck.model import symbolic as Sym
from gcheck.model import values as V
from gcheck.model.runtime import MAX_ELEMENTS

INT_TYPES = {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
             "uint64", "uintptr", "byte", "rune"}
# Value ranges an entry's integer parameter is assumed to lie in (int and int64
# are left unbounded: overflow is not modelled anyway).
INT_RANGES = {"int8": (-1 << 7, (1 << 7) - 1), "int16": (-1 << 15, (1 << 15) - 1),
              "int32": (-1 << 31, (1 << 31) - 1), "rune": (-1 << 31, (1 << 31) - 1),
              "uint8": (0, (1 << 8) - 1), "byte": (0, (1 << 8) - 1), "uint16": (0, (1 << 16) - 1),
              "uint32": (0, (1 << 32) - 1), "uint": (0, None), "uint64": (0, None), "uintptr": (0, None)}


class Lowerer(ExprMixin, CallMixin, StmtMixin):
    def __init__(self, files: list[A.File], go_version: tuple = (1, 27)):
        self.files = files
        self.notes: dict = {}
        self.functions: list[ir.Function] = []
        self.methods: dict = {}
        self.package: dict = {}
        self.chan_funcs: set = set()  # functions whose only result is a channel
        self.chan_methods: dict = {}  # method name -> every method of that name returns one channel
        imports = {}
        for f in files:
            for imp in f.imports:
                path = imp.path.value.strip('"`')
                local = imp.name.name if imp.name is not None else path.rsplit("/", 1)[-1]
                if local not in ("_", "."):
                    imports[local] = path
        self.types = TypeTable(imports)
        self.types.array_len = lambda e: const_eval(e, 0, self.const_lookup, self.qualified_name)
        self.types.too_large = self._array_too_large
        self.pkgname = files[0].package.name if files else "main"
        self.iota = 0
        self.global_zeros: list = []
        self.global_names: list = []
        self.prog = ir.Program(self.functions, self.methods, self.types.layouts, {}, -1, 0, {}, [],
                               go_version)
        self.st: S.FnState | None = None

    # ------------------------------------------------------------ helpers

    def note(self, pos, text: str) -> None:
        key = (text, pos.file if pos else "", pos.line if pos else 0)
        self.notes.setdefault(key, (pos, text))

    def text(self, e) -> str:
        return expr_text(e)

    def map_zero_of(self, texpr):
        """The zero of a map type's values (what reading a nil map of it gives), or NO_MAP."""
        t = self.types.resolve(texpr)
        return self.types.zero(t.value) if type(t) is A.MapType else S.NO_MAP

    def _array_too_large(self, e: A.ArrayType, n: int) -> None:
        """TypeTable.zero made an array type of n elements in all an unknown value."""
        self.note(e.pos, f"an array of {n:,} elements: gcheck models at most {MAX_ELEMENTS:,}, "
                         "so its elements are unknown values")

    def package_binding(self, name: str):
        b = self.package.get(name)
        if b is not None:
            return b
        if name in self.types.imports:
            return S.Package(self.types.imports[name].rsplit("/", 1)[-1])
        if self.types.lookup(name) is not None:
            return S.TypeName(name)
        return None

    def new_function(self, name: str, pos, synthetic=False) -> ir.Function:
        fn = ir.Function(len(self.functions), name, pos)
        fn.synthetic = synthetic
        self.functions.append(fn)
        return fn

    # ------------------------------------------------------------ the package

    def lower(self) -> ir.Program:
        decls = [d for f in self.files for d in f.decls]
        self.types.method_types = {receiver_type(d.recv)[0] for d in decls
                                   if type(d) is A.FuncDecl and d.recv is not None}
        for d in decls:
            if type(d) is A.GenDecl and d.tok == "type":
                for spec in d.specs:
                    self.types.declare(spec)
        init = self.new_function(f"{self.pkgname}.init", self.files[0].pos if self.files else A.NOPOS,
                                 synthetic=True)
        self.prog.init = init.index
        self.st = S.FnState(init, None, set())
        pending = []
        inits = []
        for d in decls:
            if type(d) is A.FuncDecl:
                fn = self.new_function(self.func_name(d), d.pos)
                res = d.type.results
                chan_res = (len(res) == 1 and len(res[0].names) <= 1
                            and type(self.types.resolve(res[0].type)) is A.ChanType)
                if d.recv is not None:
                    self.chan_methods[d.name.name] = self.chan_methods.get(d.name.name, True) and chan_res
                elif chan_res:
                    self.chan_funcs.add(fn.index)
                if d.recv is not None:
                    tname, ptr = receiver_type(d.recv)
                    self.methods.setdefault(tname, {})[d.name.name] = (fn.index, ptr)
                elif d.name.name == "init":
                    inits.append(fn.index)
                elif d.name.name != "_":
                    self.package[d.name.name] = S.Func(fn.index)
                pending.append((d, fn))
            elif type(d) is A.GenDecl and d.tok == "var":
                for spec in d.specs:
                    for n in spec.names:
                        if n.name != "_":
                            self.package[n.name] = S.Global(
                                len(self.global_zeros), n.name,
                                (spec.type is not None and type(self.types.resolve(spec.type)) is A.ChanType)
                                or (spec.type is None and len(spec.values) == len(spec.names)
                                    and _makes_chan(spec.values[list(spec.names).index(n)])),
                                self.map_zero_of(spec.type) if spec.type is not None else S.NO_MAP)
                        self.global_zeros.append(self.types.zero(spec.type))
                        self.global_names.append(n.name)
        for d in decls:
            if type(d) is A.GenDecl and d.tok == "const":
                self.const_specs(d.specs, local=False)
        self.lower_init(decls, inits)
        for d, fn in pending:
            if d.body is None:
                self.note(d.pos, f"function {d.name.name} has no body: calls return unknown values")
                fn.code.append(ir.Return(d.pos, None))
                fn.result_slots = ()
                continue
            self.lower_function(fn, d.type, d.body, d.recv, None)
        self.prog.nglobals = len(self.global_zeros)
        self.prog.global_names = self.global_names
        self.prog.global_zeros = self.global_zeros
        self.make_entries(decls)
        self.prog.notes = list(self.notes.values())
        return self.prog

    def func_name(self, d: A.FuncDecl) -> str:
        if d.recv is None:
            return f"{self.pkgname}.{d.name.name}"
        tname, ptr = receiver_type(d.recv)
        return f"{self.pkgname}.(*{tname}).{d.name.name}" if ptr else f"{self.pkgname}.{tname}.{d.name.name}"

    def lower_init(self, decls, inits) -> None:
        st = self.st
        gi = 0
        for d in decls:
            if not (type(d) is A.GenDecl and d.tok == "var"):
                continue
            for spec in d.specs:
                idxs = list(range(gi, gi + len(spec.names)))
                gi += len(spec.names)
                if not spec.values:
                    if type(self.types.zero(spec.type)) is V.Opaque and self.types.zero(spec.type).type == "sync.Cond":
                        for i in idxs:
                            st.emit(ir.Exec(spec.pos, (lambda i: lambda c: c.w.store(
                                c.w.globals[i], V.Ref(c.w.alloc(V.CondObj(None)))))(i), "var"))
                    continue
                values = self.rhs_values(spec.pos, spec.values, len(spec.names))
                for i, v, n in zip(idxs, values, spec.names):
                    if n.name == "_":
                        st.emit(ir.Exec(spec.pos, (lambda v: lambda c: v(c))(v), "var _"))
                        continue
                    st.emit(ir.Exec(spec.pos, (lambda i, v: lambda c: c.w.store(c.w.globals[i], v(c)))(i, v),
                                    f"var {n.name}"))
        for idx in inits:
            st.emit(ir.Call(self.functions[idx].pos, (lambda i: lambda c: V.Closure(i))(idx),
                            lambda c: (), (), False, "init"))
        st.emit(ir.Return(st.fn.pos, None))
        st.fn.result_slots = ()

    # ------------------------------------------------------------ functions

    def lower_function(self, fn: ir.Function, ftype: A.FuncType, body: A.BlockStmt,
                       recv: A.Field | None, parent: S.FnState | None) -> S.FnState:
        saved = self.st
        st = S.FnState(fn, parent, boxed_names(body))
        self.st = st
        boxing = []
        params = ([recv] if recv is not None else []) + list(ftype.params)
        for p in params:
            names = p.names or (A.Ident(p.pos, "_"),)
            for n in names:
                if n.name == "_":
                    st.new_slot("_")
                    continue
                b = st.declare(n.name)
                b.chan = not p.variadic and type(self.types.resolve(p.type)) is A.ChanType
                if not p.variadic:
                    b.map_zero = self.map_zero_of(p.type)
                if b.boxed:
                    boxing.append(b.slot)
            if p.variadic:
                fn.variadic = True
        fn.nparams = fn.nslots
        result_slots, zeros = [], []
        for r in ftype.results:
            zero = self.types.zero(r.type)
            names = r.names or (None,)
            for n in names:
                if n is None or n.name == "_":
                    k = st.new_slot("%result")
                else:
                    b = st.declare(n.name)
                    k = b.slot
                    if b.boxed:
                        boxing.append(k)
                result_slots.append(k)
                zeros.append((k, zero))
        fn.result_slots = tuple(result_slots)
        fn.nresults = len(result_slots)
        fn.zero_slots = tuple(zeros)
        if boxing:
            slots = tuple(boxing)
            for k in slots:
                st.read(k)
            st.emit(ir.Exec(fn.pos, lambda c: [c.s.__setitem__(k, c.w.new_cell(c.s[k])) for k in slots] and None,
                            "params"))
        self.block(body.stmts)
        end = body.end if body.end.line else fn.pos
        fn.end = end
        start = st.begin_stmt()  # the implicit return reads nothing but the results
        st.emit(ir.Return(end, None))
        st.end_stmt(start)
        for j, label in st.gotos:
            if label in st.labels:
                j.target = st.labels[label]
            else:
                self.note(j.pos, f"goto {label}: label not found, treated as return")
                j.target = len(fn.code) - 1
        compute_liveness(fn, st)
        self.st = saved
        return st

    def lower_funclit(self, e: A.FuncLit):
        outer = self.st
        outer.nfunclits += 1
        base = outer.fn.name
        sep = "." if ".func" in base.rsplit(".", 1)[-1] or base.rsplit(".", 1)[-1].isdigit() else ".func"
        fn = self.new_function(f"{base}{sep}{outer.nfunclits}", e.pos)
        self.types.local.append({})
        st = self.lower_function(fn, e.type, e.body, None, outer)
        self.types.local.pop()
        return fn.index, st.captures

    # ------------------------------------------------------------ entries

    def make_entries(self, decls) -> None:
        for d in decls:
            if type(d) is not A.FuncDecl or d.recv is not None or d.body is None or d.name.name == "_":
                continue  # (func _() {}: a blank function is never called)
            name = d.name.name
            is_test = d.pos.file.endswith("_test.go")
            if name == "main" and self.pkgname == "main" and not is_test:
                self.prog.entries[name] = self.entry_wrapper(d, ())
            elif is_test and name.startswith("Test") and name != "TestMain" and len(d.type.params) == 1:
                self.prog.entries[name] = self.entry_wrapper(d, (V.Opaque("testing.T"),))
            elif not is_test and name not in ("init",):
                args, assume = self.symbolic_params(d)
                self.prog.entries.setdefault("#" + name, self.entry_wrapper(d, args, assume))

    def symbolic_params(self, d: A.FuncDecl) -> tuple[tuple, tuple]:
        """An entry's parameters: integers and booleans are symbols named after
        the parameter (z3 finds the values that lead to a bug), others unknown.
        Returns (args, assumptions): the facts that hold of these symbols from
        the start (a length is never negative), for this entry only."""
        args, assume = [], []
        for p in d.type.params:
            t = self.types.resolve(p.type)
            name = t.name if type(t) is A.Ident else ""
            for i, n in enumerate(p.names or (A.Ident(p.pos, f"arg{len(args)}"),)):
                if name in INT_TYPES:
                    v = Sym.var(n.name, Sym.INT)
                    args.append(v)
                    lo, hi = INT_RANGES.get(name, (None, None))
                    if lo is not None:  # a uint is never negative, a byte never 256
                        rng = (">=", v.t, lo) if hi is None else ("and", (">=", v.t, lo), ("<=", v.t, hi))
                        assume.append(rng)
                elif name == "bool":
                    args.append(Sym.var(n.name, Sym.BOOL))
                elif type(t) in (A.ArrayType, A.MapType) and getattr(t, "len", None) is None:
                    s = Sym.SymSlice(n.name)
                    args.append(s)
                    assume.append((">=", s.length.t, 0))
                else:
                    args.append(V.UNKNOWN)
        return tuple(args), tuple(assume)

    def entry_wrapper(self, d: A.FuncDecl, args: tuple, assume: tuple = ()) -> int:
        target = self.package[d.name.name].index
        fn = self.new_function(self.functions[target].name, d.pos, synthetic=True)
        init = self.prog.init
        fn.code = [
            ir.Call(d.pos, lambda c: V.Closure(init), lambda c: (), (), False, "init"),
            ir.Call(d.pos, lambda c: V.Closure(target), lambda c: args, (), False, d.name.name),
            ir.Return(d.pos, None),
        ]
        if assume:
            fn.code.insert(0, ir.Exec(d.pos, lambda c: [c.w.assume(t) for t in assume] and None, "assume"))
        fn.end = d.pos
        return fn.index


def _successors(code: list, pc: int) -> tuple:
    ins = code[pc]
    t = type(ins)
    if t is ir.Jump:
        return (ins.target,)
    if t is ir.Branch:
        return (pc + 1, ins.target)
    if t is ir.Select:
        out = tuple(c.target for c in ins.cases)
        return out + ((ins.default_target,) if ins.default_target >= 0 else ())
    if t in (ir.Return, ir.Panic):
        return ()
    return (pc + 1,) if pc + 1 < len(code) else ()


def compute_liveness(fn: ir.Function, st: S.FnState) -> None:
    """For each instruction, the slots that may still be read from there on.

    A named variable is live where some instruction reachable from here reads
    it (no kills: a superset is safe); a temporary is live inside the statement
    that made it; results are always live. Dead slots are cleared when a frame
    is frozen into a state (model/exec.py), so that a variable nobody will read
    again neither tells states apart nor keeps objects reachable.
    """
    code = fn.code
    n = len(code)
    live = [set(st.reads_at.get(pc, ())) for pc in range(n)]
    preds: list[list[int]] = [[] for _ in range(n)]
    for pc in range(n):
        for s in _successors(code, pc):
            if 0 <= s < n:
                preds[s].append(pc)
    work = list(range(n))
    while work:
        pc = work.pop()
        for p in preds[pc]:
            if not live[pc] <= live[p]:
                live[p] |= live[pc]
                work.append(p)
    for start, end, temps in st.temp_ranges:
        for pc in range(start, min(end, n)):
            live[pc].update(temps)
    keep = set(fn.result_slots)
    fn.dead = [tuple(k for k in range(fn.nslots) if k not in live[pc] and k not in keep)
               for pc in range(n)]


def lower_package(files: list[A.File], go_version: tuple = (1, 27)) -> ir.Program:
    return Lowerer(files, go_version).lower()


def _makes_chan(e) -> bool:
    """e is ``make(chan T...)``."""
    while type(e) is A.ParenExpr:
        e = e.x
    return (type(e) is A.CallExpr and type(e.fun) is A.Ident and e.fun.name == "make" and bool(e.args)
            and type(e.args[0]) is A.ChanType)
