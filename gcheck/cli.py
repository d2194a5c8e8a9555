"""Command line: argument parsing only. run(argv, stdout, stderr) -> exit code.

Exit codes: 0 clean, 1 findings, 2 errors (bad input, bad usage).
"""

from __future__ import annotations

import argparse
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
    c.add_argument("--max-states", type=int, default=200_000)
    c.add_argument("--max-depth", type=int, default=5_000)
    c.add_argument("--timeout", type=float, default=60.0, help="seconds per entry")
    c.add_argument("--max-memory", type=int, default=4096, help="MB per entry")
    c.add_argument("--go-version", help="Go version for timer semantics (default: go.mod's go line)")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--no-trace", action="store_true", help="findings only, without traces")
    c.add_argument("--no-notes", action="store_true", help="hide notes on abstracted constructs")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")

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
    _parser().print_help(stdout)
    return 2


def _check(args, stdout, stderr) -> int:
    from gcheck.api import Options, check_paths
    from gcheck.report import json_report, text
    from gcheck.solver.search import Limits

    version = None
    if args.go_version:
        try:
            major, minor = args.go_version.removeprefix("go").split(".")[:2]
            version = (int(major), int(minor))
        except ValueError:
            stderr.write(f"gcheck: bad --go-version {args.go_version!r} (want e.g. 1.22)\n")
            return 2
    limits = Limits(args.max_states, args.max_depth, args.timeout, args.max_memory)
    result = check_paths(args.paths, Options(args.entry, limits, version))
    if args.format == "json":
        stdout.write(json_report.render(result))
    else:
        stdout.write(text.render(result, show_notes=not args.no_notes, show_trace=not args.no_trace))
    if result.errors:
        return 2
    return 1 if result.findings and not args.exit_zero else 0


def main() -> int:
    try:
        return run(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("gcheck: interrupted\n")
        return 130
