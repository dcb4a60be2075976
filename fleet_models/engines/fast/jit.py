"""numba for the fast engine, set up once: its cache directory (before numba is imported), the
decorators every compiled part uses, and the fallback when numba is missing (``numba`` is None:
``engine = "auto"`` then runs the SimPy engine and says why).

Compiled code is cached (``@njit(cache=True)``) in ``NUMBA_CACHE_DIR`` if set, else in
``~/.cache/cpo-analyzer/numba/<digest>`` (if that cannot be created, numba's own default beside
the module, or none). ``<digest>`` is that of every source file of the fast engine: numba checks
a cached function against its own file only, while a compiled caller holds the code of the
helpers it calls from other files, so an edit to one part (say ``jobs.py``) would leave a caller
in another (``setup.py``) running the old helper. A new digest is a new cache: any change to any
part compiles the engine afresh. (With ``NUMBA_CACHE_DIR`` set, clear it after such an edit.)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sources_digest() -> str:
    """sha256 (12 hex digits) of the fast engine's source files, in name order."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _cache_dir() -> None:
    """Point numba's cache at a writable directory before numba is imported."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    try:
        path = Path.home() / ".cache" / "cpo-analyzer" / "numba" / sources_digest()
    except (OSError, RuntimeError):  # no home directory to find, or a source unreadable
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
        if os.access(path, os.W_OK):
            os.environ["NUMBA_CACHE_DIR"] = str(path)
    except OSError:
        pass  # numba falls back to __pycache__ beside the module, or to no cache


_cache_dir()

try:
    import numba
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; auto falls back without it
    numba = None

    def njit(*args, **kwargs):
        def wrap(f):
            return f
        return wrap

# The loop's helpers index arrays their caller owns and allocate nothing, so they are compiled
# without NRT reference counting: with it, every call made an atomic incref and decref of each
# array argument (up to 12), about 40 % of the loop's time. Only _simulate, which allocates the
# arrays, keeps it.
_helper = njit(cache=True, _nrt=False)
