"""`python -m gcheck` is the same as the `gcheck` command."""

from gcheck.cli import main

raise SystemExit(main())
