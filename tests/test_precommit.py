"""The .pre-commit-hooks.yaml entry: well formed, and its command line is one
gcheck accepts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_hook_definition():
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    for key in ("id", "name", "entry", "language"):
        assert isinstance(hook[key], str) and hook[key]
    assert hook["id"] == "gcheck" and hook["language"] == "python"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"] in scripts  # the console script pip installs
    assert hook["pass_filenames"] is False  # whole packages, not single files
    files = re.compile(hook["files"])
    for path in ("main.go", "pkg/x/y_test.go", "go.mod", "sub/go.mod", "gcheck.toml", "pyproject.toml"):
        assert files.search(path), path
    for path in ("README.md", "notgo.mod.txt", "main.go.orig"):
        assert not files.search(path), path
    from gcheck.cli import _parser

    args = _parser().parse_args(hook["args"])
    assert args.cmd == "check" and args.paths == ["./..."]
