"""The nesting check before JSON is parsed: its quick answer for shallow documents is
the answer of the walk over every token."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pinchpoint.ingest import jsontext
from pinchpoint.ingest.jsontext import holds_too_deep, loads_marking
from pinchpoint.ingest.limits import MAX_DEPTH


def walked(text: str) -> bool:
    """Whether the token walk finds the brackets outside strings properly nested and
    at most MAX_DEPTH deep (what `_shallow` answers without walking)."""
    depth, stack = 0, []
    for match in jsontext._TOKENS.finditer(text):
        char = text[match.start()]
        if char in "[{":
            stack.append(char)
            depth = max(depth, len(stack))
        elif char in "]}" and (not stack or {"[": "]", "{": "}"}[stack.pop()] != char):
            return False
    return not stack and depth <= MAX_DEPTH


PIECES = st.sampled_from(["[", "]", "{", "}", '"a[b"', '"]}"', '"\\"["', '"', "\\", "x", ","])


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=80), st.integers(0, MAX_DEPTH + 2))
def test_the_quick_answer_is_the_walks(pieces: list[str], extra: int) -> None:
    text = "[" * extra + "".join(pieces) + "]" * extra
    assert jsontext._shallow(text) == walked(text)


def test_a_deep_value_in_a_long_export_is_still_marked() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    items = [{"id": str(n), "name": "a [bracket] in text {"} for n in range(50)]
    text = json.dumps({"contacts": items})[:-2] + f", {deep}]}}"
    found = loads_marking(text)["contacts"]
    assert found[:50] == items and holds_too_deep(found[50])


def test_a_shallow_export_parses_as_it_is() -> None:
    data = {"contacts": [{"id": str(n), "tags": [[["x"]]]} for n in range(100)]}
    assert loads_marking(json.dumps(data)) == data
    assert jsontext._shallow(json.dumps(data))
