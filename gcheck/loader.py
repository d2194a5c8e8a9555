"""From command-line paths to packages, like the go tool.

A path is a file, a directory (its .go files) or a `dir/...` pattern (every
package below, skipping testdata/, vendor/ and dot/underscore dirs). Files
are grouped into packages by directory and package clause. The Go version
comes from the nearest go.mod's `go` line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

SKIP_DIRS = {"testdata", "vendor"}


@dataclass
class PackageFiles:
    dir: str
    files: list = field(default_factory=list)  # paths, sorted


def expand(paths: list[str]) -> tuple[list[PackageFiles], list[str]]:
    """Packages named by paths, and errors for paths that name nothing."""
    by_dir: dict[str, list[str]] = {}
    errors: list[str] = []
    for p in paths:
        recursive = p.endswith("/...") or p == "..."
        base = p[:-4] if p.endswith("/...") else ("." if p == "..." else p)
        base = base or "."
        if not os.path.exists(base):
            errors.append(f"{p}:1:1: no such file or directory")
            continue
        if os.path.isfile(base):
            if not base.endswith(".go"):
                errors.append(f"{p}:1:1: not a Go file (want a .go file, a directory or dir/...)")
                continue
            by_dir.setdefault(os.path.dirname(base) or ".", []).append(base)
            continue
        found = False
        for d, files in _walk(base, recursive):
            if files:
                found = True
                by_dir.setdefault(d, []).extend(files)
        if not found:
            errors.append(f"{p}:1:1: no Go files found")
    pkgs = []
    for d in sorted(by_dir):
        files = sorted(set(by_dir[d]))
        pkgs.append(PackageFiles(d, files))
    return pkgs, errors


def _walk(base: str, recursive: bool):
    if not recursive:
        yield base, [os.path.join(base, f) for f in sorted(os.listdir(base))
                     if f.endswith(".go") and os.path.isfile(os.path.join(base, f))]
        return
    for d, dirs, files in os.walk(base):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not x.startswith((".", "_")))
        yield d, [os.path.join(d, f) for f in sorted(files) if f.endswith(".go")]


_GO_LINE = re.compile(r"^go\s+(\d+)\.(\d+)", re.M)


def go_version(directory: str) -> tuple[tuple[int, int], str | None]:
    """The `go` line of the nearest go.mod at or above directory (default 1.27)."""
    d = os.path.abspath(directory)
    while True:
        mod = os.path.join(d, "go.mod")
        if os.path.isfile(mod):
            try:
                with open(mod, encoding="utf-8", errors="replace") as f:
                    m = _GO_LINE.search(f.read())
            except OSError:
                m = None
            if m:
                return (int(m.group(1)), int(m.group(2))), mod
            return (1, 27), mod
        parent = os.path.dirname(d)
        if parent == d:
            return (1, 27), None
        d = parent
