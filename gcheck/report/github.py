"""GitHub Actions workflow commands (`--format github`).

One annotation per finding:
`::error file=PATH,line=L,col=C,title=gcheck CHECK-ID::MESSAGE` (`::warning`
for warnings, `::notice` for notes); the trace follows the message on
continuation lines (encoded as %0A, as the runner expects), errors become
`::error` annotations too, and the closing summary line is printed as plain
log text. Paths are relative to the working directory (the checkout root in a
workflow), which is what annotations need.
"""

from __future__ import annotations

import re

from gcheck.diagnostics import Result
from gcheck.report.text import _line, _rel, _summary, _unique_notes

_CMD = {"error": "error", "warning": "warning", "note": "notice", "info": "notice"}
_ERR = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.S)


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def _cmd(kind: str, path: str | None, line: int, col: int, title: str, message: str) -> str:
    props = []
    if path:
        props.append(f"file={_prop(_rel(path))}")
        if line > 0:
            props.append(f"line={line}")
        if col > 0:
            props.append(f"col={col}")
    props.append(f"title={_prop(title)}")
    return f"::{kind} {','.join(props)}::{_data(message)}"


def render(result: Result, show_notes: bool = False, show_trace: bool = True) -> str:
    out: list[str] = []
    for f in result.findings:
        body = [f.message]
        if f.witness:
            body.append("with " + ", ".join(f"{k}={v}" for k, v in sorted(f.witness.items())))
        if show_trace and f.trace is not None and (f.trace.steps or f.trace.dump):
            body.append(f"trace ({f.entry}):")
            for s in f.trace.steps:
                who = "timer" if s.goroutine < 0 else f"g{s.goroutine}"
                body.append(f"  {s.n:>3} {who:<5} {_line(s.pos)} {s.what}")
            for gd in f.trace.dump:
                where = _line(gd.frames[0].pos) if gd.frames else "-"
                body.append(f"  goroutine {gd.gid} [{gd.status}] at {where}")
        out.append(_cmd(_CMD.get(f.severity, "warning"), f.pos.file, f.pos.line, f.pos.col,
                        f"gcheck {f.check}", "\n".join(body)))
    for e in result.errors:
        m = _ERR.match(e)
        if m:
            out.append(_cmd("error", m.group("file"), int(m.group("line")), int(m.group("col")),
                            "gcheck error", m.group("msg")))
        else:
            out.append(_cmd("error", None, 0, 0, "gcheck error", e))
    if show_notes:
        for n in _unique_notes(result):
            p = n.pos
            out.append(_cmd("notice", p.file if p else None, p.line if p else 0, p.col if p else 0,
                            "gcheck note", n.message))
    out.append(_summary(result))
    return "\n".join(out) + "\n"
