"""Bottom strongly connected components of the explored graph.

Every infinite or maximal run of the program ends in a bottom SCC: a set of
states it can never leave. What a goroutine does there is what it does
forever, which is how leaks are decided (design: backward reachability and
SCCs for cycles that never make progress).
"""

from __future__ import annotations

from gcheck.solver.search import Graph


def sccs(g: Graph) -> list[list[int]]:
    """Tarjan's algorithm, iterative; components in reverse topological order."""
    n = len(g.states)
    to, lo, hi = g.succ.to, g.succ.lo, g.succ.hi
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            e = lo[v] + k
            if e < hi[v]:
                work[-1] = (v, k + 1)
                w = to[e]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work:
                u = work[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def bottom_sccs(g: Graph) -> list[list[int]]:
    """Components with no edge leaving them and no unexplored state in them."""
    comps = sccs(g)
    where = {}
    for ci, comp in enumerate(comps):
        for v in comp:
            where[v] = ci
    out = []
    for ci, comp in enumerate(comps):
        if any(not g.expanded[v] for v in comp):
            continue
        if all(where[w] == ci for v in comp for w, _ in g.succ[v]):
            out.append(sorted(comp))
    out.sort(key=lambda comp: comp[0])  # nearest to the start first: shortest traces win
    return out


def goroutine_fates(g: Graph, comp: list[int], rep: int) -> tuple[set, set]:
    """For the goroutines of state rep in bottom component comp: (those that take a
    step again, those that may finish). A goroutine is followed along every edge
    through the renaming of goroutine ids the edge carries (solver/symmetry.py), so
    a worker that finishes while a new one takes its id is not mistaken for one
    that runs forever."""
    inside = set(comp)
    gids = {v: tuple(gr.gid for gr in g.states[v].gs) for v in comp}
    stable = len(set(gids.values())) == 1 and not any(
        (v, k) in g.relabel for v in comp for k in range(g.succ.degree(v)))
    if stable:  # nobody is born, dies or is renamed in here: ids are identities
        stepping = set()
        for v in comp:
            for w, st in g.succ[v]:
                if w in inside:
                    stepping.update(st.actors())
        return stepping, set()
    preds: dict = {}
    active, dying = [], []
    for v in comp:
        for k, (w, st) in enumerate(g.succ[v]):
            ren = g.relabel.get((v, k))
            acting = st.actors()
            after = set(gids[w]) if ren is None else ren
            for gid in gids[v]:
                if gid in acting:
                    active.append((v, gid))
                if gid in after:
                    node = (w, gid if ren is None else ren[gid])
                    preds.setdefault(node, []).append((v, gid))
                else:
                    dying.append((v, gid))
    return ({gid for v, gid in _backward(active, preds) if v == rep},
            {gid for v, gid in _backward(dying, preds) if v == rep})


def _backward(start: list, preds: dict) -> set:
    seen = set(start)
    stack = list(start)
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen
