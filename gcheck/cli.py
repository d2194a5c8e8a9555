"""Command line: argument parsing only. run(argv, stdout, stderr) -> exit code.

Exit codes: 0 clean, 1 findings, 2 errors (bad input, bad usage).
"""

from __future__ import annotations

import argparse
import os
import sys

from gcheck import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 without a traceback, like go vet
        self.print_usage(sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gcheck", description="A model checker for Go concurrency.")
    p.add_argument("--version", action="version", version=f"gcheck {__version__}")
    sub = p.add_subparsers(dest="cmd")

    c = sub.add_parser("check", help="explore every interleaving and report leaks, deadlocks, panics")
    c.add_argument("paths", nargs="*", default=["./..."])
    c.add_argument("--entry", help="explore only this entry (main, TestXxx, or any function)")
    _add_bound_args(c)
    c.add_argument("--no-por", action="store_true", help="turn partial-order reduction off")
    c.add_argument("--no-diamonds", action="store_true",
                   help="compute every transition (by default one that closes a diamond of commuting steps "
                        "is read off the graph: same graph, faster)")
    c.add_argument("--no-step-memo", action="store_true",
                   help="compute every step (by default a step whose result depends only on its goroutines "
                        "and the heap reuses the result computed in the same context: same graph, faster)")
    c.add_argument("--no-symmetry", action="store_true",
                   help="turn symmetry reduction off (states equal up to goroutine renaming stay apart)")
    c.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), json (gcheck/report/schema.json), sarif (SARIF 2.1.0), "
                        "github (Actions annotations), html (traces as sequence diagrams)")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    c.add_argument("--no-trace", action="store_true", help="findings only, without traces")
    c.add_argument("--no-notes", action="store_true", help="hide notes on abstracted constructs")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    c.add_argument("--no-suppress", action="store_true", help="ignore //gcheck:ignore comments")
    c.add_argument("--trace-svg", metavar="DIR", help="also write each trace as an SVG sequence diagram in DIR")
    c.add_argument("--graph", metavar="FILE.dot",
                   help="also write the explored state graph (Graphviz dot) of the first entry")
    c.add_argument("--no-cache", action="store_true",
                   help="explore every package again (default: reuse results of unchanged packages "
                        "from $GCHECK_CACHE_DIR or ~/.cache/gcheck)")
    c.add_argument("--cache-dir", metavar="DIR", help="where the cache lives")

    b = sub.add_parser("bench", help="run a corpus of Go programs: CSV/JSONL rows, a summary table, plots")
    b.add_argument("corpus", metavar="CORPUS", help="directory of programs (every package below it)")
    b.add_argument("--expect", metavar="EXPECT.json", help="expected findings (see gcheck/bench.py)")
    b.add_argument("--out", metavar="DIR", default="bench-out", help="output directory (default bench-out)")
    b.add_argument("--write-expect", metavar="FILE",
                   help="write an EXPECT file from the corpus's // want comments and exit")
    b.add_argument("--no-plots", action="store_true", help="skip the matplotlib plots")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--executor", default="local", help="local (process pool, the default) or dask://HOST:PORT")
    _add_bound_args(b)

    ex = sub.add_parser("explain", help="print a check's documentation, or list every check")
    ex.add_argument("check_id", nargs="?", metavar="CHECK-ID")

    xp = sub.add_parser("export", help="write a program's model in another checker's language (Promela)")
    xp.add_argument("--promela", action="store_true", help="Promela, for SPIN (gcheck/export/promela.py)")
    xp.add_argument("path", metavar="PATH", help="a package directory or a .go file")
    xp.add_argument("--entry", help="the function to export as main (default main)")
    xp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    pa = sub.add_parser("parse", help="parse Go files and report syntax errors")
    pa.add_argument("paths", nargs="+")
    pa.add_argument("--dump", action="store_true", help="print the syntax tree of one file")
    return p


def run(argv: list[str], stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if e.code in (0, None) else 2
    if args.cmd == "parse":
        from gcheck.parse_cmd import run_parse

        return run_parse(args.paths, args.dump, stdout, stderr)
    if args.cmd == "check":
        return _check(args, stdout, stderr)
    if args.cmd == "bench":
        from gcheck.bench import run_bench

        return run_bench(args, stdout, stderr)
    if args.cmd == "export":
        from gcheck.export import run_cli as run_export

        return run_export(args, stdout, stderr)
    if args.cmd == "explain":
        from gcheck.explain import run as run_explain

        return run_explain(args.check_id, stdout, stderr)
    _parser().print_help(stdout)
    return 2


def _csv(values) -> list[str]:
    out = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _add_bound_args(c) -> None:
    """Flags shared by check and bench; defaults come from the config file,
    then from DEFAULTS (None here, so that a flag given wins over the file)."""
    c.add_argument("--max-states", type=int, help=f"default {DEFAULTS['max-states']}")
    c.add_argument("--max-depth", type=int, help=f"default {DEFAULTS['max-depth']}")
    c.add_argument("--timeout", type=float, help=f"seconds per entry (default {DEFAULTS['timeout']:g})")
    c.add_argument("--max-memory", type=int, help=f"MB per entry (default {DEFAULTS['max-memory']})")
    c.add_argument("--go-version", help="Go version for timer semantics (default: go.mod's go line)")
    c.add_argument("--enable", action="append", metavar="IDS", help="only these checks (comma separated)")
    c.add_argument("--disable", action="append", metavar="IDS", help="not these checks (comma separated)")
    c.add_argument("--severity", action="append", metavar="ID=LEVEL",
                   help="error, warning, note or off for a check (repeatable)")
    c.add_argument("--entries", action="append", metavar="PATTERNS",
                   help="explore only entries matching these shell patterns (comma separated)")
    c.add_argument("--goos", help="GOOS for build constraints (default linux)")
    c.add_argument("--goarch", help="GOARCH for build constraints (default amd64)")
    c.add_argument("--tags", action="append", metavar="TAGS", help="extra build tags (comma separated)")
    c.add_argument("--include-vendor", action="store_true", default=None, help="walk vendor/ directories too")
    c.add_argument("--include-testdata", action="store_true", default=None,
                   help="walk testdata/ directories too")
    c.add_argument("-j", "--jobs", type=int, help="packages checked in parallel (default 1)")
    c.add_argument("--config", metavar="FILE", help="config file (default: gcheck.toml or a pyproject.toml "
                                                    "with [tool.gcheck], found upward from the first path)")
    c.add_argument("--no-config", action="store_true", help="ignore config files")


DEFAULTS = {"max-states": 200_000, "max-depth": 5_000, "timeout": 60.0, "max-memory": 4096}
FORMATS = ["text", "json", "sarif", "github", "html"]


class UsageError(Exception):
    pass


def build_options(args, paths: list[str]):
    """Options from the config file and the flags (flags win). Returns
    (Options, config path or None). Raises UsageError or config.ConfigError."""
    from gcheck import config as C
    from gcheck.api import Options
    from gcheck.report.rules import known_ids
    from gcheck.solver.search import Limits

    known = known_ids()
    cfg = C.Config()
    if not getattr(args, "no_config", False):
        path = args.config or C.discover(paths)
        if args.config and not os.path.isfile(args.config):
            raise UsageError(f"--config {args.config}: no such file")
        if path:
            cfg = C.load(path, known)

    def pick(flag, key, default=None):
        v = getattr(args, flag, None)
        if v is not None:
            return v
        return cfg.get(key, DEFAULTS.get(key, default))

    version = None
    gv = args.go_version if args.go_version else cfg.get("go-version")
    if gv:
        try:
            version = C.parse_go_version(gv)
        except ValueError:
            raise UsageError(f"bad --go-version {gv!r} (want e.g. 1.22)") from None
    limits = Limits(pick("max_states", "max-states"), pick("max_depth", "max-depth"),
                    pick("timeout", "timeout"), pick("max_memory", "max-memory"),
                    por=not getattr(args, "no_por", False), symmetry=not getattr(args, "no_symmetry", False),
                    diamonds=not getattr(args, "no_diamonds", False),
                    step_memo=not getattr(args, "no_step_memo", False))
    enable = _csv(args.enable) or cfg.get("enable")
    disable = _csv(args.disable) or cfg.get("disable") or []
    for cid in list(enable or []) + list(disable):
        if cid not in known:
            raise UsageError(f"unknown check id {cid!r} (`gcheck explain` lists them)")
    severity = dict(cfg.get("severity") or {})
    for item in args.severity or ():
        cid, _, level = item.partition("=")
        if cid not in known:
            raise UsageError(f"--severity {item}: unknown check id {cid!r}")
        if level not in C.SEVERITIES:
            raise UsageError(f"--severity {item}: level must be one of {', '.join(C.SEVERITIES)}")
        severity[cid] = level
    opts = Options(
        entry=getattr(args, "entry", None),
        limits=limits,
        go_version=version,
        entries=tuple(_csv(args.entries) or cfg.get("entries") or ()),
        enable=tuple(enable) if enable else None,
        disable=tuple(disable),
        severity=severity,
        goos=pick("goos", "goos", "linux"),
        goarch=pick("goarch", "goarch", "amd64"),
        tags=tuple(_csv(args.tags) or cfg.get("tags") or ()),
        include_vendor=bool(pick("include_vendor", "include-vendor", False)),
        include_testdata=bool(pick("include_testdata", "include-testdata", False)),
        suppress=not getattr(args, "no_suppress", False),
        jobs=pick("jobs", "jobs", 1),
        cache=not getattr(args, "no_cache", False) and cfg.get("cache", True),
        cache_dir=getattr(args, "cache_dir", None),
    )
    if opts.jobs < 1:
        raise UsageError("-j must be at least 1")
    return opts, cfg.path


def _check(args, stdout, stderr) -> int:
    from gcheck import config as C
    from gcheck.api import check_paths

    try:
        options, _cfg_path = build_options(args, args.paths)
    except (UsageError, C.ConfigError) as e:
        stderr.write(f"gcheck: {e}\n")
        return 2
    with _ctrl_c_stops_search(stderr):
        result = check_paths(args.paths, options)
    report = render(result, args.format, show_notes=not args.no_notes, show_trace=not args.no_trace)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(report)
        except OSError as e:
            stderr.write(f"gcheck: cannot write {args.output}: {e.strerror or e}\n")
            return 2
    else:
        stdout.write(report)
    if args.trace_svg:
        from gcheck.report import seqdiag

        seqdiag.write_dir(result, args.trace_svg)
    if args.graph:
        from gcheck.report import graph_dot

        err = graph_dot.write(args.paths, options, args.graph)
        if err:
            stderr.write(f"gcheck: {err}\n")
            return 2
    from gcheck import api

    if api.interrupted():
        stderr.write("gcheck: interrupted: the report above has the findings up to that point\n")
        return 130
    if result.errors:
        return 2
    failing = [f for f in result.findings if f.severity in ("error", "warning")]
    return 1 if failing and not args.exit_zero else 0


class _ctrl_c_stops_search:
    """While checking, a first Ctrl-C (SIGINT) stops the search through the
    explorer's interrupt hook: the report still comes, with what was found
    so far and "bounded by interrupted". A second Ctrl-C quits at once."""

    def __init__(self, stderr):
        self.stderr = stderr
        self.prev = None

    def _handler(self, signum, frame):
        from gcheck import api

        if api.interrupted():
            raise KeyboardInterrupt
        api.request_interrupt()
        self.stderr.write("gcheck: interrupted: stopping the search and reporting what was found "
                          "(Ctrl-C again to quit)\n")

    def __enter__(self):
        import signal

        from gcheck import api

        api.clear_interrupt()
        try:
            self.prev = signal.signal(signal.SIGINT, self._handler)
        except ValueError:  # not the main thread: Ctrl-C keeps its default behaviour
            self.prev = None
        return self

    def __exit__(self, *exc):
        import signal

        if self.prev is not None:
            signal.signal(signal.SIGINT, self.prev)
        return False


def render(result, fmt: str, show_notes: bool = True, show_trace: bool = True) -> str:
    from gcheck.report import json_report, text

    if fmt == "json":
        return json_report.render(result)
    if fmt == "sarif":
        from gcheck.report import sarif

        return sarif.render(result, show_trace=show_trace, show_notes=show_notes)
    if fmt == "github":
        from gcheck.report import github

        return github.render(result, show_notes=False, show_trace=show_trace)
    if fmt == "html":
        from gcheck.report import html

        return html.render(result, show_notes=show_notes)
    return text.render(result, show_notes=show_notes, show_trace=show_trace)


def main() -> int:
    try:
        return run(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("gcheck: interrupted\n")
        return 130
    except BrokenPipeError:  # `gcheck ... | head`: the reader left; not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except BrokenPipeError:  # `gcheck check ... | head`: the reader left; no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # as the Python docs advise, so the exit flush is quiet
        return 1
