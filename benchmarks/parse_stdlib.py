"""Parse every .go file of the Go standard library and report coverage and speed.

Usage: python benchmarks/parse_stdlib.py [--limit N] [GOROOT_SRC]
Acceptance for gcheck's front end: >= 99.5% of the files outside testdata/
parse. Throughput is lines per second of CPU time of this single-threaded
process (parse only: file reading and table loading excluded), which stays
meaningful on a busy machine; wall-clock time is printed too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from gcheck.errors import GcheckError  # noqa: E402
from gcheck.syntax import parse_source, tables  # noqa: E402


def goroot_src() -> str:
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off")
    out = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, env=env, check=True)
    return os.path.join(out.stdout.strip(), "src")


def go_files(root: str) -> list[str]:
    found = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "testdata")
        found.extend(os.path.join(d, f) for f in sorted(files) if f.endswith(".go"))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", help="directory to scan (default: $(go env GOROOT)/src)")
    ap.add_argument("--limit", type=int, default=0, help="parse only the first N files")
    args = ap.parse_args()
    root = args.root or goroot_src()
    files = go_files(root)
    if args.limit:
        files = files[: args.limit]
    tables()  # load the parser outside the timed region
    lines = 0
    failures: list[tuple[str, str]] = []
    elapsed = wall = 0.0
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        w0 = time.perf_counter()
        t0 = time.process_time()
        try:
            tree = parse_source(data, path)
            lines += tree.lines
        except GcheckError as e:
            failures.append((path, str(e)))
            lines += data.count(b"\n")
        elapsed += time.process_time() - t0
        wall += time.perf_counter() - w0
    for path, err in failures:
        print(f"FAIL {err}")
    n = len(files)
    ok = n - len(failures)
    print(f"root:        {root}")
    print(f"files:       {n}")
    print(f"lines:       {lines}")
    print(f"failures:    {len(failures)}")
    print(f"success:     {100.0 * ok / max(n, 1):.3f}%")
    print(f"parse time:  {elapsed:.2f}s CPU, {wall:.2f}s wall")
    print(f"throughput:  {lines / max(elapsed, 1e-9):,.0f} lines/s (CPU), "
          f"{lines / max(wall, 1e-9):,.0f} lines/s (wall)")
    return 0 if ok * 1000 >= 995 * n else 1


if __name__ == "__main__":
    raise SystemExit(main())
