"""The text rules every stage shares: white space, quotation marks, dashes, headings, abbreviations.

What belongs here: how two pieces of filing text are compared or cut, written once. The sticker
parser, the segmenter, the locator, the redline and the scorer all fold white space, read quotation
marks of every style, split heading paths on dashes, compare headings and know which periods do not
end a sentence; a rule changed here changes for all of them. Pure functions and constants only.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# --- white space and quotation marks ---------------------------------------------------------

QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'", "´": "'", "„": '"', "«": '"', "»": '"'})
# Pairs of quotation marks a filing may wrap words in, opening to closing, doubled forms first.
QUOTE_PAIRS = (("‘‘", "’’"), ("``", "''"), ("“", "”"), ('"', '"'), ("‘", "’"))


def fold_space(text: str) -> str:
    """All runs of white space as one space, ends stripped (how the corpus compares texts)."""
    return " ".join(text.split())


def fold_quotes(text: str) -> str:
    """Curly, grave and acute quotation marks as the straight ones."""
    return text.translate(QUOTE_FOLD)


def plain(text: str) -> str:
    """A text as compared for likeness: accents, quotation marks and dashes folded, white space folded."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.translate(QUOTE_FOLD)
    text = DASH.sub("-", text)
    return fold_space(text)


# --- dashes and heading paths ----------------------------------------------------------------

# A dash of any printing: em, en, figure, horizontal bar, minus, or two or more hyphens.
DASH = re.compile(r"--+|[—–‒―−]")
# What separates the levels of a quoted heading path: "Summary—Advances", "Summary -- Advances",
# "Summary - Advances" (a hyphen only with a space on each side: "Class A-1" is one level).
HEADING_SEPARATOR = re.compile(r"\s*(?:--+|[—–‒―−]|\s-\s)\s*")


def split_heading_path(quoted: str) -> tuple[str, ...]:
    """'Summary—Certificates' => ('Summary', 'Certificates'); stray punctuation at the ends dropped."""
    parts = [p.strip().strip(",.;:").strip() for p in HEADING_SEPARATOR.split(quoted)]
    return tuple(p for p in parts if p)


_NON_WORD = re.compile(r"[^\w\s]")
_SUMMARY = re.compile(
    r"^summary(?: of (?:the )?(?:prospectus supplement|terms|the offering|offering|principal terms|"
    r"the certificates|the notes|the transaction|series terms))?\b"
)


def _normalise(s: str) -> str:
    if s.isascii():
        # ASCII has nothing to decompose and no combining marks; its quotes and dashes are
        # punctuation, which becomes a blank anyway, and its case folds as it lowers.
        return " ".join(_NON_WORD.sub(" ", s.lower().replace("&", " and ")).split())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(QUOTE_FOLD).casefold().replace("&", " and ")
    s = DASH.sub(" ", s)
    s = _NON_WORD.sub(" ", s)
    return " ".join(s.split())


@functools.lru_cache(maxsize=8192)
def normalise_heading(s: str) -> str:
    """A heading as compared: case, quotes, dashes, punctuation, '&', a leading 'the', Summary aliases."""
    s = _normalise(s)
    if s.startswith("the "):
        s = s[4:]
    return _SUMMARY.sub("summary", s)


def same_heading(a: str, b: str) -> bool:
    """Whether two headings are the same heading as printed (normalised equal; a near miss is not)."""
    return normalise_heading(a) == normalise_heading(b)


# --- abbreviations ---------------------------------------------------------------------------

# Words after which a period never ends a sentence.
NEVER_END = frozenset(
    "u.s mr mrs ms dr st no nos e.g i.e cf vs a.m p.m approx jan feb mar apr jun jul aug sep "
    "sept oct nov dec sec secs art fig u.s.c etc.al al assoc".split()
)
# Company suffixes: they end a sentence only when what follows opens one.
COMPANY_SUFFIXES = frozenset("inc co corp ltd bros n.a l.p s.a n.v l.l.c p.c plc p.l.c llc jr sr".split())


def is_abbreviation(word: str) -> bool:
    """Whether a word before a period is an abbreviation ('Inc', 'U.S', 'No'): the period may not end it."""
    w = word.casefold().rstrip(".")
    return w in NEVER_END or w in COMPANY_SUFFIXES or w == "etc"
