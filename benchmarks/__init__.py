"""cpo-analyzer's benchmarks: speed and memory measurements, not run by the tests.

``python -m benchmarks`` (from the repository root) runs the suite (:mod:`benchmarks.suite`) and
writes ``benchmarks/RESULTS.md``; ``--quick`` is a short run. Each ``bench_*.py`` module is also a
script (``python benchmarks/bench_fit.py``) and exposes the functions the suite calls.
"""
