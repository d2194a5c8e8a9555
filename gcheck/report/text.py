"""Text output: `path:line:col: severity: message [check-id]` like go vet, with
the trace indented under each finding and a closing summary."""

from __future__ import annotations

import os

from gcheck.diagnostics import Result


def _rel(path: str) -> str:
    if not path:
        return path
    try:
        r = os.path.relpath(path)
    except ValueError:
        return path
    return r if not r.startswith("..") else path


def _pos(p) -> str:
    if p is None:
        return "-"
    return f"{_rel(p.file)}:{p.line}:{p.col}"


def _line(p) -> str:
    if p is None:
        return "-"
    return f"{_rel(p.file)}:{p.line}"


def render(result: Result, show_notes: bool = True, show_trace: bool = True) -> str:
    out: list[str] = []
    for f in result.findings:
        out.append(f"{_pos(f.pos)}: {f.severity}: {f.message} [{f.check}]")
        if f.witness:
            out.append("    with " + ", ".join(f"{k}={v}" for k, v in sorted(f.witness.items())))
        if show_trace and f.trace is not None:
            out.extend(_trace(f))
    for e in result.errors:
        out.append(e)
    if show_notes:
        for n in _unique_notes(result):
            out.append(f"{_pos(n.pos)}: note: {n.message}")
    out.append(_summary(result))
    return "\n".join(out) + "\n"


def _trace(f) -> list[str]:
    t = f.trace
    lines = [f"    trace ({f.entry}):"]
    if not t.steps:
        lines.append("      (the initial state)")
    for s in t.steps:
        who = "timer" if s.goroutine < 0 else f"g{s.goroutine}"
        lines.append(f"      {s.n:>3}  {who:<5} {_line(s.pos):<40} {s.what}")
    if t.dump:
        lines.append("    goroutines at the end:")
        for gd in t.dump:
            held = f" (the lock is held by goroutine {gd.waiting_for})" if gd.waiting_for else ""
            lines.append(f"      goroutine {gd.gid} [{gd.status}]:{held}")
            for fr in gd.frames:
                lines.append(f"        {fr.function}(...)")
                lines.append(f"        \t{_line(fr.pos)}")
            if gd.created_at is not None:
                lines.append(f"        created by {gd.created_by or '?'}")
                lines.append(f"        \t{_line(gd.created_at)}")
    if t.summary:
        lines.append(f"    explored: {t.summary}")
    return lines


def _unique_notes(result: Result):
    seen = set()
    for n in result.notes:
        key = (n.message, n.pos.file if n.pos else "", n.pos.line if n.pos else 0)
        if key in seen:
            continue
        seen.add(key)
        yield n


def _summary(result: Result) -> str:
    entries = len(result.stats)
    states = sum(s.states for s in result.stats)
    secs = sum(s.seconds for s in result.stats)
    bounded = [s for s in result.stats if not s.complete]
    if not entries:
        verdict = "nothing explored"
    elif bounded:
        verdict = "bounded: " + "; ".join(f"{s.entry} by {s.bound}" for s in bounded[:5])
        if len(bounded) > 5:
            verdict += f"; and {len(bounded) - 5} more"
    else:
        verdict = "exploration complete"
    extra = ""
    suppressed = len(getattr(result, "suppressed", ()) or ())
    if suppressed:
        extra += f", {suppressed} suppressed"
    hits = getattr(result, "cache_hits", 0)
    if hits:
        extra += f"; {hits} of {getattr(result, 'packages', 0)} package(s) from the cache"
    return (f"gcheck: {len(result.findings)} finding(s), {len(result.errors)} error(s) in "
            f"{result.files} file(s), {entries} entr{'y' if entries == 1 else 'ies'}, "
            f"{states} states, {secs:.2f}s; {verdict}{extra}")
