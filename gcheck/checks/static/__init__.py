"""Checks that read the syntax tree rather than the explored state graph.

Each module has `check(files, ctx) -> list[Finding]`; ALL lists them. They see
one package's parsed files at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL: tuple = ()


@dataclass
class StaticContext:
    go_version: tuple  # (major, minor) from go.mod or --go-version
    package: str  # the package clause name


def run(files, ctx: StaticContext) -> list:
    findings = []
    for mod in ALL:
        findings.extend(mod.check(files, ctx))
    return findings
