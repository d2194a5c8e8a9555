"""A result cache per package, so that an unchanged package is not explored again.

The key is a SHA-256 of: gcheck's version and a fingerprint of its own
source files (so a changed gcheck never reuses old results, even at the same
version number), the Python version, the options that change results (bounds,
entry selection, enabled checks, severities, Go version, GOOS/GOARCH/tags),
the package directory and, for each file, its path and the SHA-256 of its
content, plus the content of the governing go.mod. The value is the
package's pickled Result.

Results cut by a machine-dependent bound (timeout, memory, interruption) are
not stored: they could differ on the next run. Location: $GCHECK_CACHE_DIR,
else $XDG_CACHE_HOME/gcheck, else ~/.cache/gcheck. Entries are written
atomically (a temporary file renamed into place), so parallel workers and
concurrent runs never see half a file; an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from gcheck import __version__

FORMAT = 1
_CODE: str | None = None


def cache_dir(override: str | None = None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get("GCHECK_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "gcheck"


def code_fingerprint() -> str:
    """SHA-256 over gcheck's own .py/.lark/.json files (computed once per process)."""
    global _CODE
    if _CODE is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for p in sorted(root.rglob("*")):
            if p.suffix in (".py", ".lark", ".json") and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                try:
                    h.update(p.read_bytes())
                except OSError:
                    pass
        _CODE = h.hexdigest()
    return _CODE


def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def key(pkg, options_key: str, go_mod: str | None) -> str:
    h = hashlib.sha256()
    parts = [f"gcheck-cache/{FORMAT}", __version__, code_fingerprint(),
             f"py{sys.version_info[0]}.{sys.version_info[1]}", options_key, os.path.abspath(pkg.dir)]
    for f in pkg.files:
        parts.append(f"{f}\0{_file_hash(f)}")
    if go_mod:
        parts.append(f"go.mod\0{go_mod}\0{_file_hash(go_mod)}")
    for p in parts:
        h.update(p.encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return h.hexdigest()


def _path(k: str, directory: Path) -> Path:
    return directory / k[:2] / f"{k}.pickle"


def load(k: str, directory: Path):
    p = _path(k, directory)
    try:
        with open(p, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt or foreign entry is a miss
        return None


def cacheable(result) -> bool:
    for s in result.stats:
        b = (s.bound or "").lower()
        if any(w in b for w in ("timeout", "memory", "interrupted")):
            return False
    return not any("internal error" in e for e in result.errors)


def store(k: str, directory: Path, result) -> bool:
    if not cacheable(result):
        return False
    p = _path(k, directory)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return True
    except Exception:  # an unwritable cache never fails a run
        return False
