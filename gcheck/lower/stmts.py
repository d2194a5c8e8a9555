"""Statements: control flow becomes jumps and branches over the flat code list."""

from __future__ import annotations

from gcheck import goast as A
from gcheck import ir
from gcheck.lower import scope as S
from gcheck.lower.literals import NOT_CONST, const_eval
from gcheck.model import runtime as rt
from gcheck.model import values as V
from gcheck.model.symbolic import Sym

UNKNOWN = V.UNKNOWN
MAX_UNKNOWN_ITERATIONS = 3


class StmtMixin:
    def block(self, stmts) -> None:
        self.st.scopes.append({})
        self.types.local.append({})
        try:
            for s in stmts:
                self.stmt(s)
        finally:
            self.st.scopes.pop()
            self.types.local.pop()

    def stmt(self, s: A.Stmt) -> None:
        m = getattr(self, "s_" + type(s).__name__, None)
        if m is None:
            self.note(s.pos, f"statement {type(s).__name__} is not modelled: skipped")
            return
        st = self.st
        start = st.begin_stmt()
        try:
            m(s)
        finally:
            st.end_stmt(start)

    def s_EmptyStmt(self, s):
        pass

    def s_BadStmt(self, s):
        self.note(s.pos, "unparsable statement skipped")

    def s_BlockStmt(self, s: A.BlockStmt):
        self.block(s.stmts)

    def s_ExprStmt(self, s: A.ExprStmt):
        x = s.x
        while type(x) is A.ParenExpr:
            x = x.x
        if type(x) is A.CallExpr:
            inline = self.inline_call(x)
            if inline is not None:
                self.st.emit(ir.Exec(s.pos, inline, self.text(x)))
            else:
                self.emit_call(x, ())
            return
        if type(x) is A.UnaryExpr and x.op == "<-":
            ch = self.expr(x.x)
            self.st.emit(ir.Recv(s.pos, ch, -1, -1, text=self.text(x)))
            return
        f = self.expr(x)
        self.st.emit(ir.Exec(s.pos, f, self.text(x)))

    def s_SendStmt(self, s: A.SendStmt):
        ch = self.expr(s.chan)
        v = self.expr(s.value)
        self.st.emit(ir.Send(s.pos, ch, v, text=self.text(s.chan) + " <- " + self.text(s.value)))

    def s_IncDecStmt(self, s: A.IncDecStmt):
        op = "+" if s.tok == "++" else "-"
        self.op_assign(s.pos, s.x, op, lambda c: 1)

    def op_assign(self, pos, target, op, rhs):
        if self.addressable(target) and type(target) is not A.Ident:
            pl = self.place(target)
            self.st.emit(ir.Exec(pos, lambda c: _op_place(c, pl(c), op, rhs(c)), self.text(target) + op + "="))
            return
        load = self.expr(target)
        store = self.store(target)
        self.st.emit(ir.Exec(pos, lambda c: store(c, rt.binop(op, load(c), rhs(c))), self.text(target) + op + "="))

    # ------------------------------------------------------------ assignment

    def s_AssignStmt(self, s: A.AssignStmt):
        tok = s.tok
        if tok not in ("=", ":="):
            rhs = self.expr(s.rhs[0])
            self.op_assign(s.pos, s.lhs[0], tok[:-1], rhs)
            return
        values = self.rhs_values(s.pos, s.rhs, len(s.lhs))
        stores = [self.target(x, tok == ":=") for x in s.lhs]
        if tok == ":=":
            self._mark_chan(s.lhs, s.rhs)
        text = ", ".join(self.text(x) for x in s.lhs) + f" {tok} ..."
        if len(stores) == 1:
            st0, v0 = stores[0], values[0]
            self.st.emit(ir.Exec(s.pos, lambda c: st0(c, v0(c)), text))
            return
        pairs = tuple(zip(stores, values))

        def assign(c):
            vals = [v(c) for _, v in pairs]  # all right-hand sides first, as Go does
            for (st, _), v in zip(pairs, vals):
                st(c, v)

        self.st.emit(ir.Exec(s.pos, assign, text))

    def target(self, x, define: bool):
        if define and type(x) is A.Ident:
            if x.name == "_":
                return lambda c, v: None
            existing = self.st.scopes[-1].get(x.name)
            if existing is None:
                return self.declare_store(x.name)
            return self.store_binding(existing, x)
        return self.store(x)

    def rhs_values(self, pos, rhs, n: int) -> list:
        """n value closures for n left-hand sides (a multi-value call spreads)."""
        if len(rhs) == n:
            if n == 1:
                return [self.expr(rhs[0])]
            temps = []
            for r in rhs:  # evaluate into temporaries so calls keep their order
                temps.append(self.expr(r))
            return temps
        r = rhs[0]
        while type(r) is A.ParenExpr:
            r = r.x
        if type(r) is A.CallExpr and self.inline_call(r) is None:
            dsts = tuple(self.st.temp("res") for _ in range(n))
            self.emit_call(r, dsts)
            return [lambda c, d=d: c.s[d] for d in dsts]
        if type(r) is A.UnaryExpr and r.op == "<-":
            d, ok = self.st.temp("recv"), self.st.temp("ok")
            ch = self.expr(r.x)
            self.st.emit(ir.Recv(r.pos, ch, d, ok, text=self.text(r)))
            return [lambda c: c.s[d], lambda c: c.s[ok]]
        if type(r) is A.IndexExpr:  # v, ok := m[k]
            m, k = self.expr(r.x), self.expr(r.indices[0])
            mz = self.nil_map_zero(r.x)
            zero = None if mz is S.NO_MAP else mz  # what a nil map gives
            t = self.st.temp("lookup")
            self.st.emit(ir.Exec(r.pos, lambda c: c.s.__setitem__(t, rt.map_lookup(c.w, m(c), k(c), zero)),
                                 "lookup"))
            return [lambda c: c.s[t][0], lambda c: c.s[t][1]]
        if type(r) is A.TypeAssertExpr:
            f = self.type_assert_ok(r)
            t = self.st.temp("assert")
            self.st.emit(ir.Exec(r.pos, lambda c: c.s.__setitem__(t, f(c)), "assert"))
            return [lambda c: c.s[t].vals[0], lambda c: c.s[t].vals[1]]
        f = self.expr(r)
        t = self.st.temp("multi")
        self.st.emit(ir.Exec(pos, lambda c: c.s.__setitem__(t, f(c)), "multi"))
        return [lambda c, i=i: _nth(c.s[t], i) for i in range(n)]

    # ------------------------------------------------------------ declarations

    def s_DeclStmt(self, s: A.DeclStmt):
        d = s.decl
        if d.tok == "var":
            for spec in d.specs:
                self.var_spec(spec)
        elif d.tok == "const":
            self.const_specs(d.specs, local=True)
        elif d.tok == "type":
            for spec in d.specs:
                self.types.local[-1][spec.name.name] = spec
                self.st.scopes[-1][spec.name.name] = S.TypeName(spec.name.name)
                if type(spec.type) is A.StructType:
                    self.types.layout(spec.name.name, spec.type)

    def var_spec(self, spec: A.ValueSpec):
        names = spec.names
        if spec.values:
            values = self.rhs_values(spec.pos, spec.values, len(names))
        else:
            zero = self.types.zero(spec.type)
            if type(zero) is V.Opaque and zero.type == "sync.Cond":
                values = [lambda c: V.Ref(c.w.alloc(V.CondObj(None)))] * len(names)
            else:
                values = [lambda c, z=zero: z] * len(names)
        stores = [self.declare_store(n.name) for n in names]
        if spec.type is not None and type(self.types.resolve(spec.type)) is A.ChanType:
            for n in names:
                b = self.st.lookup_here(n.name)
                if isinstance(b, S.Local):
                    b.chan = True
        elif spec.type is not None:
            mz = self.map_zero_of(spec.type)
            for n in names:
                b = self.st.lookup_here(n.name)
                if isinstance(b, S.Local):
                    b.map_zero = mz
        elif spec.type is None:
            self._mark_chan(names, spec.values)
        pairs = tuple(zip(stores, values))

        def assign(c):
            vals = [v(c) for _, v in pairs]
            for (st, _), v in zip(pairs, vals):
                st(c, v)

        self.st.emit(ir.Exec(spec.pos, assign, "var " + ", ".join(n.name for n in names)))

    def const_specs(self, specs, local: bool):
        last = ()
        for spec in specs:
            values = spec.values or last
            last = values
            for i, n in enumerate(spec.names):
                v = NOT_CONST
                if i < len(values):
                    v = const_eval(values[i], spec.iota, self.const_lookup, self.qualified_name)
                if v is NOT_CONST:
                    v = UNKNOWN
                    self.note(spec.pos, f"constant {n.name} could not be evaluated: unknown")
                b = S.Const(v)
                if local:
                    self.st.scopes[-1][n.name] = b
                else:
                    self.package[n.name] = b

    # ------------------------------------------------------------ go, defer, return

    def s_GoStmt(self, s: A.GoStmt):
        callee, args = self.callee_and_args(s.call)
        self.st.emit(ir.Go(s.pos, callee, args, s.call.ellipsis, self.text(s.call.fun)))

    def s_DeferStmt(self, s: A.DeferStmt):
        callee, args = self.callee_and_args(s.call)
        self.st.emit(ir.Defer(s.pos, callee, args, s.call.ellipsis, self.text(s.call.fun)))

    def s_ReturnStmt(self, s: A.ReturnStmt):
        n = len(self.st.fn.result_slots)
        if not s.results:
            self.st.emit(ir.Return(s.pos, None))
            return
        values = self.rhs_values(s.pos, s.results, n) if n else [self.expr(r) for r in s.results]
        vs = tuple(values)
        self.st.emit(ir.Return(s.pos, lambda c: tuple(v(c) for v in vs)))

    # ------------------------------------------------------------ branches

    def cond(self, e: A.Expr):
        f = self.expr(e)
        return lambda c: rt.truth(f(c))

    def s_IfStmt(self, s: A.IfStmt):
        self.st.scopes.append({})
        if s.init is not None:
            self.stmt(s.init)
        br = ir.Branch(s.pos, self.cond(s.cond), -1, self.text(s.cond))
        self.st.emit(br)
        self.block(s.body.stmts)
        if s.els is not None:
            j = ir.Jump(s.pos)
            self.st.emit(j)
            br.target = self.st.pc
            self.stmt(s.els)
            j.target = self.st.pc
        else:
            br.target = self.st.pc
        self.st.scopes.pop()

    def s_SwitchStmt(self, s: A.SwitchStmt):
        self.st.scopes.append({})
        if s.init is not None:
            self.stmt(s.init)
        if s.tag is not None:
            t = self.st.temp("tag")
            tag = self.expr(s.tag)
            self.st.emit(ir.Exec(s.pos, lambda c: c.s.__setitem__(t, tag(c)), "switch"))
        else:
            t = None
        body_jumps: list[tuple[ir.Jump, int]] = []
        for i, cl in enumerate(s.body):
            for e in cl.list:
                v = self.expr(e)
                if t is None:
                    cond = (lambda v: lambda c: rt.truth(v(c)))(v)
                else:
                    cond = (lambda v: lambda c: rt.binop("==", c.s[t], v(c)))(v)
                br = ir.Branch(e.pos, cond, -1, self.text(e))
                self.st.emit(br)
                j = ir.Jump(e.pos)
                self.st.emit(j)
                body_jumps.append((j, i))
                br.target = self.st.pc
        self._switch_bodies(s, s.body, body_jumps, lambda cl: None)
        self.st.scopes.pop()

    def _switch_bodies(self, s, clauses, body_jumps, bind):
        to_default = ir.Jump(s.pos)
        self.st.emit(to_default)
        loop = S.Loop(self._take_label(), is_loop=False)
        self.st.loops.append(loop)
        starts = []
        ends = []
        for cl in clauses:
            starts.append(self.st.pc)
            self.st.scopes.append({})
            bind(cl)
            body = cl.body
            falls = bool(body) and type(body[-1]) is A.BranchStmt and body[-1].tok == "fallthrough"
            self.block(body[:-1] if falls else body)
            self.st.scopes.pop()
            if not falls:
                j = ir.Jump(cl.pos)
                self.st.emit(j)
                ends.append(j)
        self.st.loops.pop()
        end = self.st.pc
        for j, i in body_jumps:
            j.target = starts[i]
        default = next((i for i, cl in enumerate(clauses) if cl.is_default), None)
        to_default.target = starts[default] if default is not None else end
        for j in ends + loop.breaks:
            j.target = end

    def s_TypeSwitchStmt(self, s: A.TypeSwitchStmt):
        self.st.scopes.append({})
        if s.init is not None:
            self.stmt(s.init)
        t = self.st.temp("x")
        x = self.expr(s.x)
        self.st.emit(ir.Exec(s.pos, lambda c: c.s.__setitem__(t, x(c)), "type switch"))
        body_jumps = []
        for i, cl in enumerate(s.body):
            for e in cl.list:
                match = self.type_matcher(e)
                br = ir.Branch(e.pos, (lambda m: lambda c: m(c, c.s[t]))(match), -1, self.text(e))
                self.st.emit(br)
                j = ir.Jump(e.pos)
                self.st.emit(j)
                body_jumps.append((j, i))
                br.target = self.st.pc

        def bind(cl):
            if s.bind is not None:
                st = self.declare_store(s.bind.name)
                self.st.emit(ir.Exec(cl.pos, lambda c: st(c, c.s[t]), s.bind.name))

        self._switch_bodies(s, s.body, body_jumps, bind)
        self.st.scopes.pop()

    def s_SelectStmt(self, s: A.SelectStmt):
        cases = []
        default_idx = None
        prologues = []
        for i, cl in enumerate(s.body):
            comm = cl.comm
            if comm is None:
                default_idx = i
                prologues.append(None)
                continue
            if type(comm) is A.SendStmt:
                ch, v = self.expr(comm.chan), self.expr(comm.value)
                cases.append(ir.SelectCase("send", ch, v, -1, -1, -1, comm.pos,
                                           self.text(comm.chan) + " <- " + self.text(comm.value)))
                prologues.append(None)
                continue
            if type(comm) is A.ExprStmt:
                rx = comm.x
                while type(rx) is A.ParenExpr:
                    rx = rx.x
                ch = self.expr(rx.x)
                cases.append(ir.SelectCase("recv", ch, None, -1, -1, -1, comm.pos, self.text(rx)))
                prologues.append(None)
                continue
            # v := <-ch, v, ok = <-ch
            rx = comm.rhs[0]
            while type(rx) is A.ParenExpr:
                rx = rx.x
            ch = self.expr(rx.x)
            d = self.st.temp("recv")
            ok = self.st.temp("ok") if len(comm.lhs) > 1 else -1
            cases.append(ir.SelectCase("recv", ch, None, d, ok, -1, comm.pos, self.text(rx)))
            prologues.append((comm, d, ok))
        sel = ir.Select(s.pos, tuple(cases), -1)
        self.st.emit(sel)
        loop = S.Loop(self._take_label(), is_loop=False)
        self.st.loops.append(loop)
        ends = []
        k = 0
        for i, cl in enumerate(s.body):
            start = self.st.pc
            if i == default_idx:
                sel.default_target = start
            else:
                cases[k].target = start
                k += 1
            self.st.scopes.append({})
            pro = prologues[i]
            if pro is not None:
                comm, d, ok = pro
                st0 = self.target(comm.lhs[0], comm.tok == ":=")
                stores = [(st0, d)]
                if ok >= 0:
                    stores.append((self.target(comm.lhs[1], comm.tok == ":="), ok))
                stores = tuple(stores)
                self.st.emit(ir.Exec(comm.pos, lambda c, stores=stores: [f(c, c.s[sl]) for f, sl in stores] and None,
                                     "case"))
            self.block(cl.body)
            self.st.scopes.pop()
            j = ir.Jump(cl.pos)
            self.st.emit(j)
            ends.append(j)
        self.st.loops.pop()
        for j in ends + loop.breaks:
            j.target = self.st.pc

    # ------------------------------------------------------------ loops

    def _take_label(self):
        label = self.st.pending_label
        self.st.pending_label = None
        return label

    def s_LabeledStmt(self, s: A.LabeledStmt):
        self.st.labels[s.label.name] = self.st.pc
        if type(s.stmt) in (A.ForStmt, A.RangeStmt, A.SwitchStmt, A.TypeSwitchStmt, A.SelectStmt):
            self.st.pending_label = s.label.name
        self.stmt(s.stmt)

    def s_BranchStmt(self, s: A.BranchStmt):
        j = ir.Jump(s.pos)
        label = s.label.name if s.label is not None else None
        if s.tok == "goto":
            self.st.emit(j)
            self.st.gotos.append((j, label))
            return
        if s.tok == "fallthrough":
            return  # handled by the switch
        for loop in reversed(self.st.loops):
            if label is not None and loop.label != label:
                continue
            if s.tok == "continue" and not loop.is_loop:
                continue
            self.st.emit(j)
            (loop.breaks if s.tok == "break" else loop.conts).append(j)
            return
        self.note(s.pos, f"{s.tok} without a target is ignored")

    def s_ForStmt(self, s: A.ForStmt):
        self.st.scopes.append({})
        label = self._take_label()
        if s.init is not None:
            self.stmt(s.init)
        loop_vars = [b for b in self.st.scopes[-1].values() if isinstance(b, S.Local) and b.boxed]
        if self.prog.go_version < (1, 22):
            loop_vars = []  # before Go 1.22 one variable is shared by all iterations
        head = self.st.pc
        br = None
        if s.cond is not None:
            br = ir.Branch(s.pos, self.cond(s.cond), -1, self.text(s.cond))
            self.st.emit(br)
        loop = S.Loop(label)
        self.st.loops.append(loop)
        self.block(s.body.stmts)
        self.st.loops.pop()
        cont = self.st.pc
        if loop_vars:  # Go 1.22: each iteration has its own copy of the loop variables
            slots = tuple(b.slot for b in loop_vars)
            for k in slots:
                self.st.read(k)
            self.st.emit(ir.Exec(s.pos, lambda c: _rebox(c, slots), "next iteration"))
        if s.post is not None:
            self.stmt(s.post)
        self.st.emit(ir.Jump(s.pos, head))
        end = self.st.pc
        if br is not None:
            br.target = end
        for j in loop.breaks:
            j.target = end
        for j in loop.conts:
            j.target = cont
        self.st.scopes.pop()

    def _static_chan(self, e) -> bool:
        """Is e known to be of a channel type, so that a nil value is a nil
        channel and not a nil slice or map? A local variable, parameter or
        package-level variable declared with a channel type (or initialised
        with one), a struct field whose name only channel fields have, a
        call of a function or method whose only result is a channel, a
        conversion to a channel type."""
        while type(e) is A.ParenExpr:
            e = e.x
        t = type(e)
        if t is A.Ident:
            st = self.st
            b = st.lookup_here(e.name)
            while b is None and st.parent is not None:
                st = st.parent
                b = st.lookup_here(e.name)
            if b is None:
                b = self.package.get(e.name)
            return isinstance(b, (S.Local, S.Global)) and b.chan
        if t is A.SelectorExpr:
            if type(e.x) is A.Ident and isinstance(self.lookup(e.x.name), S.Package):
                return False
            return self.types.chan_field(e.sel.name)
        if t is A.CallExpr:
            f = e.fun
            while type(f) is A.ParenExpr:
                f = f.x
            if type(self.types.resolve(f)) is A.ChanType:
                return True
            if type(f) is A.Ident:
                if f.name == "make":
                    return bool(e.args) and type(self.types.resolve(e.args[0])) is A.ChanType
                b = self.lookup(f.name)
                return isinstance(b, S.Func) and b.index in self.chan_funcs
            if type(f) is A.SelectorExpr:
                if type(f.x) is A.Ident and isinstance(self.lookup(f.x.name), S.Package):
                    return False
                return self.chan_methods.get(f.sel.name, False)
        return False

    def _mark_chan(self, names, values) -> None:
        """A variable declared by ``:=`` or ``var x = v`` from a channel is one."""
        if len(names) != len(values):
            return
        for n, v in zip(names, values):
            if type(n) is A.Ident and n.name != "_" and self._static_chan(v):
                b = self.st.scopes[-1].get(n.name)
                if isinstance(b, S.Local):
                    b.chan = True

    def s_RangeStmt(self, s: A.RangeStmt):
        self.st.scopes.append({})
        label = self._take_label()
        tx = self.st.temp("range")
        x = self.expr(s.x)
        self.st.emit(ir.Exec(s.pos, lambda c: c.s.__setitem__(tx, x(c)), "range"))
        tkeys, ti = self.st.temp("keys"), self.st.temp("i")
        pos = s.pos
        nilchan = self._static_chan(s.x)
        self.st.emit(ir.Exec(s.pos, lambda c: _range_init(c, tx, tkeys, ti, pos, nilchan), "range"))
        k_expr, v_expr = s.key, s.value
        define = s.tok == ":="
        if define and self.prog.go_version < (1, 22):
            # before Go 1.22 the range variables are declared once for the whole loop
            for var in (k_expr, v_expr):
                if type(var) is A.Ident and var.name != "_":
                    decl = self.declare_store(var.name)
                    self.st.emit(ir.Exec(s.pos, lambda c, d=decl: d(c, None), "range var"))
            define = False
        head = self.st.pc
        is_chan = ir.Branch(s.pos, lambda c: c.s[tkeys] is None, -1, "range over a channel")
        self.st.emit(is_chan)
        tv, tok = self.st.temp("elem"), self.st.temp("ok")
        self.st.emit(ir.Recv(s.pos, lambda c: c.s[tx], tv, tok, text="range " + self.text(s.x)))
        chan_done = ir.Branch(s.pos, lambda c: c.s[tok], -1, "channel closed")
        self.st.emit(chan_done)
        to_body = ir.Jump(s.pos)
        self.st.emit(to_body)
        is_chan.target = self.st.pc
        more = ir.Branch(s.pos, lambda c: _range_more(c, tkeys, ti), -1,
                         f"another element in {self.text(s.x)}")
        self.st.emit(more)
        self.st.emit(ir.Exec(s.pos, lambda c: _range_next(c, tx, tkeys, ti, tv, tok), "range"))
        to_body.target = self.st.pc
        # bind the iteration variables
        stores = []
        if k_expr is not None:
            stores.append((self.target(k_expr, define), "k"))
        if v_expr is not None:
            stores.append((self.target(v_expr, define), "v"))
        stores = tuple(stores)

        def bind(c):
            chan = c.s[tkeys] is None
            for st, which in stores:
                if chan:
                    st(c, c.s[tv])
                else:
                    st(c, c.s[tok] if which == "k" else c.s[tv])

        if stores:
            self.st.emit(ir.Exec(s.pos, bind, "range vars"))
        loop = S.Loop(label)
        self.st.loops.append(loop)
        self.block(s.body.stmts)
        self.st.loops.pop()
        self.st.emit(ir.Jump(s.pos, head))
        end = self.st.pc
        chan_done.target = end
        more.target = end
        for j in loop.breaks:
            j.target = end
        for j in loop.conts:
            j.target = head
        self.st.scopes.pop()


# ---------------------------------------------------------------- runtime helpers


def _nth(v, i):
    if type(v) is V.Tuple:
        return v.vals[i] if i < len(v.vals) else UNKNOWN
    return UNKNOWN if i else v


def _op_place(c, pl, op, rhs):
    rt.place_store(c, pl, rt.binop(op, rt.place_load(c, pl), rhs))


def _rebox(c, slots):
    for k in slots:
        c.s[k] = c.w.new_cell(c.w.heap[c.s[k].id])


def _range_init(c, tx, tkeys, ti, pos, nilchan=False):
    v = c.s[tx]
    # nil is a nil slice or map (no iterations) unless the variable is a channel:
    # ranging over a nil channel blocks forever (difftest)
    keys = None if nilchan and v is None else rt.range_keys(c.w, v)
    if keys == "unknown":
        if type(v) is V.Closure:
            c.w.note(pos, "range over a function iterator is not modelled: the loop body is skipped")
            keys = ()
        else:
            c.w.note(pos, "range over a value of unknown length: explored for up to "
                          f"{MAX_UNKNOWN_ITERATIONS} iterations")
            keys = "unknown"
    c.s[tkeys] = keys
    c.s[ti] = 0


def _range_more(c, tkeys, ti):
    keys = c.s[tkeys]
    i = c.s[ti]
    if keys == "unknown":
        return UNKNOWN if i < MAX_UNKNOWN_ITERATIONS else False
    if type(keys) is tuple and keys and keys[0] == "len":  # a slice of symbolic length
        return rt.binop("<", i, Sym(keys[1]))
    return i < len(keys)


def _range_next(c, tx, tkeys, ti, tv, tok):
    keys = c.s[tkeys]
    i = c.s[ti]
    c.s[ti] = i + 1
    if keys == "unknown" or keys[0] == "len":
        c.s[tok] = i if keys != "unknown" else UNKNOWN
        c.s[tv] = UNKNOWN
        return
    k = keys[i]
    c.s[tok] = k  # the key slot doubles as the index for non-channel ranges
    c.s[tv] = rt.range_value(c.w, c.s[tx], k)
