"""Errors of the failure_data layer.

Every problem names where it is (file line, header = line 1), the column, the
offending value and what to do about it. A file with problems is refused as a
whole, with every problem listed (up to a cap), so nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

MAX_PROBLEMS = 50

# ---------------------------------------------------------------------- hints
# A library message that points at something its caller controls (an option, another
# command) writes it with `option()`: a marker `‹name|library words›`. `str(error)` reads
# the library words (for a notebook user: ``time_unit=``); the CLI turns each marker into
# its own words (``--time-unit``) in one place (cli._common), so no library message names a
# CLI flag and no CLI message names a keyword argument.
_MARK = re.compile(r"‹([^‹›|]+)\|([^‹›]*)›")


def option(name: str, library: str | None = None) -> str:
    """A hint at the caller's option ``name``; ``library`` is how a library user spells it
    (default ``name=``)."""
    return f"‹{name}|{library if library is not None else name + '='}›"


def in_words(text: str, words: Mapping[str, str] | None = None) -> str:
    """``text`` with every hint in ``words`` (name -> text), else in the library's words."""
    words = words or {}
    return _MARK.sub(lambda m: words.get(m.group(1), m.group(2)), text)


class HintedError(Exception):
    """An error whose message may hold hints (:func:`option`); ``str()`` reads them in the
    library's words, :attr:`raw` keeps the markers for a front end to reword."""

    def __str__(self) -> str:
        return in_words(self.raw)

    @property
    def raw(self) -> str:
        return super().__str__()


class DataError(HintedError):
    """Base class of every failure_data error: bad input data, said once, clearly."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of an input file."""

    line: int | None
    column: str | None
    value: str | None
    message: str

    def to_dict(self) -> dict:
        return asdict(self)  # hints kept as markers: the front end rewords them

    def __str__(self) -> str:
        return in_words(self.raw)

    @property
    def raw(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class DataValidationError(DataError):
    """A file or table was refused; `problems` lists every reason (up to a cap)."""

    def __init__(self, problems: list[Problem], *, source: str | None = None, total: int | None = None):
        self.problems = list(problems)
        self.source = source
        self.total = total if total is not None else len(self.problems)
        super().__init__(self._render())

    def _render(self) -> str:
        head = f"{self.source}: " if self.source else ""
        n = self.total
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found; nothing was read."]
        lines += [f"  {getattr(p, 'raw', p)}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"  ... and {self.total - len(self.problems)} more (first {len(self.problems)} shown)")
        return "\n".join(lines)
