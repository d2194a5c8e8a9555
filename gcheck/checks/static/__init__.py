"""Checks that read the syntax tree rather than the explored state graph.

Each module has `check(files, ctx) -> list[Finding]`; ALL lists them. They see
one package's parsed files at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from gcheck.checks.static import defer_in_loop, finalizer_cycle, pointer_slice, retention, time_tick

ALL: tuple = (defer_in_loop, retention, pointer_slice, finalizer_cycle, time_tick)

# The check ids these modules report.
IDS: tuple = ("defer-in-loop", "substring-retention", "subslice-retention", "pointer-slice-retention",
              "finalizer-cycle")


@dataclass
class StaticContext:
    go_version: tuple  # (major, minor) from go.mod or --go-version
    package: str  # the package clause name


def run(files, ctx: StaticContext) -> list:
    findings = []
    for mod in ALL:
        findings.extend(mod.check(files, ctx))
    return findings
