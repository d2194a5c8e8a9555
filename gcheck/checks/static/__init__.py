"""Checks that read the syntax tree rather than the explored state graph.

Each module has `check(files, ctx) -> list[Finding]`; ALL lists them. They see
one package's parsed files at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gcheck.checks.static import defer_in_loop, finalizer_cycle, pointer_slice, retention, time_tick

ALL: tuple = (defer_in_loop, retention, pointer_slice, finalizer_cycle, time_tick)

# The check ids these modules report (time_tick reports ticker-not-stopped,
# which the model reports too).
IDS: tuple = ("defer-in-loop", "substring-retention", "subslice-retention", "pointer-slice-retention",
              "finalizer-cycle", "ticker-not-stopped")


@dataclass
class StaticContext:
    go_version: tuple  # (major, minor) from go.mod or --go-version
    package: str  # the package clause name
    errors: list = field(default_factory=list)  # "check: ExcType: message" of a check that failed here


def run(files, ctx: StaticContext) -> list:
    """Every syntax check on one package. A check that fails on odd input
    loses only its own findings: the failure is recorded in ctx.errors."""
    findings = []
    for mod in ALL:
        try:
            findings.extend(mod.check(files, ctx))
        except RecursionError:
            raise
        except Exception as e:  # noqa: BLE001 - one check's bug must not lose the others' findings
            ctx.errors.append(f"{mod.__name__.rsplit('.', 1)[-1]}: {type(e).__name__}: {e}")
    return findings
