"""Expectations embedded in the example corpus (``examples/``).

An example is a directory holding one Go package. Its expectations are
comments at the end of the line where gcheck must report a finding::

    ch <- v // want goroutine-leak
    close(c) // want close-of-closed "closed twice"
    mu.Lock() // want global-deadlock goroutine-leak

Each check id may be followed by a Go string literal (interpreted or raw)
holding a regular expression that the finding's message must match. An
example with no ``// want`` anywhere is expected to be clean.

Oracle directives (comment lines anywhere in the package) steer the runtime
oracle in ``tests/oracle.py``::

    // oracle: skip REASON    the Go runtime cannot show this bug
    // oracle: runs=N         nondeterministic: run the program N times
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

# The check ids of docs/design: an unknown id in a want comment is a typo.
KNOWN_CHECKS = frozenset(
    {
        "global-deadlock",
        "goroutine-leak",
        "ticker-not-stopped",
        "send-on-closed",
        "close-of-closed",
        "close-of-nil",
        "negative-waitgroup",
        "unlock-of-unlocked",
        "runtime-panic",
        "defer-in-loop",
        "substring-retention",
        "subslice-retention",
        "pointer-slice-retention",
        "finalizer-cycle",
    }
)

_CHECK_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_INTERPRETED = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_RAW = re.compile(r"`[^`]*`")
_DIRECTIVE = re.compile(r"^\s*//\s*oracle:\s*(?P<body>.*?)\s*$")
_TEST_FUNC = re.compile(r"^func\s+(Test[A-Z0-9_]\w*|Test)\s*\(\s*\w+\s+\*testing\.T\s*\)", re.M)
_PACKAGE = re.compile(r"^package\s+(\w+)", re.M)


class WantSyntaxError(ValueError):
    """A malformed ``// want`` comment or oracle directive."""


@dataclass(frozen=True)
class Want:
    """One expected finding: ``check`` reported at ``path:line``."""

    path: Path  # absolute path of the .go file
    line: int
    check: str
    regexp: str | None = None

    def rel(self, example_dir: Path) -> str:
        return self.path.relative_to(Path(example_dir).resolve()).as_posix()

    def matches_message(self, message: str) -> bool:
        return self.regexp is None or re.search(self.regexp, message) is not None

    def __str__(self) -> str:
        extra = f" {self.regexp!r}" if self.regexp is not None else ""
        return f"{self.path.name}:{self.line}: {self.check}{extra}"


@dataclass(frozen=True)
class OracleDirectives:
    skip: str | None = None  # reason, when the runtime oracle must not run
    runs: int = 1  # how many times to run a nondeterministic example


def go_files(example_dir: Path) -> list[Path]:
    """The package's .go files, sorted (generated oracle files excluded)."""
    return sorted(
        p
        for p in Path(example_dir).iterdir()
        if p.suffix == ".go" and p.is_file() and not p.name.startswith(("zz_oracle", ".", "_"))
    )


def list_examples(root: Path) -> list[Path]:
    """Every directory under ``root`` (the examples dir, or a repo holding
    ``examples/``) that contains .go files, sorted by path."""
    root = Path(root)
    if (root / "examples").is_dir() and not (root / "go.mod").is_file():
        root = root / "examples"
    found = []
    for d in sorted(p for p in root.rglob("*") if p.is_dir()):
        rel = d.relative_to(root).parts
        if any(part.startswith((".", "_")) or part == "testdata" for part in rel):
            continue
        if go_files(d):
            found.append(d)
    return found


def comment_start(line: str) -> int:
    """Index of a ``//`` comment on a Go source line, or -1 (skips string,
    raw string and rune literals on that line)."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in "\"'":
            i += 1
            while i < n and line[i] != c:
                i += 2 if line[i] == "\\" else 1
        elif c == "`":
            j = line.find("`", i + 1)
            if j < 0:
                return -1
            i = j
        elif line.startswith("//", i):
            return i
        elif line.startswith("/*", i):
            j = line.find("*/", i + 2)
            if j < 0:
                return -1
            i = j + 1
        i += 1
    return -1


def parse_want(text: str, *, where: str = "") -> list[tuple[str, str | None]]:
    """Parse the part of a want comment after ``want``: check ids, each
    optionally followed by a string literal (its message regexp)."""
    out: list[tuple[str, str | None]] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _INTERPRETED.match(text, pos) or _RAW.match(text, pos)
        if m:
            if not out or out[-1][1] is not None:
                raise WantSyntaxError(f"{where}: regexp {m.group()} does not follow a check id")
            lit = m.group()
            regexp = ast.literal_eval(lit) if lit.startswith('"') else lit[1:-1]
            try:
                re.compile(regexp)
            except re.error as e:
                raise WantSyntaxError(f"{where}: bad regexp {lit}: {e}") from None
            out[-1] = (out[-1][0], regexp)
            pos = m.end()
            continue
        m = _CHECK_TOKEN.match(text, pos)
        if not m or (m.end() < len(text) and not text[m.end()].isspace()):
            raise WantSyntaxError(f"{where}: cannot parse want comment at {text[pos:]!r}")
        if m.group() not in KNOWN_CHECKS:
            raise WantSyntaxError(f"{where}: unknown check id {m.group()!r}")
        out.append((m.group(), None))
        pos = m.end()
    if not out:
        raise WantSyntaxError(f"{where}: empty want comment")
    return out


def collect_expectations(example_dir: Path) -> list[Want]:
    """All ``// want`` expectations of the package in ``example_dir``,
    ordered by file and line."""
    wants: list[Want] = []
    for f in go_files(example_dir):
        path = f.resolve()
        for lineno, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            i = comment_start(line)
            if i < 0:
                continue
            comment = line[i + 2 :].strip()
            if not re.match(r"want\b", comment):
                continue
            for check, regexp in parse_want(comment[4:], where=f"{f}:{lineno}"):
                wants.append(Want(path=path, line=lineno, check=check, regexp=regexp))
    return wants


def read_oracle_directives(example_dir: Path) -> OracleDirectives:
    skip: str | None = None
    runs = 1
    for f in go_files(example_dir):
        for lineno, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            m = _DIRECTIVE.match(line)
            if not m:
                continue
            body, where = m.group("body"), f"{f}:{lineno}"
            if body.startswith("skip"):
                skip = body[4:].strip()
                if not skip:
                    raise WantSyntaxError(f"{where}: oracle: skip needs a reason")
            elif r := re.fullmatch(r"runs\s*=\s*(\d+)", body):
                runs = int(r.group(1))
                if runs < 1:
                    raise WantSyntaxError(f"{where}: oracle: runs must be >= 1")
            else:
                raise WantSyntaxError(f"{where}: unknown oracle directive {body!r}")
    return OracleDirectives(skip=skip, runs=runs)


def package_name(example_dir: Path) -> str:
    for f in go_files(example_dir):
        if not f.name.endswith("_test.go"):
            m = _PACKAGE.search(f.read_text(encoding="utf-8"))
            if m:
                return m.group(1)
    for f in go_files(example_dir):
        m = _PACKAGE.search(f.read_text(encoding="utf-8"))
        if m:
            return m.group(1)
    raise WantSyntaxError(f"{example_dir}: no package clause")


def is_main_package(example_dir: Path) -> bool:
    return package_name(example_dir) == "main"


def list_test_functions(example_dir: Path) -> list[str]:
    """Names of the ``func TestXxx(t *testing.T)`` entries, in file order."""
    names: list[str] = []
    for f in go_files(example_dir):
        if f.name.endswith("_test.go"):
            names += _TEST_FUNC.findall(f.read_text(encoding="utf-8"))
    return names


def entry_points(example_dir: Path) -> list[str]:
    """``["main"]`` for a command, else the package's test functions."""
    return ["main"] if is_main_package(example_dir) else list_test_functions(example_dir)
