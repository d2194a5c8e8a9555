"""Counterexample traces as SVG sequence diagrams (`--trace-svg DIR`, and the
pictures of `--format html`).

Each goroutine of the trace (or of the goroutine dump at its end) is a
lifeline, in goroutine order, the runtime's timers last; time runs down, one
row per step. A step is a dot on its goroutine's lifeline, labelled with the
step number and the Go operation. Arrows:

- solid: an unbuffered hand-off (a joint step: the sender's step says
  "received by goroutine N"), exact;
- dashed: a happens-before edge inferred from the Go text of two steps of
  different goroutines: a buffered send `X <- v` to the next receive `<-X`,
  `close(X)` to the next receive from X, and `M.Unlock()` to the next
  `M.Lock()`/`M.RLock()` with the same receiver text. These are labelled as
  inferred: the trace does not carry object identities.

At the bottom each goroutine still alive at the end is marked with its state
(a red cross and the operation it is blocked in, with its position). The
SVG is self-contained (no scripts, no external fonts) and deterministic.
"""

from __future__ import annotations

import os
import re
from html import escape

COL_W = 230
ROW_H = 30
TOP = 70
LEFT = 20
FONT = "font-family:DejaVu Sans Mono,Menlo,Consolas,monospace;font-size:11px"


def _short(path: str) -> str:
    return os.path.basename(path) if path else "-"


def _lifelines(trace) -> list[int]:
    gids = {s.goroutine for s in trace.steps} | {g.gid for g in trace.dump}
    return sorted(gids, key=lambda g: (g < 0, g))


def _names(trace) -> dict[int, str]:
    names = {}
    for g in trace.dump:
        if g.frames:
            names[g.gid] = g.frames[-1].function  # outermost frame: the goroutine's function
    return names


_SEND = re.compile(r"^\s*([\w.\[\]()*]+)\s*<-")
_RECV = re.compile(r"<-\s*([\w.\[\]()*]+)")
_CLOSE = re.compile(r"^close\(\s*([\w.\[\]()*]+)\s*\)")
_UNLOCK = re.compile(r"^([\w.\[\]()*]+)\.(?:Unlock|RUnlock)\(\)")
_LOCK = re.compile(r"^([\w.\[\]()*]+)\.(?:Lock|RLock)\(\)")
_PARTNER = re.compile(r"received by goroutine (\d+)")


def _arrows(trace) -> list[tuple[int, int, int, int, bool]]:
    """(from step index, from gid, to step index, to gid, exact)."""
    steps = trace.steps
    out = []
    for i, s in enumerate(steps):
        m = _PARTNER.search(s.what)
        if m:
            out.append((i, s.goroutine, i, int(m.group(1)), True))
            continue
        for pat, nxt in ((_SEND, (_RECV,)), (_CLOSE, (_RECV,)), (_UNLOCK, (_LOCK,))):
            m = pat.search(s.what) if pat is _SEND else pat.match(s.what)
            if not m or (pat is _SEND and "received by" in s.what):
                continue
            obj = m.group(1)
            for j in range(i + 1, len(steps)):
                t = steps[j]
                if t.goroutine == s.goroutine or t.goroutine < 0:
                    continue
                if any((q.search(t.what) if q is _RECV else q.match(t.what)) and
                       (q.search(t.what) if q is _RECV else q.match(t.what)).group(1) == obj for q in nxt):
                    out.append((i, s.goroutine, j, t.goroutine, False))
                    break
            break
    return out


def render(finding) -> str:
    """One finding's trace as an SVG document (a string)."""
    t = finding.trace
    lanes = _lifelines(t)
    if not lanes:
        lanes = [1]
    x = {g: LEFT + COL_W * k + COL_W // 2 for k, g in enumerate(lanes)}
    names = _names(t)
    n = len(t.steps)
    alive = [g for g in t.dump]
    bottom = TOP + ROW_H * (n + 1)
    height = bottom + (70 if alive else 20) + 24
    width = LEFT * 2 + COL_W * len(lanes) + 120  # room for the last lifeline's labels
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="trace of {escape(finding.check)}">',
           "<defs>",
           '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f4e9c"/></marker>',
           '<marker id="arrow-inferred" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a7a7a"/></marker>',
           "</defs>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{LEFT}" y="18" style="{FONT};font-size:12px;font-weight:bold">'
           f'{escape(finding.check)}: {escape(_short(finding.pos.file))}:{finding.pos.line} '
           f'(entry {escape(finding.entry or "-")})</text>']
    for g in lanes:
        label = "timers" if g < 0 else f"goroutine {g}"
        sub = "" if g < 0 else names.get(g, "")
        out.append(f'<g class="lifeline" data-goroutine="{g}">')
        out.append(f'<rect x="{x[g] - COL_W // 2 + 8}" y="28" width="{COL_W - 16}" height="32" rx="4" '
                   f'fill="#eef3fb" stroke="#1f4e9c"/>')
        out.append(f'<text x="{x[g]}" y="42" text-anchor="middle" style="{FONT};font-weight:bold">'
                   f'{escape(label)}</text>')
        if sub:
            out.append(f'<text x="{x[g]}" y="55" text-anchor="middle" style="{FONT};font-size:9px">'
                       f'{escape(sub[:34])}</text>')
        out.append(f'<line x1="{x[g]}" y1="60" x2="{x[g]}" y2="{bottom}" stroke="#9aa9c2" '
                   f'stroke-dasharray="{"2,3" if g < 0 else "0"}"/>')
        out.append("</g>")
    for i, s in enumerate(t.steps):
        y = TOP + ROW_H * (i + 1)
        g = s.goroutine if s.goroutine in x else lanes[0]
        where = f"{_short(s.pos.file)}:{s.pos.line}" if s.pos else "-"
        text = f"{s.n}. {s.what}"
        m = _PARTNER.search(s.what)
        label = f"{s.n}. {s.what[:m.start()].rstrip(': ')} → g{m.group(1)}" if m else text
        shown = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<g class="step" data-step="{s.n}" data-goroutine="{s.goroutine}">'
                   f"<title>{escape(text)} ({escape(where)})</title>"
                   f'<circle cx="{x[g]}" cy="{y}" r="4.5" fill="#1f4e9c"/>'
                   f'<text x="{x[g] + 8}" y="{y - 6}" style="{FONT}">{escape(shown)}</text>'
                   f'<text x="{x[g] + 8}" y="{y + 7}" style="{FONT};font-size:9px;fill:#666">'
                   f"{escape(where)}</text></g>")
    for (i, ga, j, gb, exact) in _arrows(t):
        if ga not in x or gb not in x or ga == gb:
            continue
        y1 = TOP + ROW_H * (i + 1)
        y2 = TOP + ROW_H * (j + 1)
        x1 = x[ga] + (5 if x[gb] > x[ga] else -5)
        x2 = x[gb] + (-6 if x[gb] > x[ga] else 6)
        style = ('stroke="#1f4e9c" stroke-width="1.6" marker-end="url(#arrow)"' if exact else
                 'stroke="#7a7a7a" stroke-width="1.2" stroke-dasharray="5,3" marker-end="url(#arrow-inferred)"')
        kind = "hand-off" if exact else "inferred happens-before"
        out.append(f'<line class="arrow {"exact" if exact else "inferred"}" x1="{x1}" y1="{y1}" x2="{x2}" '
                   f'y2="{y2}" {style}><title>{kind}: step {i + 1} → step {j + 1}</title></line>')
    for g in alive:
        if g.gid not in x:
            continue
        y = bottom + 18
        where = f"{_short(g.frames[0].pos.file)}:{g.frames[0].pos.line}" if g.frames and g.frames[0].pos else ""
        held = f" (the lock is held by goroutine {g.waiting_for})" if getattr(g, "waiting_for", 0) else ""
        out.append(f'<g class="blocked" data-goroutine="{g.gid}"><title>goroutine {g.gid} [{escape(g.status)}] '
                   f"{escape(where)}{escape(held)}</title>"
                   f'<path d="M{x[g.gid] - 7},{y - 7} L{x[g.gid] + 7},{y + 7} M{x[g.gid] + 7},{y - 7} '
                   f'L{x[g.gid] - 7},{y + 7}" stroke="#c0392b" stroke-width="3"/>'
                   f'<text x="{x[g.gid]}" y="{y + 24}" text-anchor="middle" style="{FONT};fill:#c0392b">'
                   f"{escape(g.status[:30])}{escape(f' (held by g{g.waiting_for})' if held else '')}</text>"
                   f'<text x="{x[g.gid]}" y="{y + 37}" text-anchor="middle" style="{FONT};font-size:9px;'
                   f'fill:#c0392b">{escape(where)}</text></g>')
    if not t.steps:
        out.append(f'<text x="{LEFT}" y="{TOP + 10}" style="{FONT};fill:#666">(the initial state)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def file_name(k: int, finding) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{_short(finding.pos.file)}_{finding.pos.line}")
    return f"{k:03d}-{finding.check}-{base}.svg"


def write_dir(result, directory: str) -> list[str]:
    """One SVG per finding with a trace; returns the paths written."""
    os.makedirs(directory, exist_ok=True)
    written = []
    k = 0
    for f in result.findings:
        if f.trace is None:
            continue
        k += 1
        p = os.path.join(directory, file_name(k, f))
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(render(f))
        written.append(p)
    return written
