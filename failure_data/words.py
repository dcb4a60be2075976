"""Words for people, in one place: the indefinite article that agrees with the word after it, and
a user's string made safe to show.

A message that names something the user chose (a component, a family) writes "a" or "an" with
:func:`with_article`, so "an optical-engine", "a module", "an ELS", "a unit", "an exponential" read
right. :func:`printable` shows a name's control characters as escapes (a terminal acts on ESC:
colours, a window title, a cleared screen) and :func:`figure_text` makes it a matplotlib label.
"""

from __future__ import annotations

_VOWEL_LETTERS = frozenset("AEFHILMNORSX")  # letters whose name starts with a vowel sound (el, em..)
_A_BEFORE = ("uni", "use", "usa", "usu", "uti", "ure", "eu", "one", "once")  # a vowel letter, "y"/"w" sound


def article(word: str) -> str:
    """"a" or "an", as ``word`` (spoken as English reads it) takes; a letter or an acronym is read
    letter by letter ("an x", "an ELS", "a DSP")."""
    w = word.strip().lstrip("\"'`(")
    if not w:
        return "a"
    head = w.split("-")[0].split()[0] if w.split("-")[0].split() else w
    if (len(head) == 1 or head.isupper()) and head.isalpha():  # a letter or an acronym, read
        return "an" if head[0].upper() in _VOWEL_LETTERS else "a"
    if head[0].isdigit():
        return "an" if head[0] == "8" or head.startswith(("11", "18")) else "a"
    low = w.lower()
    if low.startswith(_A_BEFORE):
        return "a"
    return "an" if low[0] in "aeiou" or low.startswith(("hour", "honest", "honour")) else "a"


def with_article(word: str) -> str:
    """``word`` with its indefinite article: ``with_article("optical-engine")`` is "an optical-engine"."""
    return f"{article(word)} {word}"


_INVISIBLE = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF}
"""Direction marks and overrides (a name that reads backwards on screen: "Trojan source")."""


def printable(text: str) -> str:
    """``text`` safe to show on a terminal or in a figure: a control character (ESC, BEL, ...: a
    terminal would act on it), a DEL, a C1 control or a direction override is written as its
    escape (``\\x1b``, ``\\u202e``); line breaks and tabs stay."""
    if text.isprintable() and not any(ord(c) in _INVISIBLE for c in text):
        return text
    out = []
    for c in text:
        o = ord(c)
        if c in "\n\t" or (c.isprintable() and o not in _INVISIBLE):
            out.append(c)
        elif o < 0x100:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    return "".join(out)


def figure_text(text: str) -> str:
    """A user's string as matplotlib text: :func:`printable`, and ``$`` escaped (it would start
    mathtext, which may fail to parse)."""
    return printable(str(text)).replace("$", r"\$")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula in a CSV cell (OWASP's CSV injection list):
a name that starts so is refused where it would reach a CSV output."""
