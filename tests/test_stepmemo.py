"""The step memo (solver/stepmemo.py) must give the states computing every step gives.

Under `Limits(step_memo="verify")` the search computes every step anyway and
compares it with the successor the remembered result builds; every example
and the difftest generator's programs, with the reductions on and off, must
show no difference. Each rule of the memo is shown to matter: with it
removed, the verifier records differences on generated programs.
"""

from __future__ import annotations

import json

import pytest
from wants import list_examples

from gcheck.cli import run as cli_run
from gcheck.difftest import generator as G
from gcheck.solver import stepmemo
from test_diamonds import _PHILOSOPHERS, ROOT, _write
from test_diamonds import _graphs as graphs_and_result

EXAMPLES = list_examples(ROOT)


def _graphs(monkeypatch, path, **limits) -> list:
    return graphs_and_result(monkeypatch, path, **limits)[0]


def _verified(monkeypatch, path, max_states: int) -> tuple[int, list]:
    """(results compared, differences) over both reduction settings, diamonds off
    so that every transition is computed and compared."""
    checked, mismatches = 0, []
    for reductions in (True, False):
        for g in _graphs(monkeypatch, path, max_states=max_states, por=reductions, symmetry=reductions,
                         diamonds=False, step_memo="verify"):
            checked += g.memoized
            mismatches += g.memo_mismatches
    return checked, mismatches


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: str(d.relative_to(ROOT)))
def test_remembered_results_are_the_computed_states(example, monkeypatch):
    _, mismatches = _verified(monkeypatch, example, 20_000)
    assert mismatches == [], mismatches[:2]


def _seeds(tmp_path, seeds):
    tmp_path.mkdir(exist_ok=True)
    for seed in seeds:
        d = tmp_path / str(seed)
        d.mkdir()
        (d / "main.go").write_text(G.from_seed(seed).source())
        yield seed, d


@pytest.mark.parametrize("first", range(0, 160, 40))
def test_remembered_results_on_generated_programs(first, tmp_path, monkeypatch):
    """Timers, AfterFunc, Cond, RWMutex, select with default, nil channels, panics."""
    checked = 0
    for seed, d in _seeds(tmp_path, range(first, first + 40)):
        n, mismatches = _verified(monkeypatch, d, 5_000)
        checked += n
        assert mismatches == [], (seed, mismatches[:2])
    assert checked > 100  # the verifier compared something


def _wrong_numbering(monkeypatch):
    """Apply a result without walking the state again when references moved."""
    init = stepmemo._Result.__init__

    def never_moves(self, *args):
        init(self, *args)
        self.moves = False

    monkeypatch.setattr(stepmemo._Result, "__init__", never_moves)


def _key_without_heap(monkeypatch):
    """Key a step by its goroutines only: local code reads shared cells."""
    key = stepmemo.StepMemo.key

    def narrow(self, s, st):
        k = key(self, s, st)
        return None if k is None else k[:-4] + k[-3:]

    monkeypatch.setattr(stepmemo.StepMemo, "key", narrow)


def _walk_kept_for_one(monkeypatch):
    """Forget that a single goroutine's state records no numbering order."""
    monkeypatch.setattr(stepmemo, "_walk_without",
                        lambda walk, ended: tuple(g for g in walk if g not in ended) if ended else walk)


def _ends_that_wait(monkeypatch):
    """Remember main's return and a death by panic, which wait a step only while others may act."""
    monkeypatch.setattr(stepmemo, "WAITS_A_STEP", ())


def _any_operation(monkeypatch):
    """Remember steps of every operation: a sleep's end parks the others."""
    monkeypatch.setattr(stepmemo, "_plain", lambda p: p is not None)


# a rule broken, and generated programs (seeds) on which the verifier then sees it
BROKEN = {
    "operations": (_any_operation, (669, 863)),
    "numbering": (_wrong_numbering, (18, 20)),
    "heap-in-key": (_key_without_heap, (4, 9)),
    "walk-of-one": (_walk_kept_for_one, (35, 51)),
    "ends-that-wait": (_ends_that_wait, (130,)),
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_rule_matters(rule, tmp_path, monkeypatch):
    breaks, seeds = BROKEN[rule]
    for seed, d in _seeds(tmp_path, seeds):
        assert _verified(monkeypatch, d, 5_000)[1] == [], seed  # the rule in place
    breaks(monkeypatch)
    found = [seed for seed, d in _seeds(tmp_path / "broken", seeds) if _verified(monkeypatch, d, 5_000)[1]]
    assert found, f"without the {rule} rule the verifier saw nothing"


@pytest.mark.parametrize("reductions", [True, False], ids=["reductions", "no-reductions"])
def test_same_graph_fewer_steps_computed(reductions, tmp_path, monkeypatch):
    """(twins=False: while twins are ordered by what they hold the heap is numbered
    by it too, and in a run this small few keys come round again.)"""
    d = _write(tmp_path, _PHILOSOPHERS.replace("3", "4"))
    on, off = (_graphs(monkeypatch, d, por=reductions, symmetry=reductions, twins=False, step_memo=memo)[0]
               for memo in (True, False))
    assert on.states == off.states
    assert [on.succ[i] for i in range(len(on.states))] == [off.succ[i] for i in range(len(off.states))]
    assert on.memoized > 0 == off.memoized


def test_no_step_memo_flag(tmp_path, capsys):
    d = _write(tmp_path, _PHILOSOPHERS)
    stats = {}
    for flags in ([], ["--no-step-memo"]):
        code = cli_run(["check", "--format", "json", "--no-por", "--no-symmetry", *flags, str(d)])
        assert code == 1  # the philosophers deadlock
        s = json.loads(capsys.readouterr().out)["stats"][0]
        stats[bool(flags)] = (s["states"], s["transitions"], s["transitions_from_step_memo"])
    assert stats[True][:2] == stats[False][:2]
    assert stats[True][2] == 0 < stats[False][2]
