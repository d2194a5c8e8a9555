"""gcheck as a library: check_paths(paths, Options()) -> Result.

Runs the whole pipeline per package and per entry point: parse, lower,
explore, check, then suppression comments and severities. One bad file or
package never loses the others' results: its error is recorded and the run
goes on. Packages are independent: with Options.jobs > 1 they run in a
process pool and their results are merged in package order, so the output
is the same as a sequential run; with Options.cache an unchanged package's
result is read from the cache (gcheck/cache.py) instead of explored again.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import threading
from dataclasses import dataclass, field

from gcheck import checks
from gcheck.checks import static
from gcheck.diagnostics import EntryStats, Note, Result
from gcheck.errors import GcheckError
from gcheck.goast import Pos
from gcheck.loader import BuildContext, expand, go_version
from gcheck.lower import lower_package
from gcheck.solver.search import Limits, explore


# Hard bounds outside the search: a Go source file larger than this is not
# parsed (the parser reads about 0.35 MB/s; the largest file of Go's own tree
# is 4 MB), and Ctrl-C stops the exploration and keeps what was found.
MAX_FILE_MB = float(os.environ.get("GCHECK_MAX_FILE_MB", "8"))

_interrupted = threading.Event()


def request_interrupt() -> None:
    """Stop exploring (Ctrl-C): the current search ends as bounded by
    "interrupted", entries not started are not explored, findings so far are kept."""
    _interrupted.set()


def interrupted() -> bool:
    return _interrupted.is_set()


def clear_interrupt() -> None:
    _interrupted.clear()


@dataclass
class Options:
    entry: str | None = None
    limits: Limits = field(default_factory=Limits)
    go_version: tuple | None = None  # overrides go.mod
    entries: tuple = ()  # fnmatch patterns of entries to explore (config `entries`); () = all
    enable: tuple | None = None  # only these check ids (None: every check)
    disable: tuple = ()  # check ids not to run or report
    severity: dict = field(default_factory=dict)  # check id -> "error" | "warning" | "note"
    goos: str = "linux"
    goarch: str = "amd64"
    tags: tuple = ()  # extra build tags
    include_vendor: bool = False
    include_testdata: bool = False
    suppress: bool = True  # honour //gcheck:ignore comments
    jobs: int = 1  # packages checked in parallel (process pool)
    cache: bool = False  # reuse results of unchanged packages (gcheck/cache.py)
    cache_dir: str | None = None  # default $GCHECK_CACHE_DIR or ~/.cache/gcheck

    def enabled(self, check_id: str) -> bool:
        if self.enable is not None and check_id not in self.enable:
            return False
        return check_id not in self.disable and self.severity.get(check_id) != "off"

    def build_context(self) -> BuildContext:
        return BuildContext(self.goos, self.goarch, tuple(self.tags),
                            include_vendor=self.include_vendor, include_testdata=self.include_testdata)

    def cache_key(self) -> str:
        """Everything that can change a package's result (not jobs/cache)."""
        lim = self.limits
        limits = sorted((k, v) for k, v in vars(lim).items()) if hasattr(lim, "__dict__") else repr(lim)
        return repr((self.entry, limits, self.go_version, tuple(self.entries),
                     None if self.enable is None else tuple(sorted(self.enable)), tuple(sorted(self.disable)),
                     tuple(sorted(self.severity.items())), self.goos, self.goarch, tuple(sorted(self.tags)),
                     self.suppress))


def check_paths(paths: list[str], options: Options | None = None) -> Result:
    options = options or Options()
    result = Result()
    pkgs, errors = expand(paths, options.build_context())
    result.errors.extend(errors)
    jobs = max(1, int(options.jobs or 1))
    if jobs > 1 and len(pkgs) > 2:
        # the first package runs here: it warms this process up (parser tables, lazy imports, z3),
        # and the forked workers inherit that instead of paying for it each
        parts = itertools.chain([check_package(pkgs[0], options)],
                                _parallel(pkgs[1:], options, min(jobs, len(pkgs) - 1)))
    else:
        parts = (check_package(pkg, options) for pkg in pkgs)
    for part in parts:
        _merge(result, part)
    result.findings.sort(key=lambda f: (f.pos.file, f.pos.line, f.pos.col, f.check, f.entry))
    return result


def _merge(into: Result, part: Result) -> None:
    into.findings.extend(part.findings)
    into.notes.extend(part.notes)
    into.errors.extend(part.errors)
    into.stats.extend(part.stats)
    into.suppressed.extend(part.suppressed)
    into.files += part.files
    into.packages += part.packages
    into.cache_hits += part.cache_hits


def _parallel(pkgs, options: Options, workers: int):
    """Results of check_package for each package, in package order, from a
    process pool (fork where available: workers inherit the parser tables)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    try:
        ctx = mp.get_context("fork")
    except ValueError:
        ctx = None
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(check_package, pkg, options) for pkg in pkgs]
        for pkg, fut in zip(pkgs, futures):
            try:
                yield fut.result()
            except Exception:  # a worker that died (or a result that cannot be pickled): redo here
                yield check_package(pkg, options)


def check_package(pkg, options: Options) -> Result:
    """One package's Result, from the cache when enabled and unchanged."""
    from gcheck import cache

    if _interrupted.is_set():  # Ctrl-C: the packages not started are not checked
        result = Result(packages=1)
        result.stats.append(EntryStats(pkg.dir, 0, 0, 0, 0.0, False, "interrupted (not explored)"))
        return result
    key = directory = None
    if options.cache:
        directory = cache.cache_dir(options.cache_dir)
        key = cache.key(pkg, options.cache_key(), go_version(pkg.dir)[1])
        hit = cache.load(key, directory)
        if isinstance(hit, Result):
            hit.cache_hits = 1
            return hit
    result = Result(packages=1)
    _check_package(pkg, options, result)
    if key is not None and not _interrupted.is_set():  # an interrupted result is not the answer
        cache.store(key, directory, result)
    return result


def _parse_files(files, result: Result):
    from gcheck.syntax import parse_file

    parsed = []
    for path in files:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        if size > MAX_FILE_MB * (1 << 20):
            result.errors.append(f"{path}:1:1: file too large to check ({size / (1 << 20):.1f} MB; "
                                 f"the limit is {MAX_FILE_MB:g} MB, GCHECK_MAX_FILE_MB)")
            continue
        try:
            parsed.append(parse_file(path))
            result.files += 1
        except GcheckError as e:
            result.errors.append(str(e))
        except RecursionError:
            result.errors.append(f"{path}:1:1: too deeply nested")
    return parsed


def _model_ids() -> set:
    return {k for mod in checks.ALL for k in mod.DOC}


def _static_ids() -> set:
    return set(static.IDS)


def _check_package(pkg, options: Options, result: Result) -> None:
    parsed = _parse_files(pkg.files, result)
    if not parsed:
        return
    version = options.go_version or go_version(pkg.dir)[0]
    findings: list = []
    complete = {"model": True}  # every entry explored without a bound (for unused suppressions)
    run_static = any(options.enabled(i) for i in _static_ids())
    run_model = any(options.enabled(i) for i in _model_ids())
    # an external test package (package foo_test) is its own package
    groups: dict[str, list] = {}
    for f in parsed:
        groups.setdefault(f.package.name, []).append(f)
    for name in sorted(groups):
        if run_static:
            ctx = static.StaticContext(version, name)
            try:
                findings.extend(static.run(groups[name], ctx))
            except RecursionError:
                result.errors.append(f"{pkg.dir}:1:1: too deeply nested for the syntax checks")
            for err in ctx.errors:  # a syntax check that failed lost only its own findings
                result.notes.append(Note(Pos(groups[name][0].pos.file, 1, 1),
                                         f"internal error in a syntax check: {err}"))
        if not run_model:
            continue
        try:
            prog = lower_package(groups[name], version)
        except RecursionError:
            result.errors.append(f"{pkg.dir}:1:1: too deeply nested to lower")
            complete["model"] = False
            continue
        except Exception as e:  # never a traceback for one odd package
            result.errors.append(f"{pkg.dir}:1:1: internal error while lowering: {type(e).__name__}: {e}")
            complete["model"] = False
            continue
        for pos, text in prog.notes:
            result.notes.append(Note(pos, text))
        stats_before = len(result.stats)
        _check_entries(prog, options, result, findings)
        if options.entry is not None or options.entries or any(
                not s.complete for s in result.stats[stats_before:]):
            complete["model"] = False
    _finish(parsed, findings, options, result, complete["model"])


def _finish(parsed, findings: list, options: Options, result: Result, model_complete: bool) -> None:
    """Enabled checks, suppression comments, severities."""
    from gcheck import suppress
    from gcheck.report.rules import known_ids

    findings = [f for f in findings if options.enabled(f.check)]
    if options.suppress:
        directives, bad = suppress.parse(parsed, known_ids())
        model_ids = _model_ids()

        def ran_completely(cid: str) -> bool:
            if not options.enabled(cid) or not options.enabled("unused-suppression"):
                return False
            return model_complete if cid in model_ids else cid in _static_ids()

        findings, result.suppressed, unused = suppress.apply(findings, directives, ran_completely)
        findings += [f for f in bad + unused if options.enabled(f.check)]
    for f in findings:
        sev = options.severity.get(f.check)
        if sev in ("error", "warning", "note"):
            f.severity = sev
    result.findings.extend(findings)


def select_entries(prog, wanted: str | None, patterns: tuple = ()) -> list[tuple[str, int]]:
    if wanted is not None:
        for key in (wanted, "#" + wanted):
            if key in prog.entries:
                return [(wanted, prog.entries[key])]
        return []
    out = [(k, v) for k, v in prog.entries.items() if not k.startswith("#")]
    if patterns:
        out = [(k, v) for k, v in out if any(fnmatch.fnmatchcase(k, p) for p in patterns)]
    return out


def _check_entries(prog, options: Options, result: Result, findings: list | None = None) -> None:
    findings = result.findings if findings is None else findings
    seen = set()  # one finding per check and position (and leak origin), from the first entry that reaches it
    for name, idx in select_entries(prog, options.entry, tuple(options.entries)):
        if _interrupted.is_set():  # Ctrl-C: the entries not started are not explored
            result.stats.append(EntryStats(name, 0, 0, 0, 0.0, False, "interrupted (not explored)"))
            continue
        graph = explore(prog, idx, options.limits, interrupt=_interrupted.is_set)
        is_main = name == "main"
        for mod in checks.ALL:
            if not any(options.enabled(k) for k in mod.DOC):
                continue
            for f in mod.check(prog, graph, name, is_main):
                # goroutines started by different go statements that block at the same operation
                # (in a helper or method they share) are different leaks, one finding each
                # (difftest: the runtime's leak profile names both)
                k = (f.check, f.pos.file, f.pos.line, f.pos.col, f.origin)
                if k in seen:
                    continue
                seen.add(k)
                f.trace.summary = _summary(graph)
                findings.append(f)
        for _key, (pos, text) in sorted(graph.notes.items(), key=lambda kv: str(kv[0])):
            result.notes.append(Note(pos, text))
        for err in graph.internal_errors[:3]:
            result.notes.append(Note(Pos(prog.functions[idx].pos.file, 1, 1),
                                     f"internal error while exploring {name}: {err}"))
        z = graph.solver
        result.stats.append(EntryStats(name, len(graph.states), graph.transitions, graph.max_depth,
                                       graph.seconds, graph.complete, _bound(graph),
                                       z.seconds, z.queries, z.hits, z.unknowns, graph.completed,
                                       graph.memoized))
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
