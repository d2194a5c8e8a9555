"""`--format html`: one self-contained page (inline CSS and SVG, no scripts,
no network): per finding its message, the trace as a sequence diagram
(gcheck/report/seqdiag.py), the steps as a table and the goroutine dump;
then errors, notes and the summary line."""

from __future__ import annotations

from html import escape

from gcheck import __version__
from gcheck.diagnostics import Result
from gcheck.report import seqdiag
from gcheck.report.text import _line, _pos, _summary, _unique_notes

CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.finding { border: 1px solid #ccd5e3; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.error { border-left: 6px solid #c0392b; } .warning { border-left: 6px solid #e39b20; }
.note { border-left: 6px solid #7a7a7a; }
.check { font-weight: bold; } .where { font-family: monospace; color: #555; }
table { border-collapse: collapse; font-family: monospace; font-size: 12px; margin: 8px 0; }
td, th { border: 1px solid #dde; padding: 2px 8px; text-align: left; }
pre { background: #f6f8fa; padding: 8px; font-size: 12px; overflow-x: auto; }
.diagram { overflow-x: auto; margin: 8px 0; }
.summary { font-family: monospace; margin-top: 24px; }
"""


def _finding(k: int, f, show_trace: bool) -> list[str]:
    out = [f'<section class="finding {escape(f.severity)}" id="finding-{k}">',
           f'<div><span class="check">[{escape(f.check)}]</span> {escape(f.severity)}: {escape(f.message)}</div>',
           f'<div class="where">{escape(_pos(f.pos))} — entry {escape(f.entry or "-")}</div>']
    if f.witness:
        out.append("<div>with " + escape(", ".join(f"{a}={b}" for a, b in sorted(f.witness.items()))) + "</div>")
    t = f.trace
    if show_trace and t is not None:
        out.append(f'<div class="diagram">{seqdiag.render(f)}</div>')
        if t.steps:
            out.append("<table><tr><th>#</th><th>who</th><th>where</th><th>what</th></tr>")
            for s in t.steps:
                who = "timer" if s.goroutine < 0 else f"g{s.goroutine}"
                out.append(f"<tr><td>{s.n}</td><td>{who}</td><td>{escape(_line(s.pos))}</td>"
                           f"<td>{escape(s.what)}</td></tr>")
            out.append("</table>")
        if t.dump:
            dump = []
            for gd in t.dump:
                dump.append(f"goroutine {gd.gid} [{gd.status}]:")
                for fr in gd.frames:
                    dump += [f"    {fr.function}(...)", f"        {_line(fr.pos)}"]
                if gd.created_at is not None:
                    dump += [f"    created by {gd.created_by or '?'}", f"        {_line(gd.created_at)}"]
            out.append("<pre>" + escape("\n".join(dump)) + "</pre>")
        if t.summary:
            out.append(f"<div class=\"where\">explored: {escape(t.summary)}</div>")
    out.append("</section>")
    return out


def render(result: Result, show_notes: bool = True, show_trace: bool = True) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>gcheck report: {len(result.findings)} finding(s)</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>gcheck {escape(__version__)}: {len(result.findings)} finding(s)</h1>"]
    for k, f in enumerate(result.findings, 1):
        out += _finding(k, f, show_trace)
    if result.errors:
        out.append("<h2>Errors</h2><pre>" + escape("\n".join(result.errors)) + "</pre>")
    if show_notes:
        notes = [f"{_pos(n.pos)}: note: {n.message}" for n in _unique_notes(result)]
        if notes:
            out.append("<h2>Notes</h2><pre>" + escape("\n".join(notes)) + "</pre>")
    out.append(f'<div class="summary">{escape(_summary(result))}</div>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
