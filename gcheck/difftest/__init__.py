"""Differential testing of gcheck against the real Go runtime.

* ``generator`` draws small, closed, well-typed, vet-clean concurrent Go
  programs from a stream of choices (a seeded RNG, a recorded list, or
  hypothesis), so a failing program can be shrunk by shrinking its choices;
* ``runner`` builds many programs into one Go binary (a switch on a program
  index), runs it many times under schedule noise and reads each run's
  outcome (clean, global deadlock, which panic, which goroutines leaked), and
  runs gcheck on the same programs;
* ``invariants`` checks that every runtime outcome is among gcheck's
  findings, counts gcheck findings the runtime never showed (unconfirmed),
  and prints the agreement table.

``python benchmarks/difftest_large.py --programs N`` is the large run; the
CI-sized run is ``tests/test_difftest.py``.
"""
