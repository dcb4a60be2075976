"""``python -m benchmarks [--quick] [--only SECTION ...] [--out PATH]``: see :mod:`benchmarks.suite`."""

from benchmarks.suite import main

raise SystemExit(main())
