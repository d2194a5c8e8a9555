"""Package walking like the go tool: ./..., nested modules, vendor/testdata,
build constraints for a chosen GOOS/GOARCH. Where the real go tool is on
PATH, `go list` is the oracle for which files a tree compiles."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess

import pytest

from gcheck.cli import run
from gcheck.loader import BuildContext, eval_expr, expand, file_matches, parse_expr, ConstraintError


def _write(root, rel, text="package p\n"):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def _names(pkgs, root):
    return {os.path.relpath(f, root) for p in pkgs for f in p.files}


@pytest.fixture
def tree(tmp_path):
    r = tmp_path / "mod"
    _write(r, "go.mod", "module example.com/m\n\ngo 1.22\n")
    _write(r, "a.go")
    _write(r, "a_test.go")
    _write(r, "a_linux.go")
    _write(r, "a_windows.go")
    _write(r, "a_arm64.go")
    _write(r, "a_linux_amd64.go")
    _write(r, "a_darwin_arm64_test.go")
    _write(r, "linux.go")  # no underscore: not constrained
    _write(r, "tagged.go", "// Copyright\n\n//go:build linux && !cgo\n\npackage p\n")
    _write(r, "ignored.go", "//go:build ignore\n\npackage main\n")
    _write(r, "legacy.go", "// +build windows darwin\n\npackage p\n")
    _write(r, "late.go", "package p\n\n//go:build ignore\n")  # after the package clause: no constraint
    _write(r, "new.go", "//go:build go1.21 && (amd64 || arm64)\n\npackage p\n")
    _write(r, "future.go", "//go:build go1.99\n\npackage p\n")
    _write(r, "unix.go", "/* block\ncomment */\n//go:build unix\n\npackage p\n")
    _write(r, "_hidden.go")
    _write(r, ".dot.go")
    _write(r, "sub/s.go", "package sub\n")
    _write(r, "vendor/v/v.go", "package v\n")
    _write(r, "testdata/t/t.go", "package t\n")
    _write(r, "_skip/x.go", "package x\n")
    _write(r, "nested/go.mod", "module example.com/m/nested\n\ngo 1.22\n")
    _write(r, "nested/n.go", "package nested\n")
    return r


LINUX_AMD64 = {"a.go", "a_test.go", "a_linux.go", "a_linux_amd64.go", "linux.go", "tagged.go", "late.go",
               "new.go", "unix.go", "sub/s.go"}


def test_dot_dot_dot_like_the_go_tool(tree):
    pkgs, errors = expand([f"{tree}/..."])
    assert errors == []
    assert _names(pkgs, tree) == LINUX_AMD64
    assert [os.path.relpath(p.dir, tree) for p in pkgs] == [".", "sub"]


def test_other_goos_goarch(tree):
    pkgs, _ = expand([f"{tree}/..."], BuildContext("windows", "arm64"))
    assert _names(pkgs, tree) == {"a.go", "a_test.go", "a_windows.go", "a_arm64.go", "linux.go", "legacy.go",
                                  "late.go", "new.go", "sub/s.go"}
    pkgs, _ = expand([str(tree)], BuildContext("darwin", "arm64"))
    assert {"a_darwin_arm64_test.go", "legacy.go", "unix.go", "a_arm64.go"} <= _names(pkgs, tree)
    pkgs, _ = expand([str(tree)], BuildContext("android", "amd64"))
    assert {"a_linux.go", "a_linux_amd64.go", "tagged.go", "unix.go"} <= _names(pkgs, tree)


def test_tags_vendor_testdata_and_nested_modules(tree):
    pkgs, _ = expand([f"{tree}/..."], BuildContext(tags=("cgo", "ignore"), include_vendor=True,
                                                    include_testdata=True))
    names = _names(pkgs, tree)
    assert {"vendor/v/v.go", "testdata/t/t.go", "ignored.go"} <= names
    assert "tagged.go" not in names  # cgo now holds
    assert not any(n.startswith(("nested/", "_skip/")) for n in names)
    # the nested module is reachable on its own
    pkgs, errors = expand([f"{tree}/nested/..."])
    assert errors == [] and _names(pkgs, tree) == {"nested/n.go"}


def test_explicit_files_ignore_constraints(tree):
    pkgs, errors = expand([str(tree / "ignored.go")])
    assert errors == [] and _names(pkgs, tree) == {"ignored.go"}


def test_all_files_excluded_is_an_error(tmp_path):
    _write(tmp_path, "d/x_windows.go")
    _, errors = expand([str(tmp_path / "d")])
    assert len(errors) == 1 and "build constraints exclude all Go files" in errors[0]
    _, errors = expand([str(tmp_path / "d") + "/..."])
    assert "matched no packages" in errors[0]


@pytest.mark.parametrize("expr, want", [
    ("linux", True), ("!linux", False), ("linux && amd64", True), ("linux && arm64", False),
    ("windows || (linux && !386)", True), ("!(darwin || windows)", True), ("unix", True),
    ("go1.1 && go1.27 && !go1.28", True), ("gc && !gccgo", True), ("cgo", False),
])
def test_expressions(expr, want):
    assert eval_expr(parse_expr(expr), BuildContext()) is want


@pytest.mark.parametrize("bad", ["linux &&", "(linux", "linux || || amd64", "", "linux )", "a & b"])
def test_malformed_expressions(bad):
    with pytest.raises(ConstraintError):
        parse_expr(bad)


def test_malformed_go_build_is_an_error_with_position(tmp_path):
    p = _write(tmp_path, "d/x.go", "\n//go:build linux &&\n\npackage p\n")
    with pytest.raises(ConstraintError, match=r"x\.go:2:1: malformed //go:build"):
        file_matches(str(p), BuildContext())
    _, errors = expand([str(tmp_path / "d")])
    assert any("x.go:2:1: malformed //go:build" in e for e in errors)


def test_cli_goos_selects_files(tmp_path, monkeypatch):
    monkeypatch.setenv("GCHECK_CACHE_DIR", str(tmp_path / "cache"))
    leak = "package main\n\nfunc main() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n}\n"
    clean = "package main\n\nfunc main() {}\n"
    _write(tmp_path, "p/main_linux.go", leak)
    _write(tmp_path, "p/main_windows.go", clean)
    out = io.StringIO()
    assert run(["check", str(tmp_path / "p")], out, io.StringIO()) == 1
    out = io.StringIO()
    assert run(["check", "--goos", "windows", str(tmp_path / "p")], out, io.StringIO()) == 0, out.getvalue()


@pytest.mark.skipif(shutil.which("go") is None, reason="the go tool is not on PATH")
@pytest.mark.parametrize("goos, goarch", [("linux", "amd64"), ("windows", "arm64"), ("darwin", "arm64")])
def test_agrees_with_go_list(tree, goos, goarch):
    env = {**os.environ, "GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0", "GOTOOLCHAIN": "local",
           "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    # go list refuses conflicting package clauses and build-ignored main files in one dir: make them agree
    for f in tree.rglob("*.go"):
        if f.name == "ignored.go":
            f.write_text("//go:build ignore\n\npackage p\n")
    proc = subprocess.run(["go", "list", "-e", "-json", "./..."], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    dec = json.JSONDecoder()
    text, i, want = proc.stdout, 0, set()
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = dec.raw_decode(text, i)
        rel = os.path.relpath(obj["Dir"], tree)
        for k in ("GoFiles", "TestGoFiles", "XTestGoFiles"):
            want |= {os.path.normpath(os.path.join(rel, f)) for f in obj.get(k) or ()}
    pkgs, _ = expand([f"{tree}/..."], BuildContext(goos, goarch))
    assert _names(pkgs, tree) == want
