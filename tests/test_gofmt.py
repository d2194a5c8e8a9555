"""fmt.Sprintf, fmt.Sprint and strconv.Itoa on concrete values (model/gofmt.py).

The expected strings are what Go 1.27 printed for the same calls
(`go run` of a program that prints each with %q); an operand gcheck does not
print exactly gives None, and the call's result is then unknown, with a note."""

from __future__ import annotations

import textwrap

import pytest

from gcheck.api import Options, check_paths
from gcheck.model import values as V
from gcheck.model.gofmt import itoa, sprint, sprintf

AS_GO_PRINTS = [
    ("k%d", (3,), "k3"),
    ("%s-%v", ("a", True), "a-true"),
    ("%5d|%-4s|%05d|%x|%#x|%q", (42, "ab", -7, 255, 255, 'a"b\n'), '   42|ab  |-0007|ff|0xff|"a\\"b\\n"'),
    ("%d %d", (1,), "1 %!d(MISSING)"),
    ("%d", (1, 2), "1%!(EXTRA int=2)"),
    ("%%d %t", (False,), "%d false"),
    ("%v", (None,), "<nil>"),
    ("%c", (65,), "A"),
    ("%.2s", ("abcdef",), "ab"),
    ("%+d", (5,), "+5"),
]


@pytest.mark.parametrize("fmt, args, want", AS_GO_PRINTS)
def test_sprintf_prints_as_go(fmt, args, want):
    assert sprintf(fmt, args) == want


def test_sprint_and_itoa_print_as_go():
    assert sprint((1, 2, "a", 3, "b", "c")) == "1 2a3bc"
    assert sprintf("%d: %v", (V.NamedV("Color", 2), V.NamedV("error", "EOF"))) == "2: EOF"
    assert itoa(-12) == "-12"


@pytest.mark.parametrize("fmt, args", [
    ("%v", (1.5,)), ("%d", ("x",)), ("%T", (1,)), ("%*d", (3, 1)), ("%v", (V.UNKNOWN,)),
    ("%v", (V.NamedV("Color", 1),)),  # a String method would print it
])
def test_what_gcheck_does_not_print_is_unknown(fmt, args):
    assert sprintf(fmt, args) is None


def test_a_key_made_with_sprintf_finds_what_was_stored_under_it(tmp_path):
    """With an unknown key the lookup could miss, and the check below it took
    both sides: a false panic."""
    (tmp_path / "main.go").write_text(textwrap.dedent("""
        package main

        import "fmt"

        func main() {
            m := map[string]int{}
            done := make(chan bool)
            go func() {
                for i := 0; i < 3; i++ {
                    m[fmt.Sprintf("k%d", i%2)] += i
                }
                done <- true
            }()
            <-done
            if m["k0"] != 2 || m[fmt.Sprint("k", 1)] != 1 {
                panic("lost a write")
            }
            fmt.Sprintf("%v", 1.5)
        }
    """).lstrip())
    r = check_paths([str(tmp_path)], Options())
    assert not r.findings and r.stats[0].complete
    notes = [n.message for n in r.notes]
    assert notes == ["call to fmt.Sprintf with operands gcheck does not print: its result is unknown"]
