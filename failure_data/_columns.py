"""Arrow columns of a field log as the reader's checks see them: plain types (:func:`_plain`), and
numbers, booleans and dates decoded with masks of the empty and the bad cells, all vectorised in
Arrow and numpy (only the bad rows are ever turned into Python objects, for their messages).

Text cells are trimmed of surrounding whitespace before they are read; a column whose values have
none (the usual case, seen from the first and last byte of each value) is used as it is, without
the trimmed copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from failure_data.errors import Problem, option

TRUE_WORDS = ("1", "true", "yes", "y", "t")
FALSE_WORDS = ("0", "false", "no", "n", "f")
DATE_FORMAT = "%Y-%m-%d"


# ---------------------------------------------------------------------- columns
@dataclass
class _Column:
    """One input column: its arrow values and how to quote a cell in a message."""

    name: str
    arr: pa.ChunkedArray
    _trimmed: pa.ChunkedArray | None = None
    _empty: np.ndarray | None = None

    def text(self, i: int) -> str | None:
        v = self.arr[i].as_py()
        return None if v is None else str(v)

    @property
    def is_text(self) -> bool:
        return pa.types.is_string(self.arr.type) or pa.types.is_large_string(self.arr.type)

    def trimmed(self) -> pa.ChunkedArray:
        if self._trimmed is None:  # computed once: several checks need it
            self._trimmed = pc.utf8_trim_whitespace(self.arr) if _has_edges(self.arr) else self.arr
        return self._trimmed

    def empty(self) -> np.ndarray:
        if self._empty is None:
            if self.is_text:
                e = pc.or_kleene(pc.is_null(self.arr), pc.equal(self.trimmed(), ""))
            else:
                e = pc.is_null(self.arr)
            self._empty = e.to_numpy(zero_copy_only=False).astype(bool)
        return self._empty


def _has_edges(arr: pa.ChunkedArray) -> bool:
    """Whether a text column may hold a value with whitespace around it: some value starts or ends
    with a byte that is ASCII whitespace or control (<= 32) or not ASCII (>= 127, which might be
    Unicode whitespace: the full trim then decides). Read from the first and last byte of each
    value in Arrow's buffers, without copying them; any other layout answers True."""
    for chunk in arr.chunks:
        if chunk.type != pa.string():
            return True
        _, offsets, data = chunk.buffers()
        if len(chunk) == 0 or data is None or data.size == 0:
            continue
        off = np.frombuffer(offsets, dtype=np.int32)[chunk.offset: chunk.offset + len(chunk) + 1]
        start, end = off[:-1], off[1:]
        filled = end > start
        buf = np.frombuffer(data, dtype=np.uint8)
        for edge in (buf[start[filled]], buf[end[filled] - 1]):
            if np.any((edge <= 32) | (edge >= 127)):
                return True
    return False


def _np(a) -> np.ndarray:
    return a.to_numpy(zero_copy_only=False)


def _numbers(col: _Column) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values with NaN where empty or bad, empty mask, not-a-number mask)."""
    empty = col.empty()
    t = col.arr.type
    if col.is_text:
        trimmed = col.trimmed().cast(pa.string())
        s = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        try:
            vals = _np(pc.cast(s, pa.float64())).astype(float)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            vals = pd.to_numeric(pd.Series(_np(s), dtype=object), errors="coerce").to_numpy(float)
            raw = pd.Series(_np(s), dtype=object).str.lower()
            nan_text = raw.isin(("nan", "-nan", "+nan")).to_numpy()
            bad = np.isnan(vals) & ~empty & ~nan_text
            return vals, empty, bad
        return vals, empty, np.zeros(len(vals), dtype=bool)
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        vals = _np(pc.cast(col.arr, pa.float64())).astype(float)
        vals = np.where(empty, np.nan, vals)
        return vals, empty, np.zeros(len(vals), dtype=bool)
    return np.full(len(empty), np.nan), empty, ~empty


def _booleans(col: _Column) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, empty mask, not-boolean-like mask)."""
    empty = col.empty()
    t = col.arr.type
    if col.is_text:
        low = pc.utf8_lower(col.trimmed())
        yes = _np(pc.is_in(low, value_set=pa.array(TRUE_WORDS))).astype(bool)
        no = _np(pc.is_in(low, value_set=pa.array(FALSE_WORDS))).astype(bool)
        return yes, empty, ~yes & ~no & ~empty
    if pa.types.is_boolean(t):
        vals = _np(pc.fill_null(col.arr, False)).astype(bool)
        return vals, empty, np.zeros(len(vals), dtype=bool)
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        v = _np(pc.cast(col.arr, pa.float64())).astype(float)
        return v == 1.0, empty, ~np.isin(v, (0.0, 1.0)) & ~empty
    return np.zeros(len(empty), dtype=bool), empty, ~empty


def _dates(col: _Column) -> tuple[np.ndarray, np.ndarray, np.ndarray, pa.ChunkedArray | None]:
    """(days since 1970-01-01 as float, NaN where empty/bad; empty mask; bad mask; ISO text)."""
    empty = col.empty()
    t = col.arr.type
    n = len(empty)
    if col.is_text:
        s = col.trimmed()
        # empty cells as nulls for the cast (a column with none, as installed is, is cast as it is)
        nulled = pc.if_else(pc.equal(s, ""), pa.scalar(None, s.type), s) if empty.any() else s
        try:  # fast path: arrow's cast accepts exactly YYYY-MM-DD with a valid day
            d = _np(pc.cast(pc.cast(nulled, pa.date32()), pa.int32())).astype(float)
            return d, empty, np.zeros(n, dtype=bool), s
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        ts = pc.strptime(s, format=DATE_FORMAT, unit="s", error_is_null=True)
        iso = pc.strftime(ts, format=DATE_FORMAT)
        # strptime rolls 2024-02-30 over to March and accepts 2024-1-5: insist on the exact text
        ok = _np(pc.fill_null(pc.equal(iso, s), False)).astype(bool)
        secs = _np(pc.cast(ts, pa.int64())).astype(float)
        days = np.where(ok, secs / 86400.0, np.nan)
        return days, empty, ~ok & ~empty, iso
    if pa.types.is_date32(t) or pa.types.is_date64(t) or pa.types.is_timestamp(t):
        # count in the column's own unit, so a time of day (even sub-second) is seen and refused
        ts = col.arr if pa.types.is_timestamp(t) else pc.cast(col.arr, pa.timestamp("s"))
        per_day = 86400.0 * {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}[ts.type.unit]
        ticks = np.asarray(_np(pc.cast(ts, pa.int64())), dtype=float)
        whole = np.isnan(ticks) | (np.mod(ticks, per_day) == 0)
        days = np.where(whole & ~empty, ticks / per_day, np.nan)
        iso = pc.strftime(ts, format=DATE_FORMAT)
        return days, empty, ~whole & ~empty, iso
    return np.full(n, np.nan), empty, ~empty, None



def _is_number(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)


def _is_view(t: pa.DataType, kind: str) -> bool:
    """string_view / binary_view (pyarrow 16 and later)."""
    test = getattr(pa.types, f"is_{kind}_view", None)
    return bool(test is not None and test(t))


def _plain(name: str, arr: pa.ChunkedArray, role: str) -> pa.ChunkedArray | Problem:
    """An input column in the types the checks read (what a CSV gives, or a native number, boolean
    or date), or the problem saying why its Arrow type cannot be that column.

    Dictionary-encoded columns (pandas categoricals, Spark's dictionary pages) are decoded; every
    kind of text becomes ``string`` with null as "" (an empty CSV cell); identifiers (``unit_id``,
    ``component``) that are numbers become their exact text (7 -> "7", 2.5 -> "2.5"); decimals
    become floats; timestamps with a time zone become that zone's wall-clock time, so a date is the
    date written there.
    """
    t = arr.type
    while pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_null(t):  # every cell empty
        arr, t = arr.cast(pa.string()), pa.string()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or _is_view(t, "binary"):
        try:
            arr, t = arr.cast(pa.string()), pa.string()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return Problem(1, name, str(t), "holds bytes that are not UTF-8 text; write the column as "
                           "text (a string column) and export again")
    if pa.types.is_large_string(t) or _is_view(t, "string"):
        arr, t = arr.cast(pa.string()), pa.string()
    if pa.types.is_string(t):
        return pc.fill_null(arr, "")
    if pa.types.is_nested(t):  # list, struct, map, union, run-end encoded
        return Problem(1, name, str(t), "is a nested Arrow column (a list, struct or map); a field "
                       "log holds one plain value per cell: flatten it into plain columns (or drop "
                       "it) and export again")
    if isinstance(t, pa.BaseExtensionType):
        return Problem(1, name, str(t), "is an Arrow extension type; export the column as plain "
                       "text, numbers or dates")
    if role == "text":
        if _is_number(t) or pa.types.is_boolean(t) or pa.types.is_date(t) or pa.types.is_timestamp(t):
            return pc.fill_null(arr.cast(pa.string()), "")
        return Problem(1, name, str(t), f"{name} is an identifier; write it as text or whole numbers "
                       "and export again")
    if pa.types.is_decimal(t):
        arr, t = arr.cast(pa.float64()), pa.float64()
    if role == "covariate":
        return arr
    if role == "date":
        if pa.types.is_timestamp(t) and t.tz is not None:
            try:
                return pc.local_timestamp(arr)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                return Problem(1, name, str(t), f"its time zone cannot be read ({str(e).splitlines()[0]}); "
                               "export the column as dates (YYYY-MM-DD)")
        if pa.types.is_timestamp(t) or pa.types.is_date(t):
            return arr
        return _not_dates(name, arr)
    if role == "boolean" and (pa.types.is_boolean(t) or _is_number(t)):
        return arr
    if role == "number" and _is_number(t):
        return arr
    if role == "number" and pa.types.is_duration(t):
        return Problem(1, name, str(t), f"is a time span; write {name} as a plain number of hours (or "
                       f"of days or years with {option('time_unit')}), e.g. df['{name}'].dt.total_seconds() / 3600")
    if role == "boolean":
        return Problem(1, name, str(t), "is not a boolean or number column; failed must hold 1/0, "
                       "true/false or yes/no: export it as booleans, 0/1 or text")
    return Problem(1, name, str(t), f"is not a number column; {name} must hold plain numbers: "
                   "export it as numbers (or as text)")




def _not_dates(name: str, arr: pa.ChunkedArray) -> Problem:
    """A date column of another type (integers, floats, booleans, times): the column, its first
    value and its type, and how to write dates (line = row + 2, as a Parquet row is numbered)."""
    t = arr.type
    valid = pc.is_valid(arr)
    first = pc.index(valid, True).as_py() if len(arr) else -1
    kind = ("integers" if pa.types.is_integer(t) else "floating-point numbers"
            if pa.types.is_floating(t) or pa.types.is_decimal(t) else "booleans"
            if pa.types.is_boolean(t) else f"{t} values")
    if first is None or first < 0:
        return Problem(1, name, str(t), f"is a column of {kind} ({t}), not dates; {name} must hold "
                       "dates: a date or timestamp column, or YYYY-MM-DD text")
    value = arr[first].as_py()
    hint = ""
    if pa.types.is_integer(t) and 10_000_101 <= abs(int(value)) <= 99_991_231:
        hint = f" ({value} reads like YYYYMMDD written as a number)"
    elif _is_number(t):
        hint = " (a count of days or seconds since some epoch is not a date this tool can guess)"
    return Problem(first + 2, name, repr(value),
                   f"the column holds {kind} ({t}), not dates: its first value is {value!r} "
                   f"({type(value).__name__}){hint}; {name} must hold dates: export it as a date "
                   "or timestamp column, or as YYYY-MM-DD text")


def _all_distinct(text: pa.ChunkedArray, group: pa.ChunkedArray | None = None) -> bool:
    """Whether no text occurs twice (within its group, when ``group`` is given). Ids in strictly
    increasing order (how most logs are exported: within each group, the groups one block each)
    are distinct at the cost of one comparison each; otherwise the distinct keys are counted."""
    flat = text.combine_chunks()
    n = len(flat)
    if n < 2:
        return True
    rising = pc.less(flat[:-1], flat[1:])
    if group is None:
        return pc.all(rising).as_py() or pc.count_distinct(flat).as_py() == n
    g = group.combine_chunks()
    change = pc.not_equal(g[:-1], g[1:])
    # rising within each run of one group, and each group in one run: no key repeats
    if pc.all(pc.or_(rising, change)).as_py() and pc.sum(change).as_py() + 1 == len(pc.unique(g)):
        return True
    return pc.count_distinct(pc.binary_join_element_wise(g, flat, "\x1f")).as_py() == n


def _text_series(arr: pa.ChunkedArray) -> pd.Series:
    """An Arrow text column as a pandas ``string[pyarrow]`` Series: no copy, and no Python object
    per cell (a million ids as objects cost ~60 MB and a second to build)."""
    return pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.string())), copy=False)


def _codes(col: _Column) -> tuple[np.ndarray, int]:
    enc = pc.dictionary_encode(col.trimmed().cast(pa.string())).combine_chunks()
    return _np(pc.fill_null(enc.indices, -1)).astype(np.int64), len(enc.dictionary)
