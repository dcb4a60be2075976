"""The bytes of a field log into an Arrow table, before its columns are checked: CSV (its line
ends, Excel's `sep=` line, a wrong separator, ragged rows, a file cut inside a quoted field) and
Parquet (a corrupt file, pandas' index column), each failure one message with its line;
``canonical`` is how the reader names a column (known names whatever their case)."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from failure_data._csv_bytes import _line_numbers, _lone_cr_to_lf, _open_quote
from failure_data.errors import MAX_PROBLEMS, DataValidationError, Problem
from failure_data.text import UTF8_BOM, NotText, check_utf8


# ---------------------------------------------------------------------- files
def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(source: str, message: str, *, line: int | None = None, column: str | None = None,
            value: str | None = None) -> DataValidationError:
    return DataValidationError([Problem(line, column, value, message)], source=source)


def load_table(path, source: str, canonical: Callable[[str], str]) -> tuple[pa.Table, np.ndarray, int, str]:
    """A log file's table (Parquet by its magic bytes or suffix, else CSV), the file line of each
    row, the header's line and the sha256 of its bytes; a missing file, a folder or one that
    cannot be read is one message naming it. Every reader of a file takes this one way in."""
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        raise _refuse(source, "file not found; check the path")
    if p.is_dir():
        raise _refuse(source, "is a directory, not a file; give the path of a CSV or Parquet log")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise _refuse(source, f"cannot be read ({e.strerror}); check its permissions") from None
    digest = _hash(data)
    if data[:4] == b"PAR1" or p.suffix.lower() in (".parquet", ".pq"):
        table, lines, header_line = _read_parquet(data, source, canonical)
    else:
        table, lines, header_line = _read_csv(data, source, canonical)
    return table, lines, header_line, digest


def _check_header(names: list[str], source: str, canonical: Callable[[str], str], line: int = 1) -> None:
    """Every column named, and named once (known names compared case-insensitively)."""
    canon = [canonical(n) for n in names]
    dup = sorted({c for c in canon if canon.count(c) > 1})
    if dup:
        raise DataValidationError(
            [Problem(line, c, c, "column name appears more than once; rename or drop one") for c in dup],
            source=source,
        )
    if "" in canon:
        i = canon.index("")
        raise _refuse(source, f"column {i + 1} has no name; name it or delete the column", line=line)


_SEP_LINE = re.compile(r' *"?sep=(.)"? *', re.IGNORECASE)  # Excel's first line: sep=,
_SEP_NAMES = {";": "';'", "\t": "tab", "|": "'|'"}


def _blank(data: bytes) -> bool:
    """Only whitespace (``not data.strip()`` without copying a large file)."""
    return not data[:4096].strip() and not data.strip()


def _first_line(data: bytes) -> str:
    end = data.find(b"\n")
    return data[: end if end >= 0 else len(data)].rstrip(b"\r").decode("utf-8")


def _read_csv(data: bytes, source: str, canonical: Callable[[str], str]) -> tuple[pa.Table, np.ndarray, int]:
    """The table (every column as text), the file line of each row and the header's line."""
    import pyarrow.csv as pacsv

    if data.startswith(b"PK\x03\x04"):
        raise _refuse(source, "is a zip archive (an Excel workbook?), not CSV text; export the sheet "
                      "as CSV UTF-8 (comma-separated)")
    data = _lone_cr_to_lf(data)
    try:
        check_utf8(data)
    except NotText as e:
        raise _refuse(source, e.message, line=e.line) from None
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    if _blank(data):
        raise _refuse(source, "the file is empty; a field log needs a header line and data rows")
    header_line = 1
    first = _first_line(data)
    sep = _SEP_LINE.fullmatch(first)
    if sep is not None:  # Excel's "sep=," line names the separator; the header is the next line
        if sep.group(1) != ",":
            name = _SEP_NAMES.get(sep.group(1), repr(sep.group(1)))
            raise _refuse(source, f"the first line says the file is {name}-separated; save it "
                          "comma-separated (CSV UTF-8)", line=1, value=first[:80])
        data = data[data.index(b"\n") + 1:] if b"\n" in data else b""
        header_line = 2
        if _blank(data):
            raise _refuse(source, "the file holds only the 'sep=,' line; a field log needs a header "
                          "line and data rows", line=1)
        first = _first_line(data)
    offset = header_line - 1
    try:
        header, unparsed = next(iter(csv.reader([first])), []), None
    except csv.Error as e:  # e.g. a field over csv's size limit
        header, unparsed = [], e
    names = [h.strip() for h in header]
    cut = _open_quote(data, names, offset)
    if cut is not None:
        raise DataValidationError([cut], source=source)
    if unparsed is not None:
        raise _refuse(source, f"the header line cannot be parsed as CSV ({unparsed}); check the "
                      "delimiter (comma) and the quoting", line=header_line, value=first[:80])
    if len(header) == 1:
        for sep_char, name in ((";", "';'"), ("\t", "tab"), ("|", "'|'")):
            if sep_char in header[0]:
                raise _refuse(source, f"looks like {name}-separated; save it comma-separated",
                              line=header_line, value=first[:80])
    _check_header(names, source, canonical, header_line)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            # malloc hands the parser's block buffers back when they are freed; Arrow's default
            # pool (mimalloc) keeps them, ~35 MB on a million rows for the rest of the run
            memory_pool=pa.system_memory_pool(),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as e:
        raise DataValidationError(_ragged_rows(data, len(names), offset) or [
            Problem(None, None, None, f"cannot be parsed as CSV ({str(e).splitlines()[0]}); "
                    "check the delimiter (comma) and the quoting")], source=source) from None
    if table.num_rows == 0:
        raise _refuse(source, "the file has a header but no data rows; add the records", line=header_line)
    return table, _line_numbers(data, table.num_rows) + offset, header_line


def _ragged_rows(data: bytes, width: int, offset: int = 0) -> list[Problem]:
    """Lines whose number of fields is not the header's (slow path, only on a parse error);
    ``offset``: file lines before the header (Excel's sep= line)."""
    import io

    out: list[Problem] = []
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    try:
        for row in reader:
            n = reader.line_num
            if n == 1 or not row or len(row) == width:
                continue
            out.append(Problem(n + offset, None, ",".join(row)[:80],
                               f"has {len(row)} fields, the header has {width}; "
                               "check the delimiter (comma) and quote values that contain commas"))
            if len(out) >= MAX_PROBLEMS:
                break
    except csv.Error:  # e.g. a field over csv's size limit: the caller reports the parse error
        pass
    return out


_PANDAS_INDEX = re.compile(r"__index_level_\d+__")  # pandas' unnamed index, not a column of the log


def _read_parquet(data: bytes, source: str, canonical: Callable[[str], str]) -> tuple[pa.Table, np.ndarray, int]:
    import pyarrow.parquet as pq

    if not data:
        raise _refuse(source, "the file is empty; a field log needs a header line and data rows")
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as e:
        raise _refuse(source, f"not a readable Parquet file ({str(e).splitlines()[0]}); "
                      "re-export it as Parquet or CSV") from None
    index = [n for n in table.column_names if _PANDAS_INDEX.fullmatch(n)]
    if index:
        table = table.drop_columns(index)
    _check_header([str(n).strip() for n in table.column_names], source, canonical)
    if table.num_rows == 0:
        raise _refuse(source, "the file has columns but no data rows; add the records", line=1)
    return table, np.arange(2, table.num_rows + 2, dtype=np.int64), 1
