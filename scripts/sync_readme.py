"""Rewrite the README's generated tables from their declarations.

    python scripts/sync_readme.py [--check]

Each generated table in README.md follows a marker line
``<!-- generated: MODULE.FUNCTION(); ... -->`` and runs to ``<!-- end generated -->`` (or a blank line); this
script replaces it with ``MODULE.FUNCTION()``'s output. ``--check`` only reports
(exit 1) which tables are stale. The tests check the same tables, so run this after
editing a declaration instead of pasting tables by hand.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
END = "<!-- end generated -->"
MARKER = re.compile(r"^<!-- generated: ([\w.]+)\.(\w+)\(\);.*-->$")


def synced(text: str) -> tuple[str, list[str]]:
    lines = text.split("\n")
    out: list[str] = []
    stale: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        m = MARKER.match(line)
        if not m:
            continue
        j = i
        while j < len(lines) and lines[j].strip() and lines[j] != END:
            j += 1
        table = getattr(importlib.import_module(m.group(1)), m.group(2))().rstrip("\n")
        if lines[i:j] != table.split("\n"):
            stale.append(f"{m.group(1)}.{m.group(2)}()")
        out.extend(table.split("\n"))
        i = j
    return "\n".join(out), stale


def main() -> None:
    sys.path.insert(0, str(ROOT))
    readme = ROOT / "README.md"
    text, stale = synced(readme.read_text(encoding="utf-8"))
    if "--check" in sys.argv:
        print("\n".join(f"stale: {s}" for s in stale) or "README tables are current")
        sys.exit(1 if stale else 0)
    readme.write_text(text, encoding="utf-8")
    print("\n".join(f"rewrote: {s}" for s in stale) or "README tables were current")


if __name__ == "__main__":
    main()
