"""Whole-pipeline fuzzing: mutants of Go files through ``gcheck check``.

Every input is a one-file package handed to the real command line
(``gcheck.cli.run``, in a forked child per input so that a hang can be
killed and a crash cannot take the fuzzer down). Each must end with exit 0
or 1 (findings) or exit 2 with an error message — never a Python traceback,
never a hang (a per-input wall-clock limit).

Inputs: token deletions, insertions, replacements and swaps, truncations,
random bytes, line shuffles, pathological nesting (10,000 parentheses,
blocks, brackets, unary operators), and special files (empty, NUL bytes,
invalid UTF-8, a byte-order mark, CR line endings, a 50 MB file, a 1 MB
line, a huge literal), built from the example corpus and real Go files
(the Go toolchain's own standard library when it is installed).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_TOKEN = re.compile(rb'`[^`]*`|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/'
                    rb"|\w+|\.\.\.|<<=|>>=|&\^=|[-+*/%&|^<>=!:]=?|&&|\|\||<-|\+\+|--|\S|\n", re.S)
_POOL = [b"(", b")", b"{", b"}", b"[", b"]", b",", b";", b":", b"=", b":=", b"<-", b"chan", b"func",
         b"go", b"select", b"case", b"default", b"type", b"interface", b"struct", b"map", b"range",
         b"...", b".", b"*", b"&", b"~", b"|", b"x", b"0", b"1", b'"s"', b"`r`", b"'c'", b"\n", b"/*",
         b"//", b"else", b"if", b"for", b"switch", b"return", b"import", b"package", b"var", b"const",
         b"defer", b"break", b"continue", b"goto", b"fallthrough", b"nil", b"close", b"make", b"new",
         b"panic", b"recover", b"len", b"sync", b"time", b"mu", b"wg", b"ch", b"<-ch", b"ch <-",
         b"go func() {", b"}()", b"select {}", b"for {", b"1 << 62", b"-1", b"1e308", b"0x", b"'\\x00'"]

NEST = 10_000


@dataclass
class Input:
    name: str
    data: bytes
    kind: str


@dataclass
class Outcome:
    name: str
    kind: str
    exit: int | None  # None: killed (hang) or died
    seconds: float
    size: int
    problem: str = ""  # empty when the input ended properly
    tail: str = ""


@dataclass
class Report:
    outcomes: list = field(default_factory=list)

    @property
    def problems(self) -> list:
        return [o for o in self.outcomes if o.problem]

    @property
    def tracebacks(self) -> list:
        return [o for o in self.outcomes if "traceback" in o.problem]

    @property
    def hangs(self) -> list:
        return [o for o in self.outcomes if "hang" in o.problem]

    def slowest(self, n: int = 3) -> list:
        return sorted(self.outcomes, key=lambda o: -o.seconds)[:n]

    def summary(self) -> str:
        by_exit: dict = {}
        for o in self.outcomes:
            by_exit[o.exit] = by_exit.get(o.exit, 0) + 1
        lines = [f"inputs tried           {len(self.outcomes)}",
                 f"exit codes             " + ", ".join(f"{k}: {v}" for k, v in sorted(by_exit.items(), key=str)),
                 f"tracebacks             {len(self.tracebacks)}",
                 f"hangs                  {len(self.hangs)}",
                 f"other problems         {len(self.problems) - len(self.tracebacks) - len(self.hangs)}"]
        for o in self.slowest(3):
            lines.append(f"slow: {o.seconds:6.2f}s  {o.name} ({o.kind}, {o.size} bytes, exit {o.exit})")
        for o in self.problems[:10]:
            lines.append(f"PROBLEM {o.name} ({o.kind}): {o.problem}\n{o.tail}")
        return "\n".join(lines)


# --------------------------------------------------------------------------
# Seeds and mutants


def example_sources() -> list[tuple[str, bytes]]:
    out = []
    for p in sorted((REPO / "examples").rglob("*.go")):
        out.append((str(p.relative_to(REPO)), p.read_bytes()))
    return out


def stdlib_sources(limit: int = 40, seed: int = 0, max_bytes: int = 20_000) -> list[tuple[str, bytes]]:
    """Real Go files: a seeded sample of the installed toolchain's standard
    library (concurrency-heavy packages first); empty when Go is missing."""
    goroot = _goroot()
    if goroot is None:
        return []
    src = Path(goroot) / "src"
    prefer = ["sync", "context", "time", "runtime/pprof", "net/http", "os/exec", "io", "bufio",
              "container", "sort", "strings", "errors", "sync/atomic", "log", "expvar"]
    files = []
    for pkg in prefer:
        d = src / pkg
        if d.is_dir():
            files += [p for p in sorted(d.glob("*.go")) if p.stat().st_size <= max_bytes]
    rng = random.Random(seed)
    rng.shuffle(files)
    return [(str(p.relative_to(src)), p.read_bytes()) for p in files[:limit]]


def _goroot() -> str | None:
    go = shutil.which("go")
    if go is None:
        return None
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off")
    try:
        return subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, env=env, timeout=60,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


_STMTS = [b"go func() {}()", b"close(ch)", b"select {}", b'panic("fuzz")', b"for {\n}", b"return",
          b"runtime.Gosched()", b"time.Sleep(time.Millisecond)", b"var ch chan int; ch <- 1",
          b"ch := make(chan int); go func() { ch <- 1 }(); <-ch", b"var mu sync.Mutex; mu.Unlock()",
          b"var wg sync.WaitGroup; wg.Done()", b"defer func() { recover() }()", b"break", b"continue",
          b"goto L", b"L:", b"x := <-make(chan int)", b"select { default: }",
          b"for i := range 3 { _ = i }", b"var m map[int]int; m[0] = 1", b"_ = [0]int{}[len(\"a\")]"]
_IDENT = re.compile(rb"\b[A-Za-z_]\w*\b")
_INT = re.compile(rb"\b\d+\b")


def _is_stmt(line: bytes) -> bool:
    s = line.strip()
    return (line.startswith(b"\t") and bool(s) and not s.startswith((b"}", b"case ", b"default:", b"//", b")"))
            and not s.endswith((b"{", b"(", b",")))


def mutate_statements(rng: random.Random, src: bytes) -> tuple[str, bytes]:
    """Mutations that mostly keep the file parseable, so that lowering and the
    model see odd programs too (not just the parser)."""
    lines = src.split(b"\n")
    stmts = [k for k, ln in enumerate(lines) if _is_stmt(ln)]
    if not stmts:
        return mutate(rng, src, token_level=True)
    k = rng.choice(stmts)
    indent = lines[k][: len(lines[k]) - len(lines[k].lstrip(b"\t"))]
    kind = rng.randrange(8)
    if kind == 0:
        del lines[k]
        return "stmt-delete", b"\n".join(lines)
    if kind == 1:
        lines.insert(k, lines[k])
        return "stmt-duplicate", b"\n".join(lines)
    if kind == 2:
        j = rng.choice(stmts)
        lines[k], lines[j] = lines[j], lines[k]
        return "stmt-swap", b"\n".join(lines)
    if kind == 3:
        lines[k:k + 1] = [indent + b"for fz := 0; fz < 3; fz++ {", lines[k], indent + b"}"]
        return "stmt-loop", b"\n".join(lines)
    if kind == 4:
        lines.insert(k, indent + rng.choice(_STMTS))
        return "stmt-insert", b"\n".join(lines)
    if kind == 5:  # one identifier for another from the same file
        names = sorted(set(_IDENT.findall(src)))
        occ = list(_IDENT.finditer(lines[k]))
        if occ and names:
            m = rng.choice(occ)
            lines[k] = lines[k][: m.start()] + rng.choice(names) + lines[k][m.end():]
        return "ident", b"\n".join(lines)
    if kind == 6:  # an integer literal for an odd one
        occ = list(_INT.finditer(lines[k]))
        if occ:
            m = rng.choice(occ)
            lines[k] = lines[k][: m.start()] + rng.choice([b"0", b"1", b"-1", b"3", b"1000000", b"1 << 62",
                                                           b"0x7fffffffffffffff"]) + lines[k][m.end():]
        return "int", b"\n".join(lines)
    lines[k] = lines[k].replace(b"make(chan", b"*new(chan", 1).replace(b"close(", b"close(nil, ", 1) \
        if rng.random() < 0.5 else indent + b"if false {" + lines[k].lstrip(b"\t") + b"}"
    return "stmt-odd", b"\n".join(lines)


def mutate(rng: random.Random, src: bytes, token_level: bool = False) -> tuple[str, bytes]:
    if not token_level and rng.random() < 0.5:
        return mutate_statements(rng, src)
    toks = _TOKEN.findall(src) or [b"package", b" ", b"main"]
    kind = rng.randrange(10)
    i = rng.randrange(len(toks))
    if kind == 0:
        n = rng.choice([1, 1, 1, 3, 10])
        del toks[i:i + n]
        return "delete", b" ".join(toks)
    if kind == 1:
        for _ in range(rng.choice([1, 1, 2, 5])):
            toks.insert(rng.randrange(len(toks) + 1), rng.choice(_POOL))
        return "insert", b" ".join(toks)
    if kind == 2:
        toks[i] = rng.choice(_POOL)
        return "replace", b" ".join(toks)
    if kind == 3:
        return "truncate", src[: rng.randrange(len(src) + 1)]
    if kind == 4:
        pos = rng.randrange(len(src) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        return "random-bytes", src[:pos] + junk + src[pos:]
    if kind == 5:
        j = rng.randrange(len(toks))
        toks[i], toks[j] = toks[j], toks[i]
        return "swap", b" ".join(toks)
    if kind == 6:
        lines = src.split(b"\n")
        a = rng.randrange(len(lines))
        b = rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return "line-swap", b"\n".join(lines)
    if kind == 7:  # duplicate a span (often a whole statement or declaration)
        j = min(len(toks), i + rng.randint(1, 40))
        toks[j:j] = toks[i:j]
        return "duplicate", b" ".join(toks)
    if kind == 8:  # keep only the tokens; newlines become spaces (semicolon rules)
        return "one-line", b" ".join(t for t in toks if t != b"\n")
    opener, closer = rng.choice([(b"(", b")"), (b"{", b"}"), (b"[", b"]"), (b"-", b""), (b"<-", b""),
                                 (b"*", b""), (b"!", b"")])
    depth = rng.choice([50, 500, NEST])
    toks.insert(i, opener * depth + b"x" + closer * depth)
    return "nest", b" ".join(toks)


def special_inputs(big_mb: int = 50) -> list[Input]:
    """The hand-made pathological files."""
    body = b"\tx = (" + b"(" * NEST + b"1" + b")" * NEST + b")\n"
    func_ = b"package main\n\nfunc main() {\n\tvar x int\n" + body + b"\t_ = x\n}\n"
    blocks = b"package main\n\nfunc main() {\n" + b"{" * NEST + b"}" * NEST + b"\n}\n"
    ifs = b"package main\n\nfunc main() {\n\tx := 1\n" + b"if x > 0 {\n" * 2000 + b"}\n" * 2000 + b"}\n"
    gos = (b"package main\n\nfunc main() {\n\tch := make(chan int)\n"
           + b"\tgo func() { ch <- 1 }()\n" * 3000 + b"\t<-ch\n}\n")
    unit = (b"func f%d(ch chan int) {\n\tselect {\n\tcase ch <- 1:\n\tdefault:\n\t}\n}\n\n")
    out = [
        Input("empty.go", b"", "special"),
        Input("nul.go", b"\0" * 100_000, "special"),
        Input("nul-in-code.go", b"package main\n\nfunc main() {\n\tx := \"a\0b\"\n\t_ = x\n}\n", "special"),
        Input("invalid-utf8.go", b"package main\n\n// \xff\xfe\xc3\x28\nfunc main() { s := \"\xe2\x28\xa1\"; _ = s }\n",
              "special"),
        Input("bom.go", b"\xef\xbb\xbfpackage main\n\nfunc main() {}\n", "special"),
        Input("cr-only.go", b"package main\r\rfunc main() {\r\tch := make(chan int)\r\t<-ch\r}\r", "special"),
        Input("crlf.go", b"package main\r\n\r\nfunc main() {\r\n\tch := make(chan int)\r\n\t<-ch\r\n}\r\n",
              "special"),
        Input("parens-10000.go", func_, "special"),
        Input("blocks-10000.go", blocks, "special"),
        Input("ifs-2000.go", ifs, "special"),
        Input("goroutines-3000.go", gos, "special"),
        Input("long-line.go", b"package main\n\nvar s = \"" + b"a" * 1_000_000 + b"\"\n\nfunc main() {}\n", "special"),
        Input("huge-int.go", b"package main\n\nconst c = 1" + b"0" * 100_000 + b"\n\nfunc main() {}\n", "special"),
        Input("only-package.go", b"package main\n", "special"),
        Input("no-main.go", b"package main\n\nfunc f() {}\n", "special"),
        Input("not-go.go", b"#!/bin/sh\necho hello\n", "special"),
        Input("binary.go", bytes(random.Random(7).randrange(256) for _ in range(200_000)), "special"),
    ]
    if big_mb:
        n = 0
        chunks = [b"package main\n\n"]
        size = len(chunks[0])
        while size < big_mb * 1024 * 1024:
            c = unit % n
            chunks.append(c)
            size += len(c)
            n += 1
        chunks.append(b"func main() {}\n")
        out.append(Input(f"big-{big_mb}mb.go", b"".join(chunks), "special"))
    return out


def corpus(n_mutants: int, seed: int = 0, stdlib: int = 40, big_mb: int = 50) -> list[Input]:
    """Special inputs plus n_mutants seeded mutants of the examples and of
    real Go files (a mutant of a mutant now and then)."""
    rng = random.Random(seed)
    seeds = example_sources() + stdlib_sources(stdlib, seed)
    out = special_inputs(big_mb)
    for k in range(n_mutants):
        name, src = seeds[rng.randrange(len(seeds))]
        kinds = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            kind, src = mutate(rng, src)
            kinds.append(kind)
        out.append(Input(f"m{k:05d}-{Path(name).name}", src, "+".join(kinds)))
    return out


# --------------------------------------------------------------------------
# Running one input


DEFAULT_ARGS = ["--no-cache", "--timeout", "10", "--max-states", "20000", "--no-config"]


def _child(argv: list, wfd: int) -> None:
    out, err = io.StringIO(), io.StringIO()
    res = {"exit": None, "traceback": "", "stdout": "", "stderr": ""}
    try:
        from gcheck import cli

        res["exit"] = cli.run(argv, out, err)
    except BaseException:  # noqa: BLE001 - anything escaping cli.run is the bug we look for
        res["traceback"] = traceback.format_exc()
    res["stdout"] = out.getvalue()[-4000:]
    res["stderr"] = err.getvalue()[-4000:]
    data = json.dumps(res).encode()
    with os.fdopen(wfd, "wb") as f:
        f.write(data)
    os._exit(0)


def run_one(inp: Input, workdir: Path, limit: float = 60.0, args: list | None = None) -> Outcome:
    """gcheck check on one input (a one-file package) in a forked child."""
    d = workdir / "pkg"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    path = d / "main.go"
    path.write_bytes(inp.data)
    argv = ["check", *(args if args is not None else DEFAULT_ARGS), str(d)]
    r, w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        try:
            _child(argv, w)
        finally:
            os._exit(70)
    os.close(w)
    chunks = []
    killed = False
    deadline = t0 + limit
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        ready, _, _ = select.select([r], [], [], min(left, 1.0))
        if ready:
            b = os.read(r, 1 << 16)
            if not b:
                break
            chunks.append(b)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    secs = time.monotonic() - t0
    o = Outcome(inp.name, inp.kind, None, secs, len(inp.data))
    if killed:
        o.problem = f"hang: no result after {limit:g}s"
        return o
    try:
        res = json.loads(b"".join(chunks))
    except ValueError:
        o.problem = f"child died (wait status {status}) without a result"
        return o
    o.exit = res["exit"]
    text = res["stdout"] + res["stderr"]
    o.tail = text[-1500:]
    if res["traceback"]:
        o.problem = "traceback escaped cli.run:\n" + res["traceback"][-3000:]
    elif "Traceback (most recent call last)" in text:
        o.problem = "traceback in the output"
    elif o.exit not in (0, 1, 2):
        o.problem = f"exit {o.exit}"
    elif o.exit == 2 and not res["stderr"].strip() and "error" not in res["stdout"]:
        o.problem = "exit 2 without an error message"
    elif o.exit == 1 and "[" not in res["stdout"]:
        o.problem = "exit 1 without findings"
    return o


WARM = b"""package main

import (
	"context"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	ch := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock()
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
		mu.Unlock()
	}()
	wg.Wait()
}
"""


def warm_up(work: Path, args: list | None = None) -> None:
    """One in-process run of the whole pipeline (every module imported, the
    parser tables built, z3 loaded), so that each forked child starts warm."""
    from gcheck import cli

    d = work / "warm"
    d.mkdir(parents=True, exist_ok=True)
    (d / "main.go").write_bytes(WARM)
    for fmt in ("text", "json"):
        cli.run(["check", *(args if args is not None else DEFAULT_ARGS), "--format", fmt, str(d)],
                io.StringIO(), io.StringIO())


def run_corpus(inputs: list[Input], limit: float = 60.0, progress=None, args: list | None = None) -> Report:
    rep = Report()
    with tempfile.TemporaryDirectory(prefix="gcheck-fuzz-") as tmp:
        work = Path(tmp)
        warm_up(work, args)
        for k, inp in enumerate(inputs):
            rep.outcomes.append(run_one(inp, work, limit, args))
            if progress:
                progress(k + 1, rep)
    return rep


def run_cli_subprocess(data: bytes, limit: float = 120.0, args: list | None = None) -> tuple:
    """The installed entry point as a separate process (``python -m gcheck``):
    (exit code or None on a hang, stdout, stderr, seconds)."""
    with tempfile.TemporaryDirectory(prefix="gcheck-fuzz-") as tmp:
        d = Path(tmp) / "pkg"
        d.mkdir()
        (d / "main.go").write_bytes(data)
        cmd = [sys.executable, "-m", "gcheck", "check", *(args if args is not None else DEFAULT_ARGS), str(d)]
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, env=env,
                               stdin=subprocess.DEVNULL)
            return p.returncode, p.stdout, p.stderr, time.monotonic() - t0
        except subprocess.TimeoutExpired as e:
            return None, str(e.stdout or ""), str(e.stderr or ""), time.monotonic() - t0
