"""JSON output with a stable, versioned schema (documented in the README)."""

from __future__ import annotations

import json

from gcheck import __version__
from gcheck.diagnostics import Result

SCHEMA_VERSION = 1


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
        "stats": [
            {
                "entry": s.entry, "states": s.states, "transitions": s.transitions,
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
