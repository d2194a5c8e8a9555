"""JSON output with a stable, versioned schema: gcheck/report/schema.json (JSON
Schema 2020-12) describes it exactly, and the README summarises it. Fields
are only ever added within a schema version; a removal or a change of meaning
bumps SCHEMA_VERSION and the schema file's $id."""

from __future__ import annotations

import json
import os

from gcheck import __version__
from gcheck.diagnostics import Result

SCHEMA_VERSION = 1
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.json")


def schema() -> dict:
    """The JSON Schema of this output (gcheck/report/schema.json)."""
    with open(SCHEMA_FILE, encoding="utf-8") as f:
        return json.load(f)


def _pos(p):
    if p is None:
        return None
    return {"path": p.file, "line": p.line, "column": p.col}


def to_dict(result: Result) -> dict:
    findings = []
    for f in result.findings:
        d = {
            "check": f.check,
            "severity": f.severity,
            "path": f.pos.file,
            "line": f.pos.line,
            "column": f.pos.col,
            "message": f.message,
            "entry": f.entry,
            "witness": dict(sorted(f.witness.items())),
            "trace": None,
        }
        if f.trace is not None:
            d["trace"] = {
                "steps": [
                    {"step": s.n, "goroutine": s.goroutine, "position": _pos(s.pos), "what": s.what}
                    for s in f.trace.steps
                ],
                "goroutines": [
                    {
                        "id": g.gid,
                        "status": g.status,
                        "frames": [{"function": fr.function, "position": _pos(fr.pos)} for fr in g.frames],
                        "created_by": g.created_by,
                        "created_at": _pos(g.created_at),
                        "waiting_for": g.waiting_for or None,
                    }
                    for g in f.trace.dump
                ],
                "explored": f.trace.summary,
            }
        findings.append(d)
    return {
        "schema": SCHEMA_VERSION,
        "gcheck": __version__,
        "findings": findings,
        "notes": [{"position": _pos(n.pos), "message": n.message} for n in result.notes],
        "errors": list(result.errors),
        "suppressed": [
            {"check": s.finding.check, "path": s.finding.pos.file, "line": s.finding.pos.line,
             "column": s.finding.pos.col, "message": s.finding.message, "entry": s.finding.entry,
             "reason": s.reason, "directive": _pos(s.directive)}
            for s in result.suppressed
        ],
        "stats": [
            {
                "entry": s.entry, "states": s.states, "transitions": s.transitions,
                "transitions_from_diamonds": s.diamonds,
                "transitions_from_step_memo": s.memoized,
                "depth": s.depth, "seconds": round(s.seconds, 4),
                "states_per_second": round(s.states_per_second, 1),
                "complete": s.complete, "bound": s.bound,
                "z3": {"seconds": round(s.z3_seconds, 4), "queries": s.z3_queries,
                       "cache_hits": s.z3_cache_hits, "unknown": s.z3_unknowns},
            }
            for s in result.stats
        ],
    }


def render(result: Result) -> str:
    return json.dumps(to_dict(result), indent=2, sort_keys=False) + "\n"
