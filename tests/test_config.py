"""gcheck.toml / [tool.gcheck]: found upward from the target, flags win,
unknown keys are errors with file and line."""

from __future__ import annotations

import io
import textwrap

import pytest

from gcheck import config as C
from gcheck.cli import build_options, _parser, run
from gcheck.report.rules import known_ids

LEAK = "package main\n\nfunc main() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n}\n"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GCHECK_CACHE_DIR", str(tmp_path / "cache"))


def _tree(tmp_path, config_name, config_text):
    (tmp_path / config_name).write_text(textwrap.dedent(config_text))
    d = tmp_path / "svc" / "cmd" / "leak"
    d.mkdir(parents=True)
    (d / "main.go").write_text(LEAK)
    return d


def _options(argv):
    args = _parser().parse_args(["check", *argv])
    return build_options(args, args.paths)


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def test_gcheck_toml_is_found_upward_and_flags_win(tmp_path):
    d = _tree(tmp_path, "gcheck.toml", """\
        disable = ["defer-in-loop"]
        go-version = "1.22"
        max-states = 1234
        timeout = 7.5
        entries = ["main", "TestServer*"]
        goos = "darwin"
        tags = ["integration"]
        jobs = 2

        [severity]
        goroutine-leak = "warning"
        """)
    opts, path = _options([f"{d}/..."])
    assert path == str(tmp_path / "gcheck.toml")
    assert opts.disable == ("defer-in-loop",) and opts.go_version == (1, 22)
    assert opts.limits.max_states == 1234 and opts.limits.timeout == 7.5
    assert opts.limits.max_depth == 5000  # not in the file: the default
    assert opts.entries == ("main", "TestServer*") and opts.goos == "darwin" and opts.tags == ("integration",)
    assert opts.severity == {"goroutine-leak": "warning"} and opts.jobs == 2
    opts, _ = _options([str(d), "--max-states", "99", "--go-version", "1.21", "--disable", "goroutine-leak",
                        "--severity", "goroutine-leak=error", "-j", "1", "--goos", "linux"])
    assert opts.limits.max_states == 99 and opts.go_version == (1, 21)
    assert opts.disable == ("goroutine-leak",) and opts.severity["goroutine-leak"] == "error"
    assert opts.jobs == 1 and opts.goos == "linux"
    opts, path = _options([str(d), "--no-config"])
    assert path is None and opts.limits.max_states == 200_000


def test_pyproject_tool_gcheck_and_severity_applies(tmp_path):
    d = _tree(tmp_path, "pyproject.toml", """\
        [project]
        name = "x"

        [tool.gcheck]
        max-depth = 50

        [tool.gcheck.severity]
        goroutine-leak = "warning"
        """)
    opts, path = _options([str(d)])
    assert path == str(tmp_path / "pyproject.toml") and opts.limits.max_depth == 50
    code, out, _ = _run("check", str(d))
    assert code == 1 and "warning: goroutine 2" in out
    code, out, _ = _run("check", "--severity", "goroutine-leak=off", str(d))
    assert code == 0 and "0 finding(s)" in out


def test_a_pyproject_without_our_table_is_passed_over(tmp_path):
    (tmp_path / "gcheck.toml").write_text("max-states = 77\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    d = inner / "p"
    d.mkdir()
    (d / "main.go").write_text(LEAK)
    opts, path = _options([str(d)])
    assert path == str(tmp_path / "gcheck.toml") and opts.limits.max_states == 77


def test_enable_restricts_the_checks(tmp_path):
    d = _tree(tmp_path, "gcheck.toml", 'enable = ["global-deadlock"]\n')
    code, out, _ = _run("check", str(d))
    assert code == 0 and "0 finding(s)" in out


@pytest.mark.parametrize("name, text, line, col, words", [
    ("gcheck.toml", 'max-states = 10\n\nmax_stats = 3\n', 3, 1, "unknown key 'max_stats'"),
    ("gcheck.toml", 'timeout = 1\n[severity]\n  goroutine-lek = "warning"\n', 3, 3, "unknown check id 'goroutine-lek'"),
    ("gcheck.toml", '[severity]\ngoroutine-leak = "loud"\n', 2, 1, "must be one of"),
    ("gcheck.toml", 'max-states = "many"\n', 1, 1, "max-states must be a int"),
    ("gcheck.toml", 'disable = ["no-such-check"]\n', 1, 1, "unknown check id 'no-such-check'"),
    ("gcheck.toml", 'max-states = 10\nmax-states = 11\n', 2, None, "invalid TOML"),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.gcheck]\nmax-states = 5\ncolour = "red"\n', 6, 1,
     "unknown key 'colour' in [tool.gcheck]"),
    ("pyproject.toml", '[tool.gcheck]\nmax-states = 5\n[tool.gcheck.severity]\nnope = "off"\n', 4, 1,
     "unknown check id 'nope'"),
])
def test_config_errors_name_file_and_line(tmp_path, name, text, line, col, words):
    d = _tree(tmp_path, name, text)
    code, out, err = _run("check", str(d))
    assert code == 2 and out == ""
    prefix = f"gcheck: {tmp_path / name}:{line}:" + (f"{col}:" if col else "")
    assert err.startswith(prefix), err
    assert words in err


def test_find_line_dotted_keys():
    text = '[tool.gcheck]\nseverity.goroutine-leak = "off"\n[tool.other]\nx = 1\n'
    assert C.find_line(text, ["tool", "gcheck"], "severity") == (2, 1)
    assert C.find_line(text, ["tool", "gcheck", "severity"], "goroutine-leak") == (2, 1)
    assert C.find_line(text, ["tool", "gcheck"], "x") == (1, 1)  # not found: the file's first line


def test_load_validates_known_checks():
    assert "goroutine-leak" in known_ids() and "unused-suppression" in known_ids()


def test_explicit_missing_config_is_usage_error(tmp_path):
    d = _tree(tmp_path, "unrelated.txt", "")
    code, _, err = _run("check", "--config", str(tmp_path / "nope.toml"), str(d))
    assert code == 2 and "no such file" in err
