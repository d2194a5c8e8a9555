"""SARIF 2.1.0 output (`--format sarif`): one run, gcheck as tool.driver.

- `tool.driver.rules`: every check id gcheck can report, with its
  documentation (gcheck/checks/docs.py, the pages of `gcheck explain`, via
  gcheck/report/rules.py) as fullDescription and help (text and markdown),
  and its default level.
- One `result` per finding: ruleId/ruleIndex, level, message, the location,
  and a `partialFingerprints["gcheckFinding/v1"]` that does not change when
  unrelated lines move.
- The trace is one `codeFlow` holding **one threadFlow per goroutine**
  (`id` "g1", "g2", ...; the runtime's timers are the threadFlow "timers").
  Every step is a threadFlowLocation whose `executionOrder` is the step
  number, so the interleaving across goroutines is exact: sorting all
  locations of the codeFlow by executionOrder gives the trace in step order.
  Each step's `location.message` names the goroutine and the Go operation
  ("g2: ch <- v"). Per-goroutine flows (rather than one flow in step order)
  keep SARIF's thread semantics, so viewers that understand threadFlows show
  each goroutine's own path; executionOrder restores the interleaving.
- The goroutine dump at the end is `result.stacks` (one stack per goroutine,
  innermost frame first, the creation site as the last frame).
- Errors become `invocations[0].toolExecutionNotifications` (level error) and
  `executionSuccessful` is false when there are any; notes on abstracted
  constructs become notifications of level note.
- Paths relative to the working directory are written as relative URIs
  against `%SRCROOT%` (given in `originalUriBaseIds`); others as file: URIs.
  Columns are converted from gcheck's byte columns to UTF-16 code units
  (SARIF's default columnKind) when the file can be read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from gcheck import __version__
from gcheck.diagnostics import Result
from gcheck.report.rules import all_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "note": "note", "info": "note"}


class _Files:
    def __init__(self, root: str):
        self.root = root
        self.lines: dict[str, list[bytes] | None] = {}

    def artifact(self, path: str) -> dict:
        if not path:
            return {"uri": "unknown"}
        ap = os.path.abspath(path)
        try:
            rel = os.path.relpath(ap, self.root)
        except ValueError:
            rel = None
        if rel is not None and not rel.startswith(".."):
            return {"uri": quote(Path(rel).as_posix()), "uriBaseId": "%SRCROOT%"}
        return {"uri": Path(ap).as_uri()}

    def column(self, path: str, line: int, col: int) -> int:
        """A byte column (go/token) as a UTF-16 column (SARIF's default)."""
        if col <= 1 or not path:
            return max(col, 1)
        if path not in self.lines:
            try:
                self.lines[path] = Path(path).read_bytes().split(b"\n")
            except OSError:
                self.lines[path] = None
        lines = self.lines[path]
        if lines is None or not (1 <= line <= len(lines)):
            return col
        prefix = lines[line - 1][: col - 1]
        if prefix.isascii():
            return col
        return len(prefix.decode("utf-8", "replace").encode("utf-16-le")) // 2 + 1

    def location(self, pos, message: str | None = None) -> dict:
        loc: dict = {}
        if pos is not None and pos.file:
            region = {"startLine": max(pos.line, 1)}
            if pos.col > 0:
                region["startColumn"] = self.column(pos.file, pos.line, pos.col)
            loc["physicalLocation"] = {"artifactLocation": self.artifact(pos.file), "region": region}
        if message:
            loc["message"] = {"text": message}
        return loc


def _fingerprint(f, files: _Files) -> str:
    art = files.artifact(f.pos.file)["uri"]
    msg = re.sub(r"\d+", "N", f.message)  # goroutine numbers, line numbers in messages
    return hashlib.sha256(f"{f.check}\0{art}\0{msg}".encode()).hexdigest()[:32]


def _code_flow(f, files: _Files) -> dict:
    flows: dict[int, list] = {}
    for s in f.trace.steps:
        who = "timer" if s.goroutine < 0 else f"g{s.goroutine}"
        flows.setdefault(s.goroutine, []).append({
            "location": files.location(s.pos, f"{who}: {s.what}"),
            "executionOrder": s.n,
            "nestingLevel": 0,
        })
    thread_flows = []
    for gid in sorted(flows, key=lambda g: (g < 0, g)):
        tf = {"id": "timers" if gid < 0 else f"g{gid}", "locations": flows[gid],
              "message": {"text": "the runtime's timers" if gid < 0 else f"goroutine {gid}"}}
        thread_flows.append(tf)
    text = f"trace of {f.entry}: {len(f.trace.steps)} step(s)"
    if f.trace.summary:
        text += f"; explored {f.trace.summary}"
    return {"message": {"text": text}, "threadFlows": thread_flows}


def _stacks(f, files: _Files) -> list:
    stacks = []
    for g in f.trace.dump:
        frames = [{"location": files.location(fr.pos, fr.function)} for fr in g.frames]
        if g.created_at is not None:
            frames.append({"location": files.location(g.created_at, f"created by {g.created_by or '?'}")})
        if not frames:
            continue
        held = f" (the lock is held by goroutine {g.waiting_for})" if getattr(g, "waiting_for", 0) else ""
        stacks.append({"message": {"text": f"goroutine {g.gid} [{g.status}]{held}"}, "frames": frames})
    return stacks


_ERR = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.S)


def _notification(text: str, level: str, files: _Files, pos=None) -> dict:
    n: dict = {"level": level, "message": {"text": text}}
    if pos is None:
        m = _ERR.match(text)
        if m:
            from gcheck.goast import Pos

            pos = Pos(m.group("file"), int(m.group("line")), int(m.group("col")))
            n["message"] = {"text": m.group("msg")}
    if pos is not None and pos.file:
        n["locations"] = [files.location(pos)]
    return n


def to_dict(result: Result, show_trace: bool = True, show_notes: bool = True, root: str | None = None) -> dict:
    files = _Files(os.path.abspath(root or os.getcwd()))
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    sarif_rules = []
    for r in rules:
        sarif_rules.append({
            "id": r.id,
            "name": "".join(w.capitalize() for w in r.id.split("-")),
            "shortDescription": {"text": r.short},
            "fullDescription": {"text": r.full},
            "help": {"text": r.full, "markdown": r.markdown or f"**{r.id}**: {r.short}\n\n{r.full}"},
            "defaultConfiguration": {"level": r.level},
            "properties": {"tags": ["concurrency", "go"], "precision": "high"},
        })
    results = []
    for f in result.findings:
        res: dict = {
            "ruleId": f.check,
            "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [files.location(f.pos)],
            "partialFingerprints": {"gcheckFinding/v1": _fingerprint(f, files)},
        }
        if f.check in index:
            res["ruleIndex"] = index[f.check]
        props: dict = {}
        if f.entry:
            props["entry"] = f.entry
        if f.witness:
            props["witness"] = {k: v if isinstance(v, (int, float, bool, str)) or v is None else str(v)
                                for k, v in sorted(f.witness.items())}
        if f.trace is not None:
            if f.trace.summary:
                props["explored"] = f.trace.summary
            if show_trace and f.trace.steps:
                res["codeFlows"] = [_code_flow(f, files)]
            if show_trace:
                stacks = _stacks(f, files)
                if stacks:
                    res["stacks"] = stacks
        if props:
            res["properties"] = props
        results.append(res)
    notifications = [_notification(e, "error", files) for e in result.errors]
    if show_notes:
        seen = set()
        for n in result.notes:
            key = (n.message, n.pos.file if n.pos else "", n.pos.line if n.pos else 0)
            if key in seen:
                continue
            seen.add(key)
            notifications.append(_notification(n.message, "note", files, n.pos))
    invocation = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {
            "name": "gcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": sarif_rules,
        }},
        "invocations": [invocation],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(files.root).as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: Result, show_trace: bool = True, show_notes: bool = True) -> str:
    return json.dumps(to_dict(result, show_trace, show_notes), indent=2) + "\n"
