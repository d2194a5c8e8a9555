"""Per-check documentation for reporters (SARIF rule metadata, HTML legends).

The source of truth is `gcheck.checks.docs` when that module exists (one entry
per check id; a string, a dict or an object with summary/description fields);
otherwise the `DOC` dicts of the model checks and the module docstrings of the
static checks. Suppression diagnostics (`bad-suppression`,
`unused-suppression`) are gcheck's own and documented here.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass

# Severity a check reports by default (a check may still choose per finding,
# e.g. ticker-not-stopped is an error before Go 1.23 and a warning from 1.23).
DEFAULT_LEVEL = {
    "ticker-not-stopped": "warning",
    "defer-in-loop": "warning",
    "substring-retention": "warning",
    "subslice-retention": "warning",
    "pointer-slice-retention": "warning",
    "unused-suppression": "warning",
}

OWN_DOCS = {
    "bad-suppression": (
        "a //gcheck:ignore comment that cannot be used",
        "A suppression comment must name known check ids and give a reason: "
        "`//gcheck:ignore CHECK-ID[,CHECK-ID] reason`. One without a reason, or naming an "
        "unknown check, suppresses nothing and is reported instead.",
    ),
    "unused-suppression": (
        "a //gcheck:ignore comment that suppresses no finding",
        "The finding it was written for is gone (fixed, or moved to another line): remove "
        "the comment so that it does not hide a future finding. Reported only when the "
        "check ran completely on the package (enabled, every entry explored, no bound hit).",
    ),
}


@dataclass(frozen=True)
class Rule:
    id: str
    short: str
    full: str
    level: str  # error | warning | note


def _split(text: str) -> tuple[str, str]:
    text = inspect.cleandoc(text or "").strip()
    if not text:
        return "", ""
    first = text.split("\n\n", 1)[0].replace("\n", " ").strip()
    short = first.split(". ")[0].rstrip(".")
    return short, text


def _from_docs_entry(v) -> tuple[str, str]:
    if isinstance(v, str):
        return _split(v)
    get = (lambda k: v.get(k)) if isinstance(v, dict) else (lambda k: getattr(v, k, None))
    short = next((get(k) for k in ("summary", "short", "title", "what", "name") if get(k)), None)
    full = next((get(k) for k in ("description", "full", "doc", "help", "details", "text") if get(k)), None)
    if short is None and full is None:
        return _split(str(v))
    if full is None:
        full = short
    if short is None:
        short = _split(full)[0]
    parts = [str(full)]
    for k in ("example", "fix", "how_to_fix", "remedy"):
        if get(k):
            parts.append(f"{k.replace('_', ' ').capitalize()}: {get(k)}")
    return str(short), "\n\n".join(parts)


def _docs_module() -> dict:
    try:
        mod = importlib.import_module("gcheck.checks.docs")
    except ImportError:
        return {}
    for name in ("DOCS", "CHECKS", "DOC", "RULES"):
        d = getattr(mod, name, None)
        if isinstance(d, dict) and d:
            return d
        if isinstance(d, (list, tuple)) and d:
            out = {}
            for item in d:
                cid = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
                if cid:
                    out[cid] = item
            if out:
                return out
    return {}


def _fallback() -> dict[str, tuple[str, str]]:
    from gcheck import checks
    from gcheck.checks import static

    out: dict[str, tuple[str, str]] = {}
    for mod in checks.ALL:
        module_doc = inspect.getdoc(mod) or ""
        for cid, short in mod.DOC.items():
            out[cid] = (short, f"{short}.\n\n{module_doc}".strip())
    for mod in static.ALL:
        ids = getattr(mod, "IDS", None) or (getattr(mod, "ID", None),)
        short, full = _split(inspect.getdoc(mod) or "")
        head, sep, rest = short.partition(": ")
        if sep and any(cid and cid in head for cid in ids):
            short = rest  # "defer-in-loop: a defer inside ..." -> "a defer inside ..."
        for cid in ids:
            if cid:
                out[cid] = (short, full)
    return out


def all_rules() -> list[Rule]:
    """Every check id gcheck can report, documented, in a stable order."""
    fb = _fallback()
    docs = _docs_module()
    ids = list(fb)
    for cid in docs:
        if cid not in fb and cid not in OWN_DOCS:
            ids.append(cid)
    rules = []
    for cid in ids:
        short, full = _from_docs_entry(docs[cid]) if cid in docs else fb[cid]
        rules.append(Rule(cid, short or cid, full or short or cid, DEFAULT_LEVEL.get(cid, "error")))
    for cid, (short, full) in OWN_DOCS.items():
        rules.append(Rule(cid, short, full, DEFAULT_LEVEL.get(cid, "error")))
    return rules


def known_ids() -> set[str]:
    return {r.id for r in all_rules()}
