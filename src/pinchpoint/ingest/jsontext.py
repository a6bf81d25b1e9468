"""JSON parsing that input cannot crash: nesting is bounded before the parser recurses.

Python's json (and the walks over its result: ``json.dumps``, ``str``) recurse once per
level, so a line like ``[[[[...]]]]`` three thousand deep raises RecursionError, which
is no ValueError and used to escape every handler. Here the nesting is measured first,
without recursion; what is deeper than :data:`MAX_DEPTH` is refused as a ValueError
(one FtM line) or replaced by the :data:`TOO_DEEP` marker (inside a phone export, so
that only the item holding it is quarantined).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pinchpoint.ingest.limits import MAX_DEPTH

# Stands where a too-deep value was; a NUL never survives cleaning, so it is never stored.
TOO_DEEP = "\x00(nested too deeply)"
DEEP_REASON = f"nested more than {MAX_DEPTH} levels deep"
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKENS = re.compile(_STRING + r"|[\[\]{}]")
_STRINGS = re.compile(_STRING)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def _shallow(text: str) -> bool:
    """Whether the brackets outside strings nest properly and at most MAX_DEPTH deep,
    found with a few passes of the regex engine instead of a Python step per token
    (a phone export holds tens of thousands of strings): each pass removes the pairs
    that hold nothing, so one level of every value, and MAX_DEPTH passes empty it."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    for _ in range(MAX_DEPTH):
        if not brackets:
            return True
        brackets = _INNERMOST.sub("", brackets)
    return not brackets


def _deep_spans(text: str) -> list[tuple[int, int]] | None:
    """Where values nested deeper than MAX_DEPTH start and end; None when one never ends."""
    if text.count("[") + text.count("{") <= MAX_DEPTH or _shallow(text):
        return []  # the common case: too few brackets, or too shallow, to be too deep
    depth, start, spans = 0, -1, []
    for match in _TOKENS.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1:
                start = match.start()
        elif char in "]}":
            depth -= 1
            if depth == MAX_DEPTH:
                spans.append((start, match.end()))
            elif depth < 0:
                return []  # unbalanced: json.loads says where
    return None if depth > MAX_DEPTH else spans


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:  # a backstop: _deep_spans should have caught it
        raise ValueError(DEEP_REASON) from None


def loads_bounded(text: str) -> Any:
    """One JSON value; ValueError when it is not JSON or nests too deeply."""
    if _deep_spans(text) != []:
        raise ValueError(DEEP_REASON)
    return _parse(text)


def loads_marking(text: str) -> Any:
    """One JSON value with every value nested too deeply replaced by TOO_DEEP;
    ValueError when it is not JSON or a too-deep value never ends."""
    spans = _deep_spans(text)
    if spans is None:
        raise ValueError(DEEP_REASON)
    if spans:
        marker = json.dumps(TOO_DEEP)
        parts, last = [], 0
        for start, end in spans:
            parts += [text[last:start], marker]
            last = end
        text = "".join([*parts, text[last:]])
    return _parse(text)


def holds_too_deep(value: Any) -> bool:
    """Whether a value from loads_marking holds the marker anywhere (no recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item == TOO_DEEP:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
