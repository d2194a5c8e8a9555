"""gcheck: a model checker for Go concurrency."""

__version__ = "0.1.0"
