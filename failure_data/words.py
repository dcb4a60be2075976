"""Words for people, in one place: the indefinite article that agrees with the word after it.

A message that names something the user chose (a component, a family) writes "a" or "an" with
:func:`with_article`, so "an optical-engine", "a module", "an ELS", "a unit", "an exponential" read right.
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
