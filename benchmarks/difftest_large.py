"""The large differential run of gcheck against the Go runtime (issue 7).

    python benchmarks/difftest_large.py --programs 10000 [--runs 10] [--seed 0]
        [--batch 500] [--jobs 2] [--vet] [--shrink 3] [--worst 5] [--minutes M]

Generates the programs (seeded), builds them into one Go binary per batch,
runs each one ``--runs`` times under schedule noise, checks each with gcheck,
and prints the agreement table: runtime outcomes and whether gcheck reports
them, gcheck findings and whether a run showed them (the unconfirmed rate),
disagreements (each with its program; ``--shrink N`` shrinks the first N to
a small program), and the programs with the most unconfirmed findings.
``--minutes`` stops after the batch that crosses the time budget and
reports what was run. Exit status 1 when there is a disagreement.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gcheck.difftest import invariants as I  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--programs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=10, help="runs of each program (default 10)")
    ap.add_argument("--seed", type=int, default=0, help="first generator seed (programs use seed..seed+N-1)")
    ap.add_argument("--batch", type=int, default=500, help="programs per Go binary (default 500)")
    ap.add_argument("--jobs", type=int, default=2, help="program runs in parallel (default 2)")
    ap.add_argument("--vet", action="store_true", help="also go vet every program")
    ap.add_argument("--shrink", type=int, default=0, help="shrink the first N disagreements")
    ap.add_argument("--worst", type=int, default=3, help="show the N programs with most unconfirmed findings")
    ap.add_argument("--minutes", type=float, default=None, help="stop after the batch that crosses this budget")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    camp = I.Campaign(runs=args.runs)
    done = 0
    while done < args.programs:
        n = min(args.batch, args.programs - done)
        part = I.run_campaign(I.seeded_programs(n, args.seed + done), args.runs, jobs=args.jobs, vet=args.vet,
                              batch=args.batch)
        camp.verdicts += part.verdicts
        camp.vet_problems.update(part.vet_problems)
        camp.broken.update(part.broken)
        for k, s in part.seconds.items():
            camp.seconds[k] = camp.seconds.get(k, 0.0) + s
        done += n
        bad = sum(v.status in ("disagree", "unexplained", "gcheck-error") for v in camp.verdicts)
        print(f"[{time.monotonic() - t0:7.1f}s] {done} programs, {bad} disagreement(s)", flush=True)
        if args.minutes is not None and time.monotonic() - t0 > args.minutes * 60:
            print(f"time budget of {args.minutes:g} minutes reached: stopping at {done} programs", flush=True)
            break

    print()
    print(camp.table())
    print(f"wall time              {time.monotonic() - t0:.1f}s")
    bad = [v for v in camp.verdicts if v.status in ("disagree", "unexplained", "gcheck-error", "bounded-miss")]
    for k, v in enumerate(bad):
        print()
        if k < args.shrink and v.status in ("disagree", "unexplained"):
            print(f"shrinking {v.prog.name} ...", flush=True)
            v = I.shrink(v, log=lambda m: print("  " + m, flush=True))
        print(v.report())
    if camp.vet_problems:
        print("\ngo vet complaints:")
        for name, text in sorted(camp.vet_problems.items()):
            print(f"  {name}: {text}")
    worst = I.unconfirmed_worst(camp, args.worst)
    if worst:
        print("\nmost unconfirmed findings (the runs never showed them):")
        for v in worst:
            print()
            print(v.report())
    return 1 if any(v.status in ("disagree", "unexplained", "gcheck-error") for v in camp.verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
