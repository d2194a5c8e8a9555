"""Whole-pipeline fuzzing at scale (issue 7): mutants through `gcheck check`.

    python benchmarks/fuzz_large.py [--mutants 3000] [--seed 0] [--limit 60] [--stdlib 40]

Builds the special inputs (10,000-deep nesting, a 50 MB file, NUL bytes,
invalid UTF-8, ...) plus --mutants seeded mutants of the examples and of real
Go files (gcheck/difftest/fuzz.py), runs each through the real command line
in a forked child with a wall-clock limit, and prints: inputs tried, exit
codes, tracebacks (must be 0), hangs, the slowest inputs. Exit status 1 when
an input ended with a traceback or a hang.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gcheck.difftest import fuzz  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mutants", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=float, default=60.0, help="seconds an input may take before it is a hang")
    ap.add_argument("--stdlib", type=int, default=40, help="real Go files from GOROOT used as seeds")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    inputs = fuzz.corpus(args.mutants, args.seed, args.stdlib)

    def progress(k, rep):
        if k % 250 == 0:
            print(f"[{time.monotonic() - t0:7.1f}s] {k}/{len(inputs)} inputs, "
                  f"{len(rep.problems)} problem(s)", flush=True)

    rep = fuzz.run_corpus(inputs, args.limit, progress)
    print(rep.summary())
    print(f"wall time              {time.monotonic() - t0:.1f}s")
    return 1 if rep.tracebacks or rep.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
