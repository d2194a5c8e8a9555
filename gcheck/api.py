"""gcheck as a library: check_paths(paths, Options()) -> Result.

Runs the whole pipeline per package and per entry point: parse, lower,
explore, check. One bad file or package never loses the others' results: its
error is recorded and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck import checks
from gcheck.checks import static
from gcheck.diagnostics import EntryStats, Note, Result
from gcheck.errors import GcheckError
from gcheck.goast import Pos
from gcheck.loader import expand, go_version
from gcheck.lower import lower_package
from gcheck.solver.search import Limits, explore


@dataclass
class Options:
    entry: str | None = None
    limits: Limits = field(default_factory=Limits)
    go_version: tuple | None = None  # overrides go.mod


def check_paths(paths: list[str], options: Options | None = None) -> Result:
    options = options or Options()
    result = Result()
    pkgs, errors = expand(paths)
    result.errors.extend(errors)
    for pkg in pkgs:
        _check_package(pkg, options, result)
    result.findings.sort(key=lambda f: (f.pos.file, f.pos.line, f.pos.col, f.check, f.entry))
    return result


def _parse_files(files, result: Result):
    from gcheck.syntax import parse_file

    parsed = []
    for path in files:
        try:
            parsed.append(parse_file(path))
            result.files += 1
        except GcheckError as e:
            result.errors.append(str(e))
        except RecursionError:
            result.errors.append(f"{path}:1:1: too deeply nested")
    return parsed


def _check_package(pkg, options: Options, result: Result) -> None:
    parsed = _parse_files(pkg.files, result)
    if not parsed:
        return
    version = options.go_version or go_version(pkg.dir)[0]
    # an external test package (package foo_test) is its own package
    groups: dict[str, list] = {}
    for f in parsed:
        groups.setdefault(f.package.name, []).append(f)
    for name in sorted(groups):
        try:
            result.findings.extend(static.run(groups[name], static.StaticContext(version, name)))
        except RecursionError:
            result.errors.append(f"{pkg.dir}:1:1: too deeply nested for the syntax checks")
        try:
            prog = lower_package(groups[name], version)
        except RecursionError:
            result.errors.append(f"{pkg.dir}:1:1: too deeply nested to lower")
            continue
        except Exception as e:  # never a traceback for one odd package
            result.errors.append(f"{pkg.dir}:1:1: internal error while lowering: {type(e).__name__}: {e}")
            continue
        for pos, text in prog.notes:
            result.notes.append(Note(pos, text))
        _check_entries(prog, options, result)


def select_entries(prog, wanted: str | None) -> list[tuple[str, int]]:
    if wanted is not None:
        for key in (wanted, "#" + wanted):
            if key in prog.entries:
                return [(wanted, prog.entries[key])]
        return []
    return [(k, v) for k, v in prog.entries.items() if not k.startswith("#")]


def _check_entries(prog, options: Options, result: Result) -> None:
    seen = set()  # one finding per check and position, from the first entry that reaches it
    for name, idx in select_entries(prog, options.entry):
        graph = explore(prog, idx, options.limits)
        is_main = name == "main"
        for mod in checks.ALL:
            for f in mod.check(prog, graph, name, is_main):
                k = (f.check, f.pos.file, f.pos.line, f.pos.col)
                if k in seen:
                    continue
                seen.add(k)
                f.trace.summary = _summary(graph)
                result.findings.append(f)
        for _key, (pos, text) in sorted(graph.notes.items(), key=lambda kv: str(kv[0])):
            result.notes.append(Note(pos, text))
        for err in graph.internal_errors[:3]:
            result.notes.append(Note(Pos(prog.functions[idx].pos.file, 1, 1),
                                     f"internal error while exploring {name}: {err}"))
        z = graph.solver
        result.stats.append(EntryStats(name, len(graph.states), graph.transitions, graph.max_depth,
                                       graph.seconds, graph.complete, _bound(graph),
                                       z.seconds, z.queries, z.hits, z.unknowns))
        if z.unknowns:
            result.notes.append(Note(prog.functions[idx].pos, f"z3 answered unknown {z.unknowns} time(s) "
                                     f"while exploring {name}: those paths were kept (sound)"))


def _bound(graph) -> str | None:
    if graph.bound:
        return graph.bound
    if graph.cuts:
        return ", ".join(sorted(graph.cuts))
    return None


def _summary(graph) -> str:
    b = _bound(graph)
    state = "complete" if b is None else f"bounded by {b}"
    # no seconds here: a trace must be byte-for-byte the same on every run
    return f"{len(graph.states)} states, {graph.transitions} transitions, depth {graph.max_depth}, {state}"
