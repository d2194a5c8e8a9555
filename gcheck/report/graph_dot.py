"""`--graph FILE.dot`: the explored state graph of one entry as Graphviz dot,
for small programs.

The first package of the paths is lowered again and its entry (`--entry`,
or the first entry) explored again with the same bounds. A node is a state,
labelled with its BFS index and each goroutine's status; the initial state
is a double circle; states where a goroutine panicked are red; terminal
states (no successor) are boxes; frontier states a bound left unexpanded are
dashed. An edge is a step, labelled like the trace (`g2: ch <- 1`). Graphs
over MAX_NODES states are cut there (a comment in the file says so).
"""

from __future__ import annotations

MAX_NODES = 2000


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(prog, g, entry: str) -> str:
    from gcheck.model import semantics as M
    from gcheck.solver.trace import describe

    n = min(len(g.states), MAX_NODES)
    out = [f"digraph {_q('gcheck ' + entry)} {{", "  rankdir=TB;",
           '  node [fontname="DejaVu Sans Mono", fontsize=9, shape=ellipse];',
           '  edge [fontname="DejaVu Sans Mono", fontsize=8];']
    if n < len(g.states):
        out.append(f"  // cut at {MAX_NODES} of {len(g.states)} states")
    for i in range(n):
        s = g.states[i]
        lines = [f"#{i}"]
        for gor in s.gs:
            try:
                st = M.status(s, gor)
            except Exception:
                st = "?"
            lines.append(f"g{gor.gid} {st}")
        attrs = [f"label={_q(chr(10).join(lines))}"]
        succ = g.succ[i] if i < len(g.succ) else ()
        expanded = g.expanded[i] if i < len(g.expanded) else True
        if i == 0:
            attrs.append("shape=doublecircle")
        elif not succ and expanded:
            attrs.append("shape=box")
        if getattr(s, "crash", None) is not None:
            attrs += ['color="#c0392b"', 'fontcolor="#c0392b"']
        if not expanded:
            attrs.append("style=dashed")
        out.append(f"  s{i} [{', '.join(attrs)}];")
    for i in range(n):
        for j, step in (g.succ[i] if i < len(g.succ) else ()):
            if j >= n:
                continue
            try:
                gid, _pos, text = describe(prog, g.states[i], step, g.events[j] if g.parent[j] == i else [])
                who = "timer" if gid < 0 else f"g{gid}"
                label = f"{who}: {text}"
            except Exception:
                label = ""
            if len(label) > 48:
                label = label[:47] + "…"
            out.append(f"  s{i} -> s{j} [label={_q(label)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def write(paths, options, out_file: str) -> str | None:
    """Write the dot file; returns an error message or None."""
    from gcheck.api import _parse_files, select_entries
    from gcheck.diagnostics import Result
    from gcheck.loader import expand, go_version
    from gcheck.lower import lower_package
    from gcheck.solver.search import explore

    pkgs, errors = expand(paths, options.build_context())
    if not pkgs:
        return f"--graph: no package ({'; '.join(errors) or 'nothing found'})"
    pkg = pkgs[0]
    r = Result()
    parsed = _parse_files(pkg.files, r)
    if not parsed:
        return f"--graph: {pkg.dir} does not parse"
    version = options.go_version or go_version(pkg.dir)[0]
    groups: dict = {}
    for f in parsed:
        groups.setdefault(f.package.name, []).append(f)
    for name in sorted(groups):
        prog = lower_package(groups[name], version)
        entries = select_entries(prog, options.entry, tuple(options.entries))
        if not entries:
            continue
        entry, idx = entries[0]
        g = explore(prog, idx, options.limits)
        with open(out_file, "w", encoding="utf-8") as fh:
            fh.write(to_dot(prog, g, entry))
        return None
    return f"--graph: no entry to explore in {pkg.dir}"
