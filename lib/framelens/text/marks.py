"""Quotation-mark pairing within paragraphs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .speakers import Mention
from .words import CLOSERS, OPEN_CONTEXT, OPENERS, QMARK_RE

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Quote:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    sent: int  # sentence of the opening mark
    direct_like: bool  # opening mark starts its sentence
    kind: str = "partial"
    mention: Mention | None = None
    verb: tuple | None = None  # (lemma, class, start, end)


@dataclass(slots=True)
class Report:
    vs: int
    ve: int
    lemma: str
    cls: str
    sent: int
    mention: Mention | None
    own_subject: bool
    connector: int | None = None  # start of "and"/"," before a subjectless verb
    clause: list | None = None  # [start, end]
    forward: bool = False


def pair_quotes(
    text: str, ps: int, pe: int, problems: list[tuple[int, str]]
) -> list[tuple[int, int]]:
    """Pair quotation marks within one paragraph; report unpaired marks."""
    pairs: list[tuple[int, int]] = []
    open_pos: int | None = None
    for m in QMARK_RE.finditer(text, ps, pe):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        looks_open = (prev.isspace() or prev in OPEN_CONTEXT) and not nxt.isspace()
        looks_close = not prev.isspace() and prev not in "([{"
        if ch in OPENERS:
            role = "close" if (open_pos is not None and looks_close and not looks_open) else "open"
        elif ch in CLOSERS:
            role = "open" if (open_pos is None and looks_open and not looks_close) else "close"
        else:
            role = (
                "open"
                if looks_open and not looks_close
                else ("close" if looks_close and not looks_open else "either")
            )
        if open_pos is None:
            if role == "close":
                problems.append((i, "closing"))
            else:
                open_pos = i
        elif role == "open":
            problems.append((open_pos, "opening"))
            open_pos = i
        else:
            if text[open_pos + 1 : i].strip():
                pairs.append((open_pos, i))
            open_pos = None
    if open_pos is not None:
        problems.append((open_pos, "opening"))
    return pairs


def strip_span(text: str, s: int, e: int, chars: str = " \t\r\n,;:") -> tuple[int, int]:
    while s < e and text[s] in " \t\r\n,;:":
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e
