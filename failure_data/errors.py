"""Errors of the failure_data layer.

Every problem names where it is (file line, header = line 1), the column, the
offending value and what to do about it. A file with problems is refused as a
whole, with every problem listed (up to a cap), so nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_PROBLEMS = 50


class DataError(Exception):
    """Base class of every failure_data error: bad input data, said once, clearly."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of an input file."""

    line: int | None
    column: str | None
    value: str | None
    message: str

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
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
        lines += [f"  {p}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"  ... and {self.total - len(self.problems)} more (first {len(self.problems)} shown)")
        return "\n".join(lines)
