"""The checks. Each module reads the explored graph and returns Findings; none prints.

ALL lists them in the order their findings are reported.
"""

from gcheck.checks import blocking, panics, tickers

ALL = (blocking, panics, tickers)

CHECK_IDS = tuple(k for m in ALL for k in m.DOC)
