"""`gcheck bench CORPUS [--expect EXPECT.json] [-j N] [--out DIR]`: run a corpus
of Go programs and write what an experiment needs.

A program is a package found under CORPUS like `gcheck check CORPUS/...`
finds it (build constraints, vendor/testdata and nested-module rules
included). Programs run in a pool of -j N worker processes, with the bounds
of the command line or the config file; the cache is never used. Each worker
first checks a small warm-up program (so a fresh process's one-time costs,
about a second, are charged to no program), and before each program resets
the kernel's RSS high-water mark (/proc/self/clear_refs), so the peak memory
of a row is that program's own (`peak_rss_per_program` false in the JSONL
where the kernel does not allow it: then it is the worker's peak so far).
Outputs in --out (default bench-out/):

- rows.csv, rows.jsonl: one row per program and entry (a program without
  entries gets one row with entry ""): verdict (findings | clean | bounded |
  error), findings by check, states, transitions, depth, seconds (the entry's
  exploration), z3 seconds, the bound that cut the search, and per program:
  wall seconds (parse + lower + every entry) and peak RSS in MB (the
  worker's high-water mark, Python and gcheck included);
- summary.json and summary.md: with --expect, true/false positives and false
  negatives per check, precision and recall; always the median and p95 of
  the per-program wall time, totals and verdict counts;
- time_vs_states.png, time_per_program.png, states_per_program.png (and
  .pdf) with matplotlib (the optional extra `gcheck[bench]`);
- meta.json: gcheck's version and code fingerprint, git commit, Python,
  platform, CPU, library versions, every option and bound, the corpus's
  content hash, the EXPECT file's hash, timestamps and the command line.

EXPECT.json ({"version": 1, "programs": {"dir/relative/to/corpus": [{"file":
"main.go", "line": 29, "check": "goroutine-leak"}, ...]}}): a program listed
with [] is expected clean; programs not listed are run but not scored.
`--write-expect FILE` writes one from the corpus's `// want CHECK-ID`
comments (the convention of examples/, see tests/wants.py). A finding
matches a want with the same check id, file (relative to the program) and
line; each want matches one finding at most.

`--executor dask://HOST:PORT` sends the programs to a Dask distributed
scheduler instead of the local process pool (needs `pip install
distributed`); rows are the same.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from gcheck import __version__

PLOTS_HINT = "plots need matplotlib: pip install 'gcheck[bench]' (or pip install matplotlib)"
ROW_FIELDS = ["program", "entry", "verdict", "findings", "findings_by_check", "states", "transitions", "depth",
              "seconds", "z3_seconds", "complete", "bound", "program_seconds", "peak_rss_mb", "errors"]


# ---------------------------------------------------------------- expectations


_WANT = re.compile(r"//\s*want\s+(.*)$")
_CHECK = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_LIT = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')


def _comment_start(line: str) -> int:
    """Index of a // comment on a Go line, or -1 (skips string, raw string and rune literals)."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in "\"'":
            i += 1
            while i < n and line[i] != c:
                i += 2 if line[i] == "\\" else 1
        elif c == "`":
            j = line.find("`", i + 1)
            if j < 0:
                return -1
            i = j
        elif line.startswith("//", i):
            return i
        elif line.startswith("/*", i):
            j = line.find("*/", i + 2)
            if j < 0:
                return -1
            i = j + 1
        i += 1
    return -1


def wants_of(program_dir: Path) -> list[dict]:
    """The `// want CHECK-ID ["regexp"]...` comments of a package directory."""
    out = []
    for f in sorted(program_dir.iterdir()):
        if f.suffix != ".go" or not f.is_file() or f.name.startswith((".", "_", "zz_oracle")):
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            i = _comment_start(line)
            if i < 0:
                continue
            m = _WANT.match(line[i:])
            if not m:
                continue
            body = _LIT.sub(" ", m.group(1))  # message regexps are not scored
            for tok in body.split():
                if _CHECK.fullmatch(tok):
                    out.append({"file": f.name, "line": n, "check": tok})
    return out


def write_expect(corpus: str, ctx, path: str) -> int:
    from gcheck.loader import expand

    pkgs, _ = expand([corpus.rstrip("/") + "/..."], ctx)
    programs = {}
    for p in pkgs:
        rel = Path(os.path.relpath(p.dir, corpus)).as_posix()
        programs[rel] = wants_of(Path(p.dir))
    doc = {"version": 1, "corpus": os.path.abspath(corpus), "programs": programs}
    Path(path).write_text(json.dumps(doc, indent=1) + "\n")
    return len(programs)


def load_expect(path: str) -> dict:
    doc = json.loads(Path(path).read_text())
    if not isinstance(doc, dict) or not isinstance(doc.get("programs"), dict):
        raise ValueError(f"{path}: want {{\"version\": 1, \"programs\": {{dir: [{{file, line, check}}]}}}}")
    return doc["programs"]


def score(rows_by_program: dict, expect: dict) -> dict:
    """TP/FP/FN per check over the programs listed in expect."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for prog, wants in expect.items():
        if prog not in rows_by_program:
            continue
        found = list(rows_by_program[prog]["findings"])
        for w in wants:
            hit = next((f for f in found if f["check"] == w["check"] and f["file"] == w["file"]
                        and f["line"] == w["line"]), None)
            if hit is not None:
                found.remove(hit)
                tp[w["check"]] += 1
            else:
                fn[w["check"]] += 1
        for f in found:
            fp[f["check"]] += 1
    checks = sorted(set(tp) | set(fp) | set(fn))
    per = {}
    for c in checks + ["all"]:
        t = sum(tp.values()) if c == "all" else tp[c]
        p = sum(fp.values()) if c == "all" else fp[c]
        n = sum(fn.values()) if c == "all" else fn[c]
        per[c] = {"tp": t, "fp": p, "fn": n,
                  "precision": round(t / (t + p), 4) if t + p else None,
                  "recall": round(t / (t + n), 4) if t + n else None}
    return per


# ---------------------------------------------------------------- running


_WARMUP = """package main

import (
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	var mu sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan int, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock()
		if n > 3 {
			ch <- n
		}
		mu.Unlock()
	}()
	select {
	case <-ch:
	case <-time.After(time.Second):
	}
	wg.Wait()
}
"""
_warm = False


def _ensure_warm() -> None:
    """Run one small program first, so that one-time costs of a fresh process
    (parser tables, z3's context, lazy imports: about a second) are not
    charged to the first program a worker gets."""
    global _warm
    if _warm:
        return
    _warm = True
    import tempfile

    from gcheck.api import Options, check_package
    from gcheck.loader import PackageFiles

    try:
        with tempfile.TemporaryDirectory(prefix="gcheck-warm-") as d:
            f = os.path.join(d, "main.go")
            with open(f, "w") as fh:
                fh.write(_WARMUP)
            check_package(PackageFiles(d, [f]), Options())
    except Exception:
        pass


def _reset_peak() -> bool:
    """Reset the kernel's RSS high-water mark (Linux >= 4.0), so that VmHWM
    after a program is that program's peak in this reused worker."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    try:
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024, 1)
    except Exception:
        return 0.0


def run_program(pkg, options, corpus: str) -> dict:
    """Check one program (in a worker); plain data back."""
    from gcheck.api import check_package

    _ensure_warm()
    reset = _reset_peak()
    t0 = time.perf_counter()
    try:
        r = check_package(pkg, replace(options, cache=False, jobs=1))
        crash = None
    except Exception as e:  # an internal error is a data point, not the end of the run
        r, crash = None, f"{type(e).__name__}: {e}"
    wall = time.perf_counter() - t0
    base = Path(pkg.dir)
    findings = []
    if r is not None:
        for f in r.findings:
            try:
                rel = Path(os.path.relpath(f.pos.file, base)).as_posix()
            except ValueError:
                rel = f.pos.file
            findings.append({"check": f.check, "file": rel, "line": f.pos.line, "entry": f.entry,
                             "severity": f.severity, "message": f.message})
    stats = []
    if r is not None:
        for s in r.stats:
            stats.append({"entry": s.entry, "states": s.states, "transitions": s.transitions, "depth": s.depth,
                          "seconds": round(s.seconds, 4), "z3_seconds": round(getattr(s, "z3_seconds", 0.0), 4),
                          "complete": s.complete, "bound": s.bound})
    errors = ([crash] if crash else []) + (list(r.errors) if r is not None else [])
    return {"program": Path(os.path.relpath(pkg.dir, corpus)).as_posix(), "findings": findings, "stats": stats,
            "errors": errors, "seconds": round(wall, 4), "peak_rss_mb": _peak_rss_mb(),
            "peak_rss_per_program": reset, "files": r.files if r is not None else 0}


def _rows(prog: dict) -> list[dict]:
    rows = []
    entries = [s["entry"] for s in prog["stats"]] or [""]
    stats = {s["entry"]: s for s in prog["stats"]}
    static = [f for f in prog["findings"] if f["entry"] not in stats]
    for i, e in enumerate(entries):
        s = stats.get(e, {})
        fs = [f for f in prog["findings"] if f["entry"] == e and e in stats]
        if i == 0:
            fs = fs + static  # syntax-check findings belong to no entry: counted on the first row
        by = Counter(f["check"] for f in fs)
        if prog["errors"] and not s:
            verdict = "error"
        elif fs:
            verdict = "findings"
        elif s and not s.get("complete", True):
            verdict = "bounded"
        elif prog["errors"]:
            verdict = "error"
        else:
            verdict = "clean"
        rows.append({
            "program": prog["program"], "entry": e, "verdict": verdict, "findings": len(fs),
            "findings_by_check": dict(sorted(by.items())),
            "states": s.get("states", 0), "transitions": s.get("transitions", 0), "depth": s.get("depth", 0),
            "seconds": s.get("seconds", 0.0), "z3_seconds": s.get("z3_seconds", 0.0),
            "complete": s.get("complete", not prog["errors"]), "bound": s.get("bound") or "",
            "program_seconds": prog["seconds"], "peak_rss_mb": prog["peak_rss_mb"],
            "errors": len(prog["errors"]),
        })
    return rows


def _local_executor(jobs: int):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["gcheck.api", "gcheck.bench"])
    except ValueError:
        ctx = mp.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_ensure_warm)


def _run_all(pkgs, options, corpus, jobs, executor, on_done):
    """Run every program; call on_done(result dict) as each finishes; return them in package order."""
    results: dict[int, dict] = {}
    if executor.startswith("dask://") or executor.startswith("tcp://"):
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise SystemExit("gcheck bench: --executor dask:// needs Dask: pip install distributed") from None
        address = "tcp://" + executor.split("://", 1)[1]
        with Client(address) as client:
            futs = {client.submit(run_program, p, options, corpus, pure=False): i for i, p in enumerate(pkgs)}
            for fut in as_completed(list(futs)):
                res = fut.result()
                results[futs[fut]] = res
                on_done(res)
    elif executor == "local":
        from concurrent.futures import as_completed

        with _local_executor(jobs) as pool:
            futs = {pool.submit(run_program, p, options, corpus): i for i, p in enumerate(pkgs)}
            for fut in as_completed(futs):
                i = futs[fut]
                try:
                    res = fut.result()
                except Exception as e:  # a worker died (memory?): record it
                    res = {"program": Path(os.path.relpath(pkgs[i].dir, corpus)).as_posix(), "findings": [],
                           "stats": [], "errors": [f"worker failed: {type(e).__name__}: {e}"], "seconds": 0.0,
                           "peak_rss_mb": 0.0, "files": 0}
                results[i] = res
                on_done(res)
    else:
        raise SystemExit(f"gcheck bench: unknown --executor {executor!r} (want local or dask://HOST:PORT)")
    return [results[i] for i in range(len(pkgs))]


# ---------------------------------------------------------------- outputs


def _percentile(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _git(cwd: Path) -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=cwd, capture_output=True,
                               text=True, timeout=10).stdout.strip() != ""
        return {"commit": commit or None, "dirty": dirty if commit else None}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def _tree_hash(pkgs) -> str:
    h = hashlib.sha256()
    for p in pkgs:
        for f in p.files:
            h.update(f.encode())
            try:
                h.update(hashlib.sha256(Path(f).read_bytes()).digest())
            except OSError:
                pass
    return h.hexdigest()


def _versions() -> dict:
    from importlib import metadata

    out = {}
    for name in ("lark", "z3-solver", "networkx", "rich", "matplotlib"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def meta(options, args, pkgs, corpus, expect_path, started, finished) -> dict:
    from gcheck.cache import code_fingerprint

    lim = options.limits
    return {
        "gcheck": {"version": __version__, "code_sha256": code_fingerprint(),
                   **_git(Path(__file__).resolve().parent)},
        "python": {"version": platform.python_version(), "implementation": platform.python_implementation(),
                   "executable": sys.executable},
        "platform": {"system": platform.system(), "release": platform.release(), "machine": platform.machine(),
                     "processor": platform.processor(), "cpus": os.cpu_count(), "node": platform.node()},
        "libraries": _versions(),
        "bounds": {k: v for k, v in vars(lim).items()} if hasattr(lim, "__dict__") else repr(lim),
        "options": {"entry": options.entry, "entries": list(options.entries), "go_version": options.go_version,
                    "enable": list(options.enable) if options.enable is not None else None,
                    "disable": list(options.disable), "severity": options.severity, "goos": options.goos,
                    "goarch": options.goarch, "tags": list(options.tags),
                    "include_vendor": options.include_vendor, "include_testdata": options.include_testdata,
                    "suppress": options.suppress},
        "jobs": args.jobs or 1, "executor": args.executor,
        "corpus": {"path": os.path.abspath(corpus), "programs": len(pkgs), "sha256": _tree_hash(pkgs)},
        "expect": {"path": os.path.abspath(expect_path),
                   "sha256": hashlib.sha256(Path(expect_path).read_bytes()).hexdigest()} if expect_path else None,
        "started": started, "finished": finished,
        "command": [os.path.basename(sys.argv[0] or "gcheck"), *sys.argv[1:]],
    }


def write_rows(out: Path, rows: list[dict]) -> None:
    with open(out / "rows.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, sort_keys=False) + "\n")
    with open(out / "rows.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=ROW_FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({**r, "findings_by_check": ";".join(f"{k}={v}" for k, v in r["findings_by_check"].items())})


def summarize(programs: list[dict], rows: list[dict], expect: dict | None) -> dict:
    times = [p["seconds"] for p in programs]
    verdicts = Counter(r["verdict"] for r in rows)
    s = {
        "programs": len(programs), "entries": sum(1 for r in rows if r["entry"]),
        "verdicts": dict(sorted(verdicts.items())),
        "findings_by_check": dict(sorted(Counter(f["check"] for p in programs for f in p["findings"]).items())),
        "states": sum(r["states"] for r in rows), "transitions": sum(r["transitions"] for r in rows),
        "seconds_total": round(sum(times), 3),
        "seconds_median": round(statistics.median(times), 4) if times else 0.0,
        "seconds_p95": round(_percentile(times, 0.95), 4),
        "z3_seconds_total": round(sum(r["z3_seconds"] for r in rows), 3),
        "peak_rss_mb_max": max((p["peak_rss_mb"] for p in programs), default=0.0),
        "bounded": sorted({f"{r['program']}:{r['entry']} ({r['bound']})" for r in rows if r["bound"]}),
        "errors": sorted({p["program"] for p in programs if p["errors"]}),
    }
    if expect is not None:
        by_prog = {p["program"]: p for p in programs}
        s["scores"] = score(by_prog, expect)
        s["scored_programs"] = sum(1 for k in expect if k in by_prog)
        s["unscored_programs"] = sorted(k for k in by_prog if k not in expect)
        s["missing_programs"] = sorted(k for k in expect if k not in by_prog)
    return s


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def summary_markdown(s: dict) -> str:
    lines = [f"# gcheck bench: {s['programs']} programs, {s['entries']} entries", ""]
    if "scores" in s:
        lines += ["| check | TP | FP | FN | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
        for c, v in s["scores"].items():
            name = f"**{c}**" if c == "all" else c
            lines.append(f"| {name} | {v['tp']} | {v['fp']} | {v['fn']} | {_fmt(v['precision'])} | "
                         f"{_fmt(v['recall'])} |")
        lines.append("")
    lines += [
        "| figure | value |", "|---|---:|",
        f"| verdicts (rows) | {', '.join(f'{k} {v}' for k, v in s['verdicts'].items())} |",
        f"| states / transitions | {s['states']} / {s['transitions']} |",
        f"| time per program: median / p95 / total (s) | {s['seconds_median']:.3f} / {s['seconds_p95']:.3f} / "
        f"{s['seconds_total']:.2f} |",
        f"| z3 time total (s) | {s['z3_seconds_total']:.3f} |",
        f"| peak RSS, largest program (MB) | {s['peak_rss_mb_max']:.1f} |",
        f"| bounded entries | {len(s['bounded'])} |",
        f"| programs with errors | {len(s['errors'])} |",
    ]
    return "\n".join(lines) + "\n"


def print_table(s: dict, stdout) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stdout, width=110, force_terminal=False, no_color=True)
    if "scores" in s:
        t = Table(title=f"expectations: {s['scored_programs']} programs scored")
        for col in ("check", "TP", "FP", "FN", "precision", "recall"):
            t.add_column(col, justify="left" if col == "check" else "right")
        for c, v in s["scores"].items():
            t.add_row(c, str(v["tp"]), str(v["fp"]), str(v["fn"]), _fmt(v["precision"]), _fmt(v["recall"]),
                      style="bold" if c == "all" else None, end_section=(c == list(s["scores"])[-2]))
        console.print(t)
    t = Table(title=f"{s['programs']} programs, {s['entries']} entries")
    t.add_column("figure")
    t.add_column("value", justify="right")
    t.add_row("verdicts (rows)", ", ".join(f"{k} {v}" for k, v in s["verdicts"].items()))
    t.add_row("states / transitions", f"{s['states']} / {s['transitions']}")
    t.add_row("time per program median / p95", f"{s['seconds_median']:.3f} s / {s['seconds_p95']:.3f} s")
    t.add_row("time total (sum over programs)", f"{s['seconds_total']:.2f} s")
    t.add_row("z3 time total", f"{s['z3_seconds_total']:.3f} s")
    t.add_row("peak RSS (largest program)", f"{s['peak_rss_mb_max']:.1f} MB")
    t.add_row("bounded entries", str(len(s["bounded"])))
    t.add_row("programs with errors", str(len(s["errors"])))
    console.print(t)


def plots(out: Path, programs: list[dict], rows: list[dict]) -> list[str]:
    """time_vs_states, time_per_program, states_per_program (PNG and PDF). Raises ImportError."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []

    def save(fig, name):
        fig.tight_layout()
        for ext in ("png", "pdf"):
            p = out / f"{name}.{ext}"
            fig.savefig(p, dpi=150, metadata={"CreationDate": None} if ext == "pdf" else None)
            written.append(p.name)
        plt.close(fig)

    ent = [r for r in rows if r["entry"]]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    colors = {"findings": "tab:red", "clean": "tab:green", "bounded": "tab:orange", "error": "tab:gray"}
    for verdict, c in colors.items():
        xs = [max(r["states"], 1) for r in ent if r["verdict"] == verdict]
        ys = [max(r["seconds"], 1e-4) for r in ent if r["verdict"] == verdict]
        if xs:
            ax.scatter(xs, ys, s=14, c=c, label=f"{verdict} ({len(xs)})", alpha=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("states explored")
    ax.set_ylabel("exploration time per entry (s)")
    ax.set_title("time against states")
    ax.grid(True, which="both", alpha=0.3)
    if ent:
        ax.legend(fontsize=8)
    save(fig, "time_vs_states")

    progs = sorted(programs, key=lambda p: p["seconds"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(range(1, len(progs) + 1), [p["seconds"] for p in progs], marker=".", lw=1)
    ax.set_xlabel("programs, sorted by time")
    ax.set_ylabel("wall time per program (s)")
    ax.set_yscale("log")
    ax.set_title("time per program (sorted)")
    ax.grid(True, which="both", alpha=0.3)
    save(fig, "time_per_program")

    states = defaultdict(int)
    for r in rows:
        states[r["program"]] += r["states"]
    order = sorted(states, key=lambda k: states[k])
    fig, ax = plt.subplots(figsize=(7, max(3.0, 0.16 * len(order) + 1)))
    ax.barh(range(len(order)), [max(states[k], 1) for k in order], color="tab:blue")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(order, fontsize=5 if len(order) > 40 else 7)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xscale("log")
    ax.set_xlabel("states (all entries)")
    ax.set_title("states per program")
    save(fig, "states_per_program")
    return written


# ---------------------------------------------------------------- command


def run_bench(args, stdout, stderr) -> int:
    from gcheck import config as C
    from gcheck.cli import UsageError, build_options
    from gcheck.loader import expand

    corpus = args.corpus.rstrip("/") or "/"
    if corpus.endswith("/..."):
        corpus = corpus[:-4]
    if not os.path.isdir(corpus):
        stderr.write(f"gcheck bench: {args.corpus}: not a directory\n")
        return 2
    try:
        options, _ = build_options(args, [corpus + "/..."])
    except (UsageError, C.ConfigError) as e:
        stderr.write(f"gcheck bench: {e}\n")
        return 2
    ctx = options.build_context()
    if args.executor != "local" and not re.match(r"^(dask|tcp)://[^/:]+:\d+/?$", args.executor):
        stderr.write(f"gcheck bench: unknown --executor {args.executor!r} (want local or dask://HOST:PORT)\n")
        return 2
    if args.executor != "local":
        try:
            import distributed  # noqa: F401
        except ImportError:
            stderr.write("gcheck bench: --executor dask:// needs Dask: pip install 'gcheck[dask]' "
                         "(or pip install distributed)\n")
            return 2
    if args.write_expect:
        n = write_expect(corpus, ctx, args.write_expect)
        stdout.write(f"wrote {args.write_expect}: expectations of {n} programs from // want comments\n")
        return 0
    expect = None
    if args.expect:
        try:
            expect = load_expect(args.expect)
        except (OSError, ValueError) as e:
            stderr.write(f"gcheck bench: {e}\n")
            return 2
    pkgs, errors = expand([corpus + "/..."], ctx)
    for e in errors:
        stderr.write(f"gcheck bench: {e}\n")
    if not pkgs:
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, options.jobs or 1)
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")

    tally = Counter()
    progress = None
    if not args.no_progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        progress = Progress(TextColumn("[bold]bench"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TimeRemainingColumn(), TextColumn("{task.description}"),
                            console=Console(file=stderr), transient=False)
    task = None

    def tally_text():
        return " ".join(f"{k} {tally[k]}" for k in ("findings", "clean", "bounded", "error") if tally[k]) or "..."

    def on_done(res):
        v = [r["verdict"] for r in _rows(res)]
        for k in ("error", "findings", "bounded", "clean"):
            if k in v:
                tally[k] += 1
                break
        if progress is not None:
            progress.update(task, advance=1, description=tally_text())

    if progress is not None:
        progress.start()
        task = progress.add_task("...", total=len(pkgs))
    try:
        programs = _run_all(pkgs, options, corpus, jobs, args.executor, on_done)
    finally:
        if progress is not None:
            progress.stop()
    finished = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    rows = [r for p in programs for r in _rows(p)]
    write_rows(out, rows)
    s = summarize(programs, rows, expect)
    (out / "summary.json").write_text(json.dumps(s, indent=1) + "\n")
    (out / "summary.md").write_text(summary_markdown(s))
    (out / "meta.json").write_text(json.dumps(meta(options, args, pkgs, corpus, args.expect, started, finished),
                                              indent=1, default=str) + "\n")
    print_table(s, stdout)
    if not args.no_plots:
        try:
            written = plots(out, programs, rows)
            stdout.write(f"plots: {', '.join(str(out / w) for w in written if w.endswith('.png'))}\n")
        except ImportError:
            stderr.write(f"gcheck bench: no plots: {PLOTS_HINT}\n")
    stdout.write(f"wrote {out}/rows.csv, rows.jsonl, summary.json, summary.md, meta.json\n")
    return 0
