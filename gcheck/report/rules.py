"""Per-check documentation for reporters (SARIF rule metadata, HTML legends).

The source of truth is `gcheck.checks.docs` when that module exists (one entry
per check id; a string, a dict or an object with summary/description fields);
otherwise the `DOC` dicts of the model checks and the module docstrings of the
static checks. Suppression diagnostics (`bad-suppression`,
`unused-suppression`) are gcheck's own and documented here.
"""

from __future__ import annotations

import functools
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
    markdown: str | None = None


def _split(text: str) -> tuple[str, str]:
    text = inspect.cleandoc(text or "").strip()
    if not text:
        return "", ""
    first = text.split("\n\n", 1)[0].replace("\n", " ").strip()
    short = first.split(". ")[0].rstrip(".")
    return short, text


_SECTIONS = (("What it does", "what"), ("Why is this bad", "why"), ("Example", "example"),
             ("Use instead", "use_instead"), ("Known problems", "known_problems"))


def _from_docs_entry(v) -> tuple[str, str, str | None, str | None]:
    """(short, full text, full markdown or None, level or None)."""
    if isinstance(v, str):
        return (*_split(v), None, None)
    get = (lambda k: v.get(k)) if isinstance(v, dict) else (lambda k: getattr(v, k, None))
    level = get("severity") if get("severity") in ("error", "warning", "note") else None
    if get("summary") and get("what"):  # gcheck.checks.docs.CheckDoc
        text, md = [str(get("summary"))], [str(get("summary"))]
        for heading, attr in _SECTIONS:
            body = (get(attr) or "").strip("\n")
            if not body.strip():
                continue
            text += [f"{heading}:", inspect.cleandoc(body) if attr not in ("example", "use_instead") else body]
            md.append(f"### {heading}")
            md.append(f"```go\n{body}\n```" if attr in ("example", "use_instead") else inspect.cleandoc(body))
        return str(get("summary")), "\n\n".join(text), "\n\n".join(md), level
    return (*_generic(v, get), None, level)


def _generic(v, get) -> tuple[str, str]:
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
    """{check id: doc entry} from gcheck.checks.docs, or {} when absent."""
    try:
        mod = importlib.import_module("gcheck.checks.docs")
    except ImportError:
        return {}
    if callable(getattr(mod, "ids", None)) and callable(getattr(mod, "get", None)):
        try:
            return {cid: mod.get(cid) for cid in mod.ids() if mod.get(cid) is not None}
        except Exception:
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


@functools.lru_cache(maxsize=1)
def _rules() -> tuple:
    return tuple(_all_rules())


def all_rules() -> list[Rule]:
    """Every check id gcheck can report, documented, in a stable order."""
    return list(_rules())


def _all_rules() -> list[Rule]:
    fb = _fallback()
    docs = _docs_module()
    ids = list(fb)
    for cid in docs:
        if cid not in fb and cid not in OWN_DOCS:
            ids.append(cid)
    rules = []
    for cid in ids:
        if cid in docs:
            short, full, md, level = _from_docs_entry(docs[cid])
        else:
            (short, full), md, level = fb[cid], None, None
        rules.append(Rule(cid, short or cid, full or short or cid, level or DEFAULT_LEVEL.get(cid, "error"), md))
    for cid, (short, full) in OWN_DOCS.items():
        rules.append(Rule(cid, short, full, DEFAULT_LEVEL.get(cid, "error")))
    return rules


def known_ids() -> frozenset[str]:
    return frozenset(r.id for r in _rules())
