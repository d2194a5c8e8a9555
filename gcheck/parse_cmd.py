"""`gcheck parse PATH... [--dump]`: parse Go files and report syntax errors.

Useful on its own to check that gcheck understands a code base before
checking it, and as the front end's smoke test. Paths are files, directories
(their .go files) or Go-style `dir/...` patterns (recursive).
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import TextIO

from gcheck import goast
from gcheck.errors import GcheckError
from gcheck.syntax import parse_file, tables

# Directories a `dir/...` pattern does not descend into, as in the go tool.
_SKIP_DIRS = ("testdata", "vendor")


def _skipped_dir(name: str) -> bool:
    return name in _SKIP_DIRS or name.startswith(".") or name.startswith("_")


def _go_files_in(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names
            if n.endswith(".go") and os.path.isfile(os.path.join(directory, n))]


def _go_files_under(root: str) -> list[str]:
    found: list[str] = []
    for d, dirs, _files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not _skipped_dir(x))
        found.extend(_go_files_in(d))
    return found


def expand_paths(paths: list[str], stderr: TextIO) -> tuple[list[str], int]:
    """The Go files named by paths, and how many paths named none (reported)."""
    files: list[str] = []
    problems = 0
    for p in paths:
        if p == "..." or p.endswith("/..."):
            root = p[:-3].rstrip("/") or "."
            if not os.path.isdir(root):
                stderr.write(f"{p}: no such directory\n")
                problems += 1
                continue
            more = _go_files_under(root)
        elif os.path.isdir(p):
            more = _go_files_in(p)
        elif os.path.exists(p):
            more = [p]
        else:
            stderr.write(f"{p}: no such file or directory\n")
            problems += 1
            continue
        if not more:
            stderr.write(f"{p}: no Go files\n")
            problems += 1
        files.extend(more)
    return files, problems


def run_parse(paths: list[str], dump: bool, stdout: TextIO, stderr: TextIO) -> int:
    """Parse all Go files named by paths; exit code 0 if all parsed, else 2."""
    if not paths:
        stderr.write("gcheck parse: no paths given\n")
        return 2
    files, problems = expand_paths(paths, stderr)
    try:
        tables()  # build or load the parser before timing
    except Exception as e:  # pragma: no cover - broken installation
        stderr.write(f"gcheck parse: cannot load the Go grammar: {e}\n")
        return 2
    errors = lines = 0
    t0 = time.perf_counter()
    for path in files:
        try:
            tree = parse_file(path)
        except GcheckError as e:
            stderr.write(f"{e}\n")
            errors += 1
            lines += _count_lines(path)
            continue
        lines += tree.lines
        if dump:
            stdout.write(dump_tree(tree))
    elapsed = time.perf_counter() - t0
    rate = lines / elapsed if elapsed > 0 else 0.0
    stdout.write(f"parsed {len(files)} files, {lines} lines, {errors} errors "
                 f"in {elapsed:.2f}s ({rate:.0f} lines/s)\n")
    return 2 if errors or problems or not files else 0


def _count_lines(path: str) -> int:
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except OSError:
        return 0


# ---------------------------------------------------------------- --dump


def _head(node: goast.Node) -> str:
    """One line for a node: its kind, its scalar fields and its position."""
    name = type(node).__name__
    pos = f"@{node.pos.line}:{node.pos.col}"
    if isinstance(node, goast.Ident):
        return f"Ident {node.name} {pos}"
    if isinstance(node, goast.BasicLit):
        return f"BasicLit {node.kind} {node.value} {pos}"
    if isinstance(node, goast.Comment):
        return f"Comment {node.text} {pos}"
    parts = [name]
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if f.name == "pos" or isinstance(v, (goast.Node, tuple)) or v is None:
            continue
        if isinstance(v, goast.Pos):
            v = f"{v.line}:{v.col}"
        parts.append(f"{f.name}={v}")
    parts.append(pos)
    return " ".join(parts)


def dump_tree(tree: goast.File) -> str:
    """An indented, readable listing of a syntax tree (iterative: any depth)."""
    out: list[str] = []
    stack: list[tuple[int, str, goast.Node]] = [(0, "", tree)]
    while stack:
        depth, label, node = stack.pop()
        out.append(f"{'  ' * depth}{label}{_head(node)}")
        children: list[tuple[int, str, goast.Node]] = []
        for f in dataclasses.fields(node):
            if f.name == "comments":
                continue
            v = getattr(node, f.name)
            if isinstance(v, goast.Node):
                children.append((depth + 1, f"{f.name}: ", v))
            elif isinstance(v, tuple):
                for i, item in enumerate(v):
                    if isinstance(item, goast.Node):
                        children.append((depth + 1, f"{f.name}[{i}]: ", item))
        stack.extend(reversed(children))
    return "\n".join(out) + "\n"
