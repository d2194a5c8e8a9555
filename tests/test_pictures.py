"""Pictures of traces: SVG sequence diagrams (--trace-svg), the HTML report,
the state graph as dot; and a look at the page in a real headless browser
(Debian's chromium) when one is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gcheck.api import Options, check_paths
from gcheck.cli import run
from gcheck.report import html, seqdiag

SVG = "{http://www.w3.org/2000/svg}"

HANDOFF = """package main

import "sync"

func main() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		ch <- 1
		mu.Lock()
	}()
	<-ch
	mu.Lock()
	ch <- 2
}
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GCHECK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def prog(tmp_path):
    d = tmp_path / "p"
    d.mkdir()
    (d / "main.go").write_text(HANDOFF)
    return d


def _finding(prog):
    r = check_paths([str(prog)], Options())
    dl = [f for f in r.findings if f.check == "global-deadlock" and f.pos.line == 14]
    assert dl, [f.check for f in r.findings]
    return r, dl[0]


def test_svg_sequence_diagram(prog):
    _, f = _finding(prog)
    root = ET.fromstring(seqdiag.render(f))  # well-formed XML
    assert root.tag == SVG + "svg"
    lanes = {g.get("data-goroutine") for g in root.iter(SVG + "g") if g.get("class") == "lifeline"}
    assert lanes == {"1", "2"}
    steps = [g for g in root.iter(SVG + "g") if g.get("class") == "step"]
    assert len(steps) == len(f.trace.steps) >= 1
    arrows = [e for e in root.iter(SVG + "line") if "arrow" in (e.get("class") or "")]
    assert any("exact" in a.get("class") for a in arrows), "the unbuffered hand-off is an arrow"
    blocked = {g.get("data-goroutine") for g in root.iter(SVG + "g") if g.get("class") == "blocked"}
    assert blocked == {"1", "2"}
    assert seqdiag.render(f) == seqdiag.render(f)  # deterministic


def test_inferred_arrows_from_go_text():
    from gcheck.diagnostics import Trace, TraceStep
    from gcheck.goast import Pos

    p = Pos("m.go", 1, 1)
    t = Trace([TraceStep(1, 2, p, "ch <- v"), TraceStep(2, 1, p, "x := <-ch"), TraceStep(3, 1, p, "s.mu.Unlock()"),
               TraceStep(4, 2, p, "s.mu.Lock()"), TraceStep(5, 2, p, "close(done)"), TraceStep(6, 3, p, "<-done")],
              [])
    assert seqdiag._arrows(t) == [(0, 2, 1, 1, False), (2, 1, 3, 2, False), (4, 2, 5, 3, False)]


def test_trace_svg_dir_html_and_graph_from_the_cli(prog, tmp_path):
    out_html = tmp_path / "r.html"
    code = run(["check", "--format", "html", "-o", str(out_html), "--trace-svg", str(tmp_path / "svg"),
                "--graph", str(tmp_path / "g.dot"), str(prog)], io.StringIO(), io.StringIO())
    assert code == 1
    svgs = sorted((tmp_path / "svg").glob("*.svg"))
    assert svgs and all(ET.parse(s).getroot().tag == SVG + "svg" for s in svgs)
    page = out_html.read_text()

    class P(HTMLParser):
        tags: list = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    parser = P()
    parser.feed(page)
    assert parser.tags.count("section") == len(svgs) and "svg" in parser.tags
    dot = (tmp_path / "g.dot").read_text()
    assert dot.startswith('digraph "gcheck main" {') and dot.rstrip().endswith("}")
    assert "shape=doublecircle" in dot and " -> " in dot and "g2: " in dot


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.skipif(_chromium() is None, reason="no chromium: apt-get install chromium")
def test_the_html_report_renders_in_headless_chromium(prog, tmp_path):
    r, _ = _finding(prog)
    page = tmp_path / "report.html"
    page.write_text(html.render(r))
    shot = tmp_path / "shot.png"
    proc = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--window-size=1000,900", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.exists(), proc.stderr[-2000:]
    img = pytest.importorskip("matplotlib.image").imread(str(shot))
    h, w = img.shape[:2]
    assert (w, h) == (1000, 900)
    rgb = img[..., :3]
    # something was drawn: dark text, the diagram's blue, the blocked marks' red
    blue = ((rgb[..., 2] > 0.45) & (rgb[..., 0] < 0.25)).sum()
    red = ((rgb[..., 0] > 0.6) & (rgb[..., 1] < 0.35) & (rgb[..., 2] < 0.3)).sum()
    dark = (rgb.sum(axis=2) < 0.6).sum()
    assert blue > 50 and red > 50 and dark > 500, (blue, red, dark)
