"""--format sarif (validated against the official SARIF 2.1.0 schema, vendored
in tests/data), --format github, and the JSON report against its shipped
schema (gcheck/report/schema.json)."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from gcheck.cli import run

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

LEAK = textwrap.dedent(
    """\
    package main

    func main() {
    	ch := make(chan int)
    	go func() { ch <- 1 }()
    }
    """
)

# a deadlock with two goroutines, a non-ASCII string before the operation
# (SARIF columns count UTF-16 units, gcheck's count bytes), and a note
DEADLOCK = textwrap.dedent(
    """\
    package main

    import "sync"

    func main() {
    	var a, b sync.Mutex
    	done := make(chan bool)
    	go func() {
    		b.Lock()
    		a.Lock()
    		done <- true
    	}()
    	a.Lock()
    	s := "héllo"; b.Lock()
    	_ = s
    	<-done
    }
    """
)


def _run(*argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GCHECK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def corpus_result():
    """Part of the example corpus (leaks, deadlocks, panics, a syntax check), checked once."""
    from gcheck.api import Options, check_paths

    parts = ["goroutine-leak", "global-deadlock", "close-of-closed", "defer-in-loop"]
    return check_paths([str(EXAMPLES / p) + "/..." for p in parts if (EXAMPLES / p).is_dir()], Options())


def _errors(validator, doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def _prog(tmp_path, name, src):
    d = tmp_path / name
    d.mkdir()
    (d / "main.go").write_text(src)
    return d


def test_sarif_of_a_leak_is_valid_and_carries_the_trace(tmp_path, sarif_validator, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _prog(tmp_path, "leak", LEAK)
    code, out, _ = _run("check", "--format", "sarif", "./leak")
    assert code == 1
    doc = json.loads(out)
    assert _errors(sarif_validator, doc) == []
    assert doc["version"] == "2.1.0"
    (run_,) = doc["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "gcheck"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert {"goroutine-leak", "global-deadlock", "bad-suppression", "unused-suppression"} <= set(rule_ids)
    leak_rule = driver["rules"][rule_ids.index("goroutine-leak")]
    assert "What it does" in leak_rule["fullDescription"]["text"]  # the check's documentation page
    assert leak_rule["help"]["markdown"]
    (res,) = run_["results"]
    assert res["ruleId"] == "goroutine-leak" and res["level"] == "error"
    assert driver["rules"][res["ruleIndex"]]["id"] == "goroutine-leak"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "leak/main.go", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 5, "startColumn": 14}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    # the goroutine dump at the end as stacks
    (stack,) = res["stacks"]
    assert stack["message"]["text"] == "goroutine 2 [chan send]"
    assert stack["frames"][-1]["location"]["message"]["text"].startswith("created by main.main")


def test_sarif_threadflows_interleave_by_execution_order(tmp_path, sarif_validator, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _prog(tmp_path, "abba", DEADLOCK)
    code, out, _ = _run("check", "--format", "sarif", "abba")
    assert code == 1
    doc = json.loads(out)
    assert _errors(sarif_validator, doc) == []
    results = doc["runs"][0]["results"]
    (dl,) = [r for r in results if r["ruleId"] == "global-deadlock"
             and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 14]
    (flow,) = dl["codeFlows"]
    ids = [tf["id"] for tf in flow["threadFlows"]]
    assert ids == sorted(set(ids)) and len(ids) == 2, ids  # one threadFlow per goroutine
    locs = [loc for tf in flow["threadFlows"] for loc in tf["locations"]]
    orders = sorted(loc["executionOrder"] for loc in locs)
    assert orders == list(range(1, len(locs) + 1))  # together: every step exactly once
    for tf in flow["threadFlows"]:
        for loc in tf["locations"]:
            assert loc["location"]["message"]["text"].startswith(tf["id"] + ": ")
    # "héllo" is 6 bytes but 5 UTF-16 units: b.Lock() on line 14 is at byte column 17, UTF-16 column 16
    assert dl["locations"][0]["physicalLocation"]["region"]["startColumn"] == 16


def test_sarif_of_the_example_corpus_is_valid(sarif_validator, corpus_result):
    from gcheck.report import sarif

    result = corpus_result
    doc = sarif.to_dict(result)
    assert _errors(sarif_validator, doc) == []
    assert len(doc["runs"][0]["results"]) == len(result.findings) > 20
    assert any("codeFlows" in r for r in doc["runs"][0]["results"] if r["ruleId"] == "goroutine-leak")


def test_sarif_errors_are_notifications(tmp_path, sarif_validator):
    bad = _prog(tmp_path, "bad", "package main\n\nfunc main() {\n\tx := \n}\n")
    code, out, _ = _run("check", "--format", "sarif", str(bad))
    assert code == 2
    doc = json.loads(out)
    assert _errors(sarif_validator, doc) == []
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (n,) = [n for n in inv["toolExecutionNotifications"] if n["level"] == "error"]
    assert "syntax error" in n["message"]["text"]
    assert n["locations"][0]["physicalLocation"]["region"]["startLine"] == 5


def test_github_annotations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _prog(tmp_path, "leak", LEAK)
    code, out, _ = _run("check", "--format", "github", "leak")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("::error file=leak/main.go,line=5,col=14,title=gcheck goroutine-leak::goroutine 2")
    assert "%0Atrace (main):%0A" in lines[0]  # the trace on continuation lines, encoded
    assert "main returns%0A  goroutine 2 [chan send] at leak/main.go:5" in lines[0]
    assert "\n" not in lines[0].split("::", 2)[2].replace("%0A", "")
    assert lines[-1].startswith("gcheck: 1 finding(s)")


def test_github_escapes_properties_and_data():
    from gcheck.report.github import _cmd

    line = _cmd("warning", "a,b:c.go", 3, 1, "t", "100% sure\nsecond")
    assert line == "::warning file=a%2Cb%3Ac.go,line=3,col=1,title=t::100%25 sure%0Asecond"


def test_json_output_matches_the_shipped_schema(corpus_result):
    from gcheck.report import json_report

    schema = json_report.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == json_report.SCHEMA_VERSION
    result = corpus_result
    doc = json.loads(json_report.render(result))
    errs = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    assert errs == []
    assert doc["findings"] and any(f["trace"] and f["trace"]["steps"] for f in doc["findings"])


def test_json_schema_rejects_a_changed_shape():
    from gcheck.report import json_report

    v = jsonschema.Draft202012Validator(json_report.schema())
    ok = {"schema": 1, "gcheck": "x", "findings": [], "notes": [], "errors": [], "stats": []}
    assert v.is_valid(ok)
    assert not v.is_valid({**ok, "schema": 2})
    assert not v.is_valid({**ok, "surprise": True})
