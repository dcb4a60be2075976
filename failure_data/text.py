"""Decode a text file the tool reads (logs, scenarios, life models) or say in one sentence why not.

One rule for every file: UTF-8, with or without a byte-order mark. A file in
another encoding is refused with the encoding it looks like and the fix, never
a ``UnicodeDecodeError``. Callers turn :class:`NotText` into their own error
type (a log's ``DataValidationError``, a scenario's ``ScenarioError``).
"""

from __future__ import annotations

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


class NotText(ValueError):
    """``data`` is not UTF-8 text; ``line`` is where the first bad byte is, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def decode_utf8(data: bytes) -> str:
    """``data`` as text: UTF-8, a leading byte-order mark removed.

    Raises :class:`NotText` naming what the bytes look like (UTF-16 as
    PowerShell's ``>`` writes it, UTF-32, a binary file, latin-1 or another
    8-bit code page) and how to re-save it.
    """
    data = _check_head(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _not_utf8(data, e) from None


def check_utf8(data: bytes) -> None:
    """Raise :class:`NotText` exactly when :func:`decode_utf8` would, without building the text
    (a large ASCII file, the usual log, is checked in one pass and no copy)."""
    data = _check_head(data)
    if data.isascii():
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _not_utf8(data, e) from None


def _check_head(data: bytes) -> bytes:
    """The encodings seen from a file's first bytes; returns ``data`` without a UTF-8 mark."""
    if data.startswith(_UTF32_BOMS):
        raise NotText("is UTF-32 text; re-save it as UTF-8")
    if data.startswith(_UTF16_BOMS) or _looks_utf16(data):
        raise NotText("is UTF-16 text (what PowerShell's `>` writes); re-save it as UTF-8, e.g. "
                      "`Get-Content IN | Set-Content -Encoding utf8 OUT`, or `iconv -f UTF-16 -t UTF-8`")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    if b"\x00" in data[:8192]:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise NotText("is a binary file (it holds NUL bytes), not UTF-8 text", line=line)
    return data


def _not_utf8(data: bytes, e: UnicodeDecodeError) -> NotText:
    line = data.count(b"\n", 0, e.start) + 1
    return NotText(f"is not UTF-8 text (byte 0x{data[e.start]:02x}, perhaps latin-1 or a Windows "
                   "code page); re-save it as UTF-8, e.g. `iconv -f latin1 -t UTF-8`", line=line)


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a mark: every other byte of ASCII-range text is NUL."""
    head = data[:512]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)
