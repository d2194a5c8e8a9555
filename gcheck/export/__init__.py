"""Exporters: gcheck's input programs written in other checkers' languages.

promela.py translates the channel/select/mutex/WaitGroup subset of Go to
Promela, so that SPIN can explore the same program (benchmarks/
spin_side_by_side.py runs both).
"""

from gcheck.export.promela import NotInSubset, export_file_source, export_path, run_cli

__all__ = ["NotInSubset", "export_path", "export_file_source", "run_cli"]
