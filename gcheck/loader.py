"""From command-line paths to packages, like the go tool.

A path is a file, a directory (its .go files) or a `dir/...` pattern (`./...`,
`...`): every package at or below dir. Patterns follow `go list`:

- directories whose name starts with `.` or `_` are skipped, and so are
  `testdata/` and `vendor/` unless asked for (`include_testdata`,
  `include_vendor`);
- `dir/...` does not descend into a nested module (a subdirectory with its
  own go.mod), as `./...` in the go tool stays inside the main module;
- files whose name starts with `.` or `_` are ignored;
- build constraints select files for the target GOOS/GOARCH (default
  linux/amd64): `_GOOS`, `_GOARCH` and `_GOOS_GOARCH` file name suffixes
  (before an optional `_test`), and the `//go:build` expression of the file
  header (or legacy `// +build` lines when there is no `//go:build`). Tags
  that hold: GOOS, GOARCH, `unix` on Unix systems, `linux` for android,
  `solaris` for illumos, `darwin` for ios, `gc`, `go1.1` ... `go1.N` for the
  Go release gcheck models, and the extra `tags`. `cgo` holds only when asked
  (`tags=("cgo",)`); `ignore` never does.
- files named on the command line are taken as they are, constraints and all
  (like `go run gen.go` for an `//go:build ignore` file).

Files are grouped into packages by directory; api.py splits a directory's
files further by package clause (`package foo_test`). The Go version comes
from the nearest go.mod's `go` line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

SKIP_DIRS = {"testdata", "vendor"}

# go/build's syslist.go (Go 1.27)
KNOWN_OS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 "
    "solaris wasip1 windows zos".split()
)
UNIX_OS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris".split()
)
KNOWN_ARCH = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 "
    "mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split()
)
GO_RELEASE = (1, 27)  # the newest release gcheck models: go1.1 ... go1.27 tags hold


@dataclass
class PackageFiles:
    dir: str
    files: list = field(default_factory=list)  # paths, sorted
    ignored: list = field(default_factory=list)  # .go files excluded by build constraints


@dataclass(frozen=True)
class BuildContext:
    goos: str = "linux"
    goarch: str = "amd64"
    tags: tuple = ()
    release: tuple = GO_RELEASE
    include_vendor: bool = False
    include_testdata: bool = False

    def match_tag(self, tag: str) -> bool:
        if tag in self.tags:
            return True
        if tag == self.goos or tag == self.goarch or tag == "gc":
            return True
        if tag == "unix" and self.goos in UNIX_OS:
            return True
        if (tag, self.goos) in (("linux", "android"), ("solaris", "illumos"), ("darwin", "ios")):
            return True
        m = re.fullmatch(r"go1\.(\d+)", tag)
        if m:
            return self.release[0] == 1 and int(m.group(1)) <= self.release[1]
        return False

    def good_os_arch_file(self, name: str) -> bool:
        """go/build's goodOSArchFile: the _GOOS/_GOARCH suffix rules."""
        name = name.split(".", 1)[0]
        i = name.find("_")
        if i < 0:
            return True
        parts = name[i:].split("_")
        if parts and parts[-1] == "test":
            parts = parts[:-1]
        n = len(parts)
        if n >= 2 and parts[n - 2] in KNOWN_OS and parts[n - 1] in KNOWN_ARCH:
            return self.match_tag(parts[n - 2]) and self.match_tag(parts[n - 1])
        if n >= 1 and (parts[n - 1] in KNOWN_OS or parts[n - 1] in KNOWN_ARCH):
            return self.match_tag(parts[n - 1])
        return True


class ConstraintError(ValueError):
    pass


# ---------------------------------------------------------------- //go:build


_TOKEN = re.compile(r"\s*(\(|\)|!|&&|\|\||[A-Za-z0-9_.]+)")


def parse_expr(text: str):
    """A //go:build expression as nested tuples: ("tag", t) | ("not", x) |
    ("and", a, b) | ("or", a, b). Raises ConstraintError."""
    toks: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ConstraintError(f"unexpected {text[pos:].strip()[:10]!r}")
        toks.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    if not toks:
        raise ConstraintError("empty expression")
    i = 0

    def peek():
        return toks[i] if i < len(toks) else None

    def take():
        nonlocal i
        t = peek()
        i += 1
        return t

    def or_():
        x = and_()
        while peek() == "||":
            take()
            x = ("or", x, and_())
        return x

    def and_():
        x = not_()
        while peek() == "&&":
            take()
            x = ("and", x, not_())
        return x

    def not_():
        if peek() == "!":
            take()
            return ("not", not_())
        return atom()

    def atom():
        t = take()
        if t == "(":
            x = or_()
            if take() != ")":
                raise ConstraintError("missing )")
            return x
        if t is None or t in (")", "&&", "||", "!"):
            raise ConstraintError(f"unexpected {t or 'end of line'}")
        return ("tag", t)

    x = or_()
    if i != len(toks):
        raise ConstraintError(f"unexpected {toks[i]}")
    return x


def eval_expr(x, ctx: BuildContext) -> bool:
    kind = x[0]
    if kind == "tag":
        return ctx.match_tag(x[1])
    if kind == "not":
        return not eval_expr(x[1], ctx)
    if kind == "and":
        return eval_expr(x[1], ctx) and eval_expr(x[2], ctx)
    return eval_expr(x[1], ctx) or eval_expr(x[2], ctx)


def _plus_build(line: str, ctx: BuildContext) -> bool:
    """One legacy `// +build` line: space = or, comma = and, ! = not."""
    for alt in line.split():
        ok = True
        for term in alt.split(","):
            neg = term.startswith("!")
            t = term.lstrip("!")
            if not t or not re.fullmatch(r"[A-Za-z0-9_.]+", t):
                raise ConstraintError(f"bad +build term {term!r}")
            if ctx.match_tag(t) == neg:
                ok = False
        if ok:
            return True
    return False


def header_constraints(src: str) -> tuple[tuple[int, str] | None, list[tuple[int, str]]]:
    """The //go:build line (line number, expression) and the // +build lines
    of a file's header: the comments before the package clause."""
    go_build = None
    plus: list[tuple[int, str]] = []
    in_block = False
    for n, raw in enumerate(src.splitlines(), 1):
        line = raw.strip()
        if in_block:
            if "*/" in line:
                in_block = False
                rest = line.split("*/", 1)[1].strip()
                if rest and not rest.startswith("//"):
                    break
            continue
        if not line:
            continue
        if line.startswith("//"):
            body = line[2:]
            if body.startswith("go:build") and (len(body) == 8 or body[8] in " \t"):
                if go_build is None:
                    go_build = (n, body[8:].strip())
            elif body.strip().startswith("+build") and body.strip()[6:7] in ("", " ", "\t"):
                plus.append((n, body.strip()[6:].strip()))
            continue
        if line.startswith("/*"):
            if "*/" not in line[2:]:
                in_block = True
            continue
        break  # the package clause (or anything else) ends the header
    return go_build, plus


def file_matches(path: str, ctx: BuildContext, src: str | None = None) -> bool:
    """Whether the go tool would compile this file for ctx. Raises
    ConstraintError (message with the line) for a malformed //go:build."""
    if not ctx.good_os_arch_file(os.path.basename(path)):
        return False
    if src is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                src = f.read(64 * 1024)
        except OSError:
            return True  # the parser reports the unreadable file
    go_build, plus = header_constraints(src)
    if go_build is not None:
        line, expr = go_build
        try:
            return eval_expr(parse_expr(expr), ctx)
        except ConstraintError as e:
            raise ConstraintError(f"{path}:{line}:1: malformed //go:build line: {e}") from None
    for line, text in plus:
        try:
            if not _plus_build(text, ctx):
                return False
        except ConstraintError as e:
            raise ConstraintError(f"{path}:{line}:1: malformed // +build line: {e}") from None
    return True


# ---------------------------------------------------------------- walking


def expand(paths: list[str], ctx: BuildContext | None = None) -> tuple[list[PackageFiles], list[str]]:
    """Packages named by paths, and errors for paths that name nothing."""
    ctx = ctx or BuildContext()
    by_dir: dict[str, list[str]] = {}
    ignored: dict[str, list[str]] = {}
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
        excluded_only = False
        for d, files in _walk(base, recursive, ctx):
            good = []
            for f in files:
                try:
                    if file_matches(f, ctx):
                        good.append(f)
                    else:
                        ignored.setdefault(d, []).append(f)
                except ConstraintError as e:
                    errors.append(str(e))
            if good:
                found = True
                by_dir.setdefault(d, []).extend(good)
            elif files:
                excluded_only = True
        if not found:
            if excluded_only and not recursive:
                errors.append(f"{p}:1:1: build constraints exclude all Go files in {base} "
                              f"(GOOS={ctx.goos} GOARCH={ctx.goarch})")
            elif excluded_only:
                errors.append(f"{p}:1:1: matched no packages (build constraints exclude all Go files "
                              f"for GOOS={ctx.goos} GOARCH={ctx.goarch})")
            else:
                errors.append(f"{p}:1:1: no Go files found")
    pkgs = []
    for d in sorted(by_dir):
        files = sorted(set(by_dir[d]))
        pkgs.append(PackageFiles(d, files, sorted(set(ignored.get(d, [])))))
    return pkgs, errors


def _go_files(d: str, names) -> list[str]:
    return [os.path.join(d, f) for f in sorted(names)
            if f.endswith(".go") and not f.startswith((".", "_")) and os.path.isfile(os.path.join(d, f))]


def _walk(base: str, recursive: bool, ctx: BuildContext):
    if not recursive:
        yield base, _go_files(base, os.listdir(base))
        return
    skip = set()
    if not ctx.include_testdata:
        skip.add("testdata")
    if not ctx.include_vendor:
        skip.add("vendor")
    for d, dirs, files in os.walk(base):
        keep = []
        for x in sorted(dirs):
            if x in skip or x.startswith((".", "_")):
                continue
            if os.path.isfile(os.path.join(d, x, "go.mod")):
                continue  # a nested module is not part of this module's ./...
            keep.append(x)
        dirs[:] = keep
        yield d, _go_files(d, files)


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
