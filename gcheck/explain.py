"""`gcheck explain [CHECK-ID]`: print a check's documentation page, or the
list of every check with its one-line summary. The pages come from
gcheck/checks/docs.py, the one source of truth."""

from __future__ import annotations

import difflib
import textwrap

from gcheck.checks import docs

SECTIONS = (
    ("What it does", "what"),
    ("Why is this bad", "why"),
    ("Example", "example"),
    ("Use instead", "use_instead"),
    ("Known problems", "known_problems"),
)


def render(doc: docs.CheckDoc) -> str:
    title = f"{doc.id} ({doc.severity})"
    out = [title, "=" * len(title), "", doc.summary, ""]
    for heading, attr in SECTIONS:
        body = getattr(doc, attr).strip("\n")
        out += [heading, "-" * len(heading), ""]
        if attr in ("example", "use_instead"):
            out += ["```go", body, "```"]
        else:
            out.append(body)
        out.append("")
    return "\n".join(out)


def render_list() -> str:
    width = max(len(i) for i in docs.ids())
    lines = ["gcheck checks (run `gcheck explain CHECK-ID` for the full page):", ""]
    for i in docs.ids():
        d = docs.get(i)
        summary = textwrap.wrap(d.summary, 100 - width - 14) or [""]
        lines.append(f"  {i:<{width}}  {d.severity:<7}  {summary[0]}")
        lines += [" " * (width + 13) + s for s in summary[1:]]
    return "\n".join(lines) + "\n"


def run(check_id: str | None, stdout, stderr) -> int:
    """Exit code 0, or 2 for an unknown id."""
    if check_id is None:
        stdout.write(render_list())
        return 0
    doc = docs.get(check_id.strip())
    if doc is None:
        close = difflib.get_close_matches(check_id, docs.ids(), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        stderr.write(f"gcheck: unknown check id {check_id!r}{hint} (run `gcheck explain` for the list)\n")
        return 2
    stdout.write(render(doc))
    return 0
