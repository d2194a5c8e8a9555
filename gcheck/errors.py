"""Errors that gcheck reports to the user as one clean `path:line:col: ...` line.

Every failure the front end can meet on user input (unreadable file, bad
encoding, syntax error, pathological nesting) is a GcheckError subclass, so a
caller can catch one type and print it without a traceback.
"""

from __future__ import annotations

from gcheck.goast import Pos


class GcheckError(Exception):
    """Base of all user-facing gcheck errors; str() is `path:line:col: message`."""

    kind = ""  # a prefix such as "syntax error" put before the message

    def __init__(self, path: str, line: int, col: int, message: str):
        super().__init__(path, line, col, message)
        self.path = path
        self.line = line
        self.col = col
        self.message = message

    @property
    def pos(self) -> Pos:
        return Pos(self.path, self.line, self.col)

    def __str__(self) -> str:
        prefix = f"{self.kind}: " if self.kind else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"


class GoSyntaxError(GcheckError):
    """The source is not valid Go (lexical or grammatical), like gc's messages."""

    kind = "syntax error"


class SourceError(GcheckError):
    """The file cannot be used as Go source: missing, a directory, not UTF-8, NUL bytes."""


class NestingError(GcheckError):
    """The source nests deeper than gcheck's recursive passes can safely walk."""
