"""The bytes of a CSV field log, before Arrow parses them: which file line each row is on, line
ends, and a file that ends inside a quoted field (cut short). Vectorised over the whole file with
numpy, so a million-row log costs milliseconds."""

from __future__ import annotations

import csv
import re
from collections import deque

import numpy as np

from failure_data.errors import Problem


def _count_lines(data: bytes) -> int:
    """Lines in ``data`` (line feeds, and one more for a last line without one), counted with
    numpy a few MB at a time: ``bytes.count`` or a search for a blank line takes ~20-40 times
    longer on a large file and holds the GIL, which `cpo fit`'s imports in another thread need."""
    buf = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 22
    feeds = sum(int(np.count_nonzero(buf[i:i + step] == 10)) for i in range(0, len(buf), step))
    return feeds + (not data.endswith(b"\n"))


def _line_numbers(data: bytes, n_rows: int, header_line: int = 1) -> np.ndarray:
    """File line of each data row: row index + 2, unless blank lines are skipped in between.

    ``data`` starts at the header line. The parser skips blank lines and makes one row of every
    other line, so when the file has exactly the header's line and one line per row, no line is
    blank."""
    if _count_lines(data) == header_line + n_rows:
        return np.arange(header_line + 1, header_line + n_rows + 1, dtype=np.int64)
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(buf)]))
    length = ends - starts
    cr_only = (length == 1) & (buf[np.minimum(starts, len(buf) - 1)] == 13)
    blank = (length == 0) | cr_only
    numbers = np.flatnonzero(~blank) + 1  # 1-based line numbers of non-blank lines
    return numbers[numbers > header_line][:n_rows].astype(np.int64)


# a quoted field: it opens at the start of a line or after a comma, "" inside is an escaped quote;
# group 1 is the closing quote, missing when the file ends inside the field
_QUOTED = re.compile(rb'(?:^|(?<=,))"(?:[^"]|"")*+(")?', re.MULTILINE)


def _lone_cr_to_lf(data: bytes) -> bytes:
    """Classic-Mac line ends (a CR alone) as LF, which pyarrow also takes a lone CR for, so that
    line numbers count the same lines; CRLF is left as it is."""
    if b"\r" not in data:  # the usual file: one fast scan, no count
        return data
    cr = data.count(b"\r")
    if cr == data.count(b"\r\n"):
        return data
    if b"\n" not in data:
        return data.replace(b"\r", b"\n")
    return re.sub(rb"\r(?!\n)", b"\n", data)


def _open_quote_start(data: bytes) -> int | None:
    """Offset of the quote opening the field the file ends inside, or None if every quote closes."""
    if b'"' not in data:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    q = np.flatnonzero(buf == 34)
    # fast path: when every other quote (the 1st, 3rd, ...) opens a field, at the start of a line,
    # after a comma or right after the quote before it ("" inside a field), the quotes pair up in
    # order and the file ends inside a field exactly when their number is odd
    opening = q[0::2]
    before = buf[np.maximum(opening - 1, 0)]
    after_quote = np.zeros(len(opening), dtype=bool)
    after_quote[1:] = q[1::2][: len(opening) - 1] == opening[1:] - 1
    if np.all((opening == 0) | (before == 44) | (before == 10) | after_quote):
        if len(q) % 2 == 0:
            return None
        return int(opening[~after_quote][-1])  # where the open field began ("" continues it)
    # a quote inside an unquoted value (12" panel): scan the quoted fields in order; only the last
    # can be open, as it then runs to the end of the file
    tail = deque(_QUOTED.finditer(data), maxlen=1)
    return tail[0].start() if tail and tail[0].group(1) is None else None


def _open_quote(data: bytes, names: list[str], offset: int) -> Problem | None:
    """The quoted field the file ends inside, if any (a file cut short), as a problem on its line."""
    start = _open_quote_start(data)
    if start is None:
        return None
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1 + offset
    prefix = data[line_start:start].decode("utf-8", errors="replace")
    try:
        index = len(next(csv.reader([prefix + "x"]))) - 1  # fields before the open one
    except csv.Error:
        index = -1
    column = names[index] if line > offset + 1 and 0 <= index < len(names) else None
    end = data.find(b"\n", start)
    value = data[start:end if end >= 0 else len(data)]
    return Problem(line, column, value.decode("utf-8", errors="replace").rstrip("\r")[:80],
                   f"the file ends inside a quoted field that starts on line {line}; the file may be "
                   "cut short: copy or export it again in full, or add the missing closing quote (\")")
