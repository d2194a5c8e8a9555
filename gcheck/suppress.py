"""Suppression comments, in the style of Go linters:

    ch <- v //gcheck:ignore goroutine-leak the caller always drains ch (see Run)

    //gcheck:ignore global-deadlock,goroutine-leak reviewed: fixed by the server's shutdown path
    mu.Lock()

A `//gcheck:ignore` comment names one or more check ids (comma separated) and
then a reason, which is required. A comment at the end of a line suppresses
those checks' findings on that line; a comment alone on its line suppresses
them on the next line (and on its own line, where there is nothing else).

- A comment without a reason, with an unknown check id, or another
  `//gcheck:` directive that gcheck does not know is a `bad-suppression`
  finding (an error): it suppresses nothing.
- A check id of a comment that suppressed no finding is an
  `unused-suppression` warning, when the check ran completely on the package
  (enabled, every entry explored, no bound hit): otherwise the finding may
  simply not have been reached.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from gcheck.diagnostics import Finding

PREFIX = "//gcheck:"
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Directive:
    pos: object  # goast.Pos of the comment
    ids: tuple  # check ids
    reason: str
    lines: tuple  # the lines it covers


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    reason: str
    directive: object  # goast.Pos of the comment


def _alone_on_line(path: str, line: int, col: int, cache: dict) -> bool:
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                cache[path] = f.read().split("\n")
        except OSError:
            cache[path] = None
    lines = cache[path]
    if not lines or not (1 <= line <= len(lines)):
        return col <= 1
    return lines[line - 1].encode("utf-8")[: max(col - 1, 0)].strip() == b""


def parse(files, known_ids) -> tuple[list[Directive], list[Finding]]:
    """The suppression directives of parsed files, and bad-suppression findings."""
    directives: list[Directive] = []
    bad: list[Finding] = []
    cache: dict = {}
    for f in files:
        for c in getattr(f, "directives", ()) or ():
            text = c.text
            if not text.startswith(PREFIX):
                continue
            verb, _, rest = text[len(PREFIX):].partition(" ")
            verb = verb.strip()
            rest = rest.strip()
            if verb != "ignore":
                bad.append(Finding("bad-suppression", "error", c.pos,
                                   f"unknown gcheck directive //gcheck:{verb}: want "
                                   "//gcheck:ignore CHECK-ID reason", ""))
                continue
            ids_text, _, reason = rest.partition(" ")
            reason = reason.strip()
            ids = tuple(i.strip() for i in ids_text.split(",") if i.strip())
            if not ids:
                bad.append(Finding("bad-suppression", "error", c.pos,
                                   "//gcheck:ignore needs a check id and a reason: "
                                   "//gcheck:ignore CHECK-ID reason", ""))
                continue
            unknown = [i for i in ids if i not in known_ids or not _ID.match(i)]
            if unknown:
                bad.append(Finding("bad-suppression", "error", c.pos,
                                   f"//gcheck:ignore names unknown check id(s) {', '.join(unknown)} "
                                   "(`gcheck explain` lists them): nothing is suppressed", ""))
                continue
            if not reason:
                bad.append(Finding("bad-suppression", "error", c.pos,
                                   f"//gcheck:ignore {','.join(ids)} needs a reason after the check id "
                                   "(why the finding is acceptable): nothing is suppressed", ""))
                continue
            line = c.pos.line
            covered = (line, line + 1) if _alone_on_line(c.pos.file, line, c.pos.col, cache) else (line,)
            directives.append(Directive(c.pos, ids, reason, covered))
    return directives, bad


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path)) if path else ""


def apply(findings: list, directives: list[Directive], complete) -> tuple[list, list[Suppressed], list[Finding]]:
    """Split findings into (kept, suppressed) and report unused directives.

    complete(check_id) -> bool says whether that check ran completely on the
    package, so that a directive that matched nothing is really unused."""
    index: dict = {}
    for d in directives:
        for line in d.lines:
            for cid in d.ids:
                index.setdefault((_norm(d.pos.file), line, cid), []).append(d)
    used: set = set()
    kept, suppressed = [], []
    for f in findings:
        ds = index.get((_norm(f.pos.file), f.pos.line, f.check))
        if ds:
            d = ds[0]
            used.add((d, f.check))
            suppressed.append(Suppressed(f, d.reason, d.pos))
        else:
            kept.append(f)
    unused = []
    for d in directives:
        for cid in d.ids:
            if (d, cid) not in used and complete(cid):
                unused.append(Finding("unused-suppression", "warning", d.pos,
                                      f"//gcheck:ignore {cid} suppresses no finding: remove it (the "
                                      f"finding it was written for is gone or has moved)", ""))
    return kept, suppressed, unused
