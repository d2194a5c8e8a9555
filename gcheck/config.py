"""Configuration in the repository: `gcheck.toml`, or `[tool.gcheck]` in a
pyproject.toml, found by walking up from the first target path.

    # gcheck.toml                      # or [tool.gcheck] in pyproject.toml
    disable = ["defer-in-loop"]        # checks not to run
    enable = ["goroutine-leak", "global-deadlock"]   # only these checks
    go-version = "1.22"                # instead of go.mod's go line
    max-states = 100000                # bounds, as the command-line flags
    max-depth = 5000
    timeout = 30                       # seconds per entry
    max-memory = 2048                  # MB per entry
    entries = ["main", "TestServer*"]  # entries to explore (shell patterns)
    goos = "linux"                     # build constraints
    goarch = "arm64"
    tags = ["integration"]
    include-vendor = false
    include-testdata = false
    jobs = 2                           # packages in parallel
    cache = true                       # reuse results of unchanged packages

    [severity]                         # [tool.gcheck.severity] in pyproject.toml
    goroutine-leak = "warning"         # error | warning | note | off
    ticker-not-stopped = "off"

In each directory from the target up to the filesystem root, `gcheck.toml`
wins over `pyproject.toml`; a pyproject.toml without `[tool.gcheck]` is
passed over. Command-line flags win over the file. Unknown keys, values of
the wrong type and unknown check ids are errors reported as `FILE:LINE:COL:
message` (tomllib gives no positions, so the key's line is found by scanning
the file's text).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field

CONFIG_NAMES = ("gcheck.toml", ".gcheck.toml")
SEVERITIES = ("error", "warning", "note", "off")

# key -> (type check, description)
_INT = ("int", lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0)
_NUM = ("number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0)
_BOOL = ("boolean", lambda v: isinstance(v, bool))
_STR = ("string", lambda v: isinstance(v, str) and v != "")
_STRS = ("list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v))

KEYS = {
    "enable": _STRS,
    "disable": _STRS,
    "go-version": _STR,
    "max-states": _INT,
    "max-depth": _INT,
    "timeout": _NUM,
    "max-memory": _INT,
    "entries": _STRS,
    "goos": _STR,
    "goarch": _STR,
    "tags": _STRS,
    "include-vendor": _BOOL,
    "include-testdata": _BOOL,
    "jobs": _INT,
    "cache": _BOOL,
    "severity": ("table", lambda v: isinstance(v, dict)),
}


class ConfigError(Exception):
    """A message of the form FILE:LINE:COL: text."""


@dataclass
class Config:
    path: str | None = None  # the file it came from (None: no file)
    values: dict = field(default_factory=dict)  # KEYS -> value; severity: {check id: level}

    def get(self, key, default=None):
        return self.values.get(key, default)


def _table_header(line: str):
    m = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
    if not m or line.lstrip().startswith("[["):
        return None
    return [p.strip().strip('"').strip("'") for p in m.group(1).split(".")]


def find_line(text: str, table: list[str], key: str) -> tuple[int, int]:
    """(line, column) of `key` in `[table]` (or as a dotted key in a parent
    table), 1-based; (1, 1) when it cannot be found."""
    current: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        h = _table_header(line)
        if h is not None:
            current = h
            if h == table + [key] or (len(h) > len(table) and h[: len(table)] == table and h[len(table)] == key):
                return n, line.index("[") + 1
            continue
        if len(current) > len(table) or table[: len(current)] != current:
            continue
        prefix = table[len(current):]
        dotted = [re.escape(p) for p in prefix] + [re.escape(key)]
        pat = r"^\s*" + r"\s*\.\s*".join(f"[\"']?{p}[\"']?" for p in dotted) + r"\s*[=.]"
        m = re.match(pat, line)
        if m:
            return n, len(line) - len(line.lstrip()) + 1
    return 1, 1


def discover(paths: list[str]) -> str | None:
    """The config file governing the first target path, or None."""
    start = paths[0] if paths else "."
    if start.endswith("/...") or start == "...":
        start = start[:-4] if start.endswith("/...") else "."
    start = start or "."
    d = os.path.abspath(start)
    if not os.path.isdir(d):
        d = os.path.dirname(d)
    while True:
        for name in CONFIG_NAMES:
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return p
        pp = os.path.join(d, "pyproject.toml")
        if os.path.isfile(pp):
            try:
                with open(pp, "rb") as f:
                    data = tomllib.load(f)
                if isinstance(data.get("tool"), dict) and "gcheck" in data["tool"]:
                    return pp
            except (OSError, tomllib.TOMLDecodeError):
                pass  # not ours to judge unless it has our table
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def load(path: str, known_checks) -> Config:
    """Read and validate one config file. Raises ConfigError."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ConfigError(f"{path}:1:1: cannot read config: {e.strerror or e}") from None
    text = raw.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line, col = (m.group(1), m.group(2)) if m else ("1", "1")
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e)) or "invalid TOML"
        raise ConfigError(f"{path}:{line}:{col}: invalid TOML: {msg}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = ["tool", "gcheck"]
        tool = data.get("tool", {})
        section = tool.get("gcheck", {}) if isinstance(tool, dict) else {}
        where = "[tool.gcheck]"
    else:
        table, section, where = [], data, os.path.basename(path)
    if not isinstance(section, dict):
        line, col = find_line(text, table[:-1], table[-1]) if table else (1, 1)
        raise ConfigError(f"{path}:{line}:{col}: {where} must be a table")

    def err(key_table, key, msg):
        line, col = find_line(text, key_table, key)
        return ConfigError(f"{path}:{line}:{col}: {msg}")

    values: dict = {}
    for key, value in section.items():
        if key not in KEYS:
            close = [k for k in KEYS if k.replace("-", "_") == key or k.replace("-", "") == key.replace("_", "")]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise err(table, key, f"unknown key {key!r} in {where}{hint}; known keys: {', '.join(KEYS)}")
        kind, ok = KEYS[key]
        if not ok(value):
            raise err(table, key, f"{key} must be a {kind}{' > 0' if kind in ('int', 'number') else ''}, "
                                  f"not {value!r}")
        if key in ("enable", "disable"):
            for cid in value:
                if cid not in known_checks:
                    raise err(table, key, f"{key}: unknown check id {cid!r} (`gcheck explain` lists them)")
        if key == "go-version" and not re.fullmatch(r"(go)?\d+\.\d+(\.\d+)?", value):
            raise err(table, key, f"go-version must look like \"1.22\", not {value!r}")
        if key == "severity":
            for cid, level in value.items():
                if cid not in known_checks:
                    raise err(table + ["severity"], cid, f"severity: unknown check id {cid!r} "
                                                          "(`gcheck explain` lists them)")
                if level not in SEVERITIES:
                    raise err(table + ["severity"], cid, f"severity of {cid} must be one of "
                                                          f"{', '.join(SEVERITIES)}, not {level!r}")
        values[key] = value
    return Config(path, values)


def parse_go_version(text: str) -> tuple[int, int]:
    """"1.22" / "go1.22" / "1.22.3" -> (1, 22). Raises ValueError."""
    major, minor = text.strip().removeprefix("go").split(".")[:2]
    return int(major), int(minor)
