"""Benchmark: start-up of the simulate path (issue 12: under 0.5 s of imports).

    python benchmarks/bench_startup.py [--repeat R]

For `cpo simulate --help` and for a tiny run (`cpo simulate TINY --replications 1 --workers 1
--quiet --json`, a two-switch, one-year scenario written to a temporary folder), each run as
`python -X importtime -m cli.main ...` from the repository root, best of R:

* imports: the sum of the top-level import times Python reports (-X importtime), the figure
  the target is about;
* wall: the whole process, interpreter start and the run included;
* heavy: which of scipy.stats, scipy.optimize, lifelines, matplotlib the process loaded (none
  is needed: the CI of a mean takes scipy.special.stdtrit; tests/test_scale.py holds this).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = """name = "tiny"
horizon_years = 1
replications = 1
seed = 1
[fleet]
switches = 2
ports_per_switch = 128
[[architectures]]
base = "pluggable-dsp"
[[architectures]]
base = "cpo-els"
"""
HEAVY = ("scipy.stats", "scipy.optimize", "lifelines", "matplotlib")
# run the CLI, then say which heavy modules it loaded (on stderr, after -X importtime's lines)
RUN = """import sys
import cli.main
sys.argv = ["cpo", *sys.argv[1:]]
try:
    cli.main.main()
except SystemExit:
    pass
print("HEAVY", ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def import_seconds(stderr: str) -> float:
    """Sum of the top-level cumulative times of -X importtime's report (microseconds)."""
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # one space after the bar: a top-level import
            total += int(cumulative)
    return total / 1e6


def measure(args: list[str]) -> tuple[float, float, str]:
    """(seconds of imports, wall seconds, heavy modules loaded) for one run of the CLI."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", RUN.format(heavy=HEAVY), *args],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    heavy = [ln for ln in out.stderr.splitlines() if ln.startswith("HEAVY")][-1][len("HEAVY "):]
    return import_seconds(out.stderr), wall, heavy or "none"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command; the best is shown")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.toml"
        tiny.write_text(TINY)
        cases = {
            "cpo simulate --help": ["simulate", "--help"],
            "cpo simulate TINY -n 1 -w 1 --quiet --json": ["simulate", str(tiny), "--replications", "1",
                                                           "--workers", "1", "--quiet", "--json"],
        }
        print(f"{'command':<46} {'imports s':>9} {'wall s':>7}  heavy modules loaded")
        for label, argv in cases.items():
            runs = [measure(argv) for _ in range(args.repeat)]
            imp = min(r[0] for r in runs)
            wall = min(r[1] for r in runs)
            print(f"{label:<46} {imp:>9.2f} {wall:>7.2f}  {runs[-1][2]}")
    print("\ntarget: under 0.5 s of imports; scipy.stats and lifelines not loaded")


if __name__ == "__main__":
    main()
