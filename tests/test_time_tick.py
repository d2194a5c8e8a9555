"""ticker-not-stopped for time.Tick: flagged in loops and outside main-lifetime code."""

from __future__ import annotations

import textwrap

from gcheck.checks.static import StaticContext, time_tick
from gcheck.syntax import parse_source

SRC = textwrap.dedent(
    """\
    package main

    import "time"

    func poll(done chan bool) {
    	for i := 0; i < 3; i++ {
    		select {
    		case <-time.Tick(time.Millisecond):
    		case <-done:
    			return
    		}
    	}
    }

    func helper() <-chan time.Time {
    	return time.Tick(time.Second)
    }

    func main() {
    	for range time.Tick(time.Millisecond) {
    		break
    	}
    	go func() {
    		for range time.Tick(time.Second) {
    		}
    	}()
    	_ = helper()
    }
    """
)


def _check(src, version=(1, 27), package="main"):
    return time_tick.check([parse_source(src, "t.go")], StaticContext(version, package))


def test_flags_loops_and_short_lived_functions_only():
    got = {(f.pos.line, f.check) for f in _check(SRC)}
    assert got == {(8, "ticker-not-stopped"), (16, "ticker-not-stopped")}


def test_severity_follows_the_go_version():
    assert {f.severity for f in _check(SRC, (1, 22))} == {"error"}
    assert {f.severity for f in _check(SRC, (1, 23))} == {"warning"}


def test_main_of_a_library_package_is_not_program_lifetime():
    lib = SRC.replace("package main", "package lib")
    assert 20 in {f.pos.line for f in _check(lib, package="lib")}


def test_aliased_import_and_no_import():
    aliased = SRC.replace('import "time"', 'import clock "time"').replace("time.Tick", "clock.Tick")
    aliased = aliased.replace("<-chan time.Time", "<-chan clock.Time").replace("time.Millisecond", "clock.Millisecond").replace("time.Second", "clock.Second")
    assert len(_check(aliased)) == 2
    assert _check("package main\n\nfunc main() {}\n") == []
