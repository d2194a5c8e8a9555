"""The command line: exit codes, clean errors, JSON shape, determinism."""

from __future__ import annotations

import io
import json
import textwrap

import pytest

from gcheck.cli import run

LEAK = textwrap.dedent(
    """\
    package main

    func main() {
    	ch := make(chan int)
    	go func() { ch <- 1 }()
    }
    """
)

CLEAN = textwrap.dedent(
    """\
    package main

    func main() {
    	ch := make(chan int, 1)
    	go func() { ch <- 1 }()
    	<-ch
    }
    """
)


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path, name, text):
    d = tmp_path / name
    d.mkdir()
    (d / "main.go").write_text(text)
    return d


def test_findings_exit_1_with_vet_style_line(tmp_path):
    d = _write(tmp_path, "leak", LEAK)
    code, out, _ = _run("check", str(d))
    assert code == 1
    first = out.splitlines()[0]
    assert first.endswith("[goroutine-leak]")
    assert "main.go:5:14: error: goroutine 2" in first
    assert "exploration complete" in out.splitlines()[-1]


def test_clean_exit_0(tmp_path):
    d = _write(tmp_path, "clean", CLEAN)
    code, out, _ = _run("check", str(d))
    assert code == 0, out
    assert "0 finding(s)" in out


def test_exit_zero_flag(tmp_path):
    d = _write(tmp_path, "leak", LEAK)
    assert _run("check", "--exit-zero", str(d))[0] == 0


def test_syntax_error_exit_2_and_good_package_still_checked(tmp_path):
    bad = _write(tmp_path, "bad", "package main\n\nfunc main() {\n\tx := \n}\n")
    good = _write(tmp_path, "good", LEAK)
    code, out, _ = _run("check", str(bad), str(good))
    assert code == 2
    assert "bad/main.go:5:1: syntax error" in out
    assert "[goroutine-leak]" in out  # the good package's result is not lost


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary", b"\xff\xfe not utf-8", b""])
def test_junk_files_are_clean_errors(tmp_path, content):
    d = tmp_path / "junk"
    d.mkdir()
    (d / "main.go").write_bytes(content)
    code, out, err = _run("check", str(d))
    assert code == 2
    assert "Traceback" not in out + err
    assert "main.go:" in out


def test_missing_path_is_exit_2(tmp_path):
    code, out, _ = _run("check", str(tmp_path / "nope"))
    assert code == 2
    assert "no such file or directory" in out


def test_usage_error_is_exit_2():
    assert _run("check", "--max-states", "many")[0] == 2


def test_json_schema(tmp_path):
    d = _write(tmp_path, "leak", LEAK)
    code, out, _ = _run("check", "--format", "json", str(d))
    assert code == 1
    doc = json.loads(out)
    assert doc["schema"] == 1
    (f,) = doc["findings"]
    assert f["check"] == "goroutine-leak" and f["line"] == 5 and f["entry"] == "main"
    assert f["trace"]["goroutines"][0]["status"] == "chan send"
    assert doc["stats"][0]["complete"] is True and doc["stats"][0]["bound"] is None


def test_output_is_deterministic(tmp_path):
    d = _write(tmp_path, "leak", LEAK)
    runs = [_run("check", str(d))[1].splitlines()[:-1] for _ in range(3)]  # last line has timings
    assert runs[0] == runs[1] == runs[2]


def test_bound_is_reported(tmp_path):
    src = textwrap.dedent(
        """\
        package main

        func main() {
        	ch := make(chan int)
        	go func() {
        		for i := 0; ; i++ {
        			ch <- i
        		}
        	}()
        	for {
        		<-ch
        	}
        }
        """
    )
    d = _write(tmp_path, "grow", src)
    code, out, _ = _run("check", "--max-states", "50", str(d))
    assert "bounded: main by max-states (50)" in out.splitlines()[-1]


def test_parse_subcommand(tmp_path):
    d = _write(tmp_path, "ok", CLEAN)
    code, out, _ = _run("parse", str(d))
    assert code == 0
    assert "parsed 1 files" in out
