"""The streaming body scanner (issue 16) against ``json.loads``, chunk boundaries anywhere."""

from __future__ import annotations

import codecs
import itertools
import json
import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status._scan import (
    BodyScanner,
    Element,
    Event,
    Field,
    ListEnd,
    ListStart,
    Repeat,
    ScanError,
    Whole,
)

LISTS = ("data", "partial_data")


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    """The body cut at the given offsets (any order, duplicates make empty chunks)."""
    bounds = [0, *sorted(cut % (len(body) + 1) for cut in cuts), len(body)]
    return [body[start:end] for start, end in itertools.pairwise(bounds)]


def scan(
    chunks: list[bytes], lists: tuple[str, ...] = LISTS, *, fingerprints: bool = True
) -> list[Event]:
    scanner = BodyScanner(lists)
    scanner.fingerprints = fingerprints
    events: list[Event] = []
    for chunk in chunks:
        events += scanner.feed(chunk)
    return events + scanner.close()


def rebuild(events: list[Event]) -> object:
    """What ``json.loads`` would answer, from the events; checks their order and counts."""
    if events and isinstance(events[0], Whole):
        assert len(events) == 1
        return events[0].value
    result: dict[str, Any] = {}
    open_list: str | None = None
    for event in events:
        if isinstance(event, ListStart):
            assert open_list is None
            open_list = event.name
            result[event.name] = []
        elif isinstance(event, Element):
            assert event.list_name == open_list
            assert event.position == len(result[event.list_name])
            result[event.list_name].append(event.value)
        elif isinstance(event, ListEnd):
            assert event.name == open_list
            assert event.count == len(result[event.name])
            open_list = None
        else:
            assert isinstance(event, Field)
            assert open_list is None
            result[event.name] = event.value
    assert open_list is None
    return result


def outcome(chunks: list[bytes], fingerprints: bool = True) -> tuple[str, object]:
    try:
        return "ok", rebuild(scan(chunks, fingerprints=fingerprints))
    except ScanError as err:
        return "error", err


def expected(body: bytes) -> tuple[str, object]:
    try:
        return "ok", json.loads(body)
    except (ValueError, RecursionError) as err:
        return "error", err


def assert_like_json(body: bytes, chunks: list[bytes], fingerprints: bool = True) -> None:
    want_kind, want = expected(body)
    got_kind, got = outcome(chunks, fingerprints)
    assert got_kind == want_kind, (body, got)
    if want_kind == "ok":
        assert got == want
    else:
        assert len(str(got)) <= 300
        if isinstance(want, json.JSONDecodeError):
            assert str(got) == str(want)  # same message, same place


# `NaN` decodes to one shared float object in json, so equality holds through identity.
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)
list_values = st.lists(json_values, max_size=6) | json_values
keys = st.sampled_from(["data", "partial_data", "status", "next", "é😀", ""]) | st.text(max_size=4)
envelopes = st.lists(st.tuples(keys, list_values), max_size=6)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """A JSON body as servers write it: usually an object, in some layout and encoding."""
    if draw(st.integers(0, 9)) == 0:
        document: object = draw(json_values)
    else:
        document = dict(draw(envelopes))
    text = json.dumps(
        document,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 0, 2, "\t"])),
        separators=draw(st.sampled_from([None, (",", ":"), (" , ", " : "), (",\r\n", ":\t")])),
    )
    space = st.text(alphabet=" \t\r\n", max_size=3)
    body = (draw(space) + text + draw(space)).encode()
    if draw(st.integers(0, 9)) == 0:
        body = codecs.BOM_UTF8 + body
    return body


@settings(max_examples=300, deadline=None)
@given(bodies(), st.lists(st.integers(min_value=0), max_size=8), st.booleans())
def test_a_valid_body_gives_what_json_loads_gives(
    body: bytes, cuts: list[int], fingerprints: bool
) -> None:
    assert_like_json(body, split(body, cuts), fingerprints)


# Objects whose text holds what the scanner's runs of elements cut at (`},{`) and what ends a
# list early (`]`), in strings and nested lists, written compact as servers write them.
tricky_text = st.text(alphabet='},{[]":\\ a', max_size=8)
tricky_objects = st.recursive(
    st.dictionaries(tricky_text, tricky_text | st.integers(), max_size=3),
    lambda children: st.dictionaries(
        tricky_text, children | st.lists(children, max_size=3), min_size=1, max_size=3
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["data", "partial_data", "next"]),
            st.lists(tricky_objects | tricky_text | st.integers(), max_size=12),
        ),
        max_size=4,
    ),
    st.lists(st.integers(min_value=0), max_size=8),
    st.data(),
)
def test_runs_of_elements_decoded_at_once_give_what_json_loads_gives(
    members: list[tuple[str, list[object]]], cuts: list[int], data: st.DataObject
) -> None:
    """Fingerprints off, the complete elements of each chunk are decoded in one run: the
    same values, in the same places, as one by one, and errors where json has them."""
    body = json.dumps(dict(members), separators=(",", ":")).encode()
    assert_like_json(body, split(body, cuts), fingerprints=False)
    at = data.draw(st.integers(0, len(body)))
    byte = bytes([data.draw(st.sampled_from(b'{}[],:"\\0a'))])
    damaged = body[:at] + byte + body[at + 1 :]
    assert_like_json(damaged, split(damaged, cuts), fingerprints=False)


@settings(max_examples=60, deadline=None)
@given(bodies())
def test_one_byte_chunks_split_every_character_and_number(body: bytes) -> None:
    assert_like_json(body, [body[i : i + 1] for i in range(len(body))])


@settings(max_examples=300, deadline=None)
@given(bodies(), st.data())
def test_a_damaged_body_fails_where_json_loads_fails(body: bytes, data: st.DataObject) -> None:
    """Truncated, or one byte replaced, inserted or removed: ScanError exactly when json fails
    (with json's message and position), the same document when it does not."""
    at = data.draw(st.integers(0, len(body)))
    byte = bytes([data.draw(st.sampled_from(b'{}[],:"\\ 0123456789.eE+-tfnNIa\x00\xc3\xff'))])
    damaged = data.draw(
        st.sampled_from(
            [body[:at], body[:at] + byte + body[at + 1 :], body[:at] + byte + body[at:]]
            + ([body[:at] + body[at + 1 :]] if at < len(body) else [])
        )
    )
    cuts = data.draw(st.lists(st.integers(min_value=0), max_size=6))
    assert_like_json(damaged, split(damaged, cuts), data.draw(st.booleans()))


@pytest.mark.parametrize(
    ("body", "value"),
    [
        (b'{"data": [123, 1e5, -0.5E-3, -Infinity, NaN, true, null]}', None),
        (b'{"total": 123, "next": 1.5e+10}', None),
        (b'{"data": [], "partial_data": null}', None),
        (b'{"data": [1], "data": [2, 3], "partial_data": [4], "partial_data": "x"}', None),
        (b'\xef\xbb\xbf{"a": "\xc3\xa9\xf0\x9f\x98\x80\\ud83d\\ude00"}', None),
        (b'{"a": "\xed\xa0\x80"}', None),  # json.loads(bytes) passes surrogates through
        ('{"data": ["é😀"]}'.encode("utf-16"), None),
        ('{"data": ["é😀"]}'.encode("utf-32-le"), None),
        (b"[1, 2]", [1, 2]),
        (b' "text" ', "text"),
        (b"12", 12),
    ],
)
def test_every_split_of_known_bodies(body: bytes, value: object) -> None:
    for at in range(len(body) + 1):
        for chunks in ([body[:at], body[at:]], [body[:at], b"", body[at:]]):
            assert_like_json(body, chunks)
    if value is not None:
        assert scan([body]) == [Whole(value)]


def test_a_number_is_not_taken_before_its_end() -> None:
    scanner = BodyScanner()
    assert scanner.feed(b'{"total": 12') == []
    assert scanner.feed(b'3, "data": [4') == [Field("total", 123), ListStart("data")]
    assert scanner.feed(b"5") == []
    assert scanner.feed(b"e") == []  # `45` could still become `45e1`
    assert scanner.feed(b"1]") == [Element("data", 0, 450.0, hash("45e1"), 4), ListEnd("data", 1)]
    assert scanner.feed(b"}") == []
    assert scanner.close() == []


def test_elements_arrive_one_at_a_time_with_fingerprints() -> None:
    scanner = BodyScanner()
    events = scanner.feed(b'{"status": "scraping", "data": [{"a": 1}, {"a": 1},{"a":1}, ')
    assert events[:2] == [Field("status", "scraping"), ListStart("data")]
    first, second, third = events[2:]
    assert isinstance(first, Element)
    assert isinstance(second, Element)
    assert isinstance(third, Element)
    assert (first.position, second.position, third.position) == (0, 1, 2)
    assert first.fingerprint == second.fingerprint != third.fingerprint  # same text, same print
    assert (first.size, third.size) == (len('{"a": 1}'), len('{"a":1}'))
    assert scanner.feed(b'{"a": 2}], "partial_data": [] }') == [
        Element("data", 3, {"a": 2}, hash('{"a": 2}'), 8),
        ListEnd("data", 4),
        ListStart("partial_data"),
        ListEnd("partial_data", 0),
    ]
    assert scanner.close() == []


def test_fingerprints_switched_off_stop_hashing_and_recognising_from_the_next_element() -> None:
    """A caller that will compare no fingerprint turns them off: the elements after that come
    decoded and without one, even those the previous answer would have made `Repeat`s."""
    first = '{"a": 1}'
    scanner = BodyScanner(previous={"data": [(len(first), hash(first))] * 3})
    events = scanner.feed(f'{{"data": [{first}, '.encode())
    assert events[-1] == Repeat("data", 0, hash(first), len(first))
    scanner.fingerprints = False
    assert scanner.feed(f'{first}, {{"b": 2}}, '.encode()) == [
        Element("data", 1, {"a": 1}, None, None),  # not compact: one by one
        Element("data", 2, {"b": 2}, None, None),
    ]
    # Compact: the complete ones in one call of the decoder (then `{"f"` is tried, too short).
    attempts = scanner.decode_attempts
    assert scanner.feed(b'{"c":3},{"d":4},{"e":5},{"f"') == [
        Element("data", 3, {"c": 3}, None, None),
        Element("data", 4, {"d": 4}, None, None),
        Element("data", 5, {"e": 5}, None, None),
    ]
    assert scanner.decode_attempts == attempts + 2
    assert scanner.feed(b":6}]}") == [
        Element("data", 6, {"f": 6}, None, None),
        ListEnd("data", 7),
    ]
    assert scanner.close() == []


def test_only_the_named_lists_are_streamed() -> None:
    body = b'{"data": [1, 2], "other": [3]}'
    assert scan([body], lists=("other",)) == [
        Field("data", [1, 2]),
        ListStart("other"),
        Element("other", 0, 3, hash("3"), 1),
        ListEnd("other", 1),
    ]


def test_memory_stays_bounded_by_one_element_while_a_long_list_streams() -> None:
    element = json.dumps({"markdown": "# Page\n\nText é😀 " * 40, "metadata": {"n": 1}})
    body = ('{"status": "completed", "data": [' + ", ".join([element] * 2000) + "]}").encode()
    scanner = BodyScanner()
    chunk = 100
    peak = 0
    streamed = 0
    for start in range(0, len(body), chunk):
        streamed += sum(isinstance(e, Element) for e in scanner.feed(body[start : start + chunk]))
        peak = max(peak, scanner.buffered)
    streamed += sum(isinstance(e, Element) for e in scanner.close())
    assert streamed == 2000
    # The unfinished element (retried once it doubled) plus one chunk, never the body.
    assert peak <= 2 * len(element) + chunk
    assert peak * 100 < len(body)


def test_a_huge_element_in_one_byte_chunks_is_decoded_a_logarithmic_number_of_times() -> None:
    size = 200_000
    body = b'{"data": [{"markdown": "' + b"x" * size + b'"}, 7], "total": 12345}'
    scanner = BodyScanner()
    events: list[Event] = []
    for i in range(len(body)):
        events += scanner.feed(body[i : i + 1])
        assert scanner.buffered <= 2 * (size + 30)
    events += scanner.close()
    assert rebuild(events) == json.loads(body)
    # Each retry waits until the text has doubled: about log2(size) attempts per value.
    assert scanner.decode_attempts <= 4 * math.log2(size)


def test_a_huge_key_or_field_is_not_decoded_on_every_chunk_either() -> None:
    size = 100_000
    body = b'{"' + b"k" * size + b'": "' + b"v" * size + b'"}'
    scanner = BodyScanner()
    for i in range(len(body)):
        scanner.feed(body[i : i + 1])
    assert scanner.close() == [Field("k" * size, "v" * size)]
    assert scanner.decode_attempts <= 8 * math.log2(size)


@pytest.mark.parametrize(
    "body",
    [
        b'{"data": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
        b'{"nested": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_deep_nesting_is_a_scan_error(body: bytes) -> None:
    with pytest.raises(ScanError, match="nested too deeply"):
        scan([body[i : i + 65536] for i in range(0, len(body), 65536)])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "Expecting value: line 1 column 1 (char 0)"),
        (b'{"data": [1, 2', "Expecting ',' delimiter: line 1 column 15 (char 14)"),
        (b'{"a": 1}\n\n  {', "Extra data: line 3 column 3 (char 12)"),
        (b'{"a": "\xff"}', "not valid utf-8"),
        (b"<html>" + b"x" * 1000, "Expecting value: line 1 column 1 (char 0)"),
    ],
)
def test_errors_read_like_json_and_never_quote_the_body(body: bytes, message: str) -> None:
    with pytest.raises(ScanError, match=re.escape(message)) as caught:
        scan([body[:3], body[3:]])
    assert "xxx" not in str(caught.value)
    assert len(str(caught.value)) <= 300


def test_a_body_that_is_not_json_fails_at_its_first_chunk() -> None:
    scanner = BodyScanner()
    with pytest.raises(ScanError, match="Expecting value"):
        scanner.feed(b"<!DOCTYPE html>")
    with pytest.raises(ScanError):  # and keeps failing
        scanner.close()


def test_events_before_an_error_are_returned_and_the_error_comes_next() -> None:
    scanner = BodyScanner()
    events = scanner.feed(b'{"data": [1, 2 x')
    assert events == [
        ListStart("data"),
        Element("data", 0, 1, hash("1"), 1),
        Element("data", 1, 2, hash("2"), 1),
    ]
    assert scanner.buffered == 0  # nothing more will be read
    with pytest.raises(ScanError, match="Expecting ',' delimiter"):
        scanner.feed(b"]}")
    with pytest.raises(ScanError, match="Expecting ',' delimiter"):
        scanner.close()


def test_a_long_error_far_into_the_body_keeps_its_line_and_column() -> None:
    body = b'{\n"data": [\n' + b"1,\n" * 50_000 + b"x]}"
    chunks = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    with pytest.raises(ScanError) as caught:
        scan(chunks)
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(body)
    assert str(caught.value) == str(reference.value)
    assert caught.value.pos == reference.value.pos


def hints_and_values(
    events: list[Event],
) -> tuple[dict[str, list[tuple[int, int]]], dict[int, object]]:
    """What a caller keeps of an answer to pass as the next scanner's ``previous``."""
    hints: dict[str, list[tuple[int, int]]] = {}
    values: dict[int, object] = {}
    for event in events:
        if isinstance(event, ListStart):
            hints[event.name] = []
        elif isinstance(event, Element | Repeat):
            hints[event.list_name].append((event.size, event.fingerprint))
            if isinstance(event, Element):
                values[event.fingerprint] = event.value
    return hints, values


def with_repeats_decoded(events: list[Event], values: dict[int, object]) -> list[Event]:
    return [
        Element(e.list_name, e.position, values[e.fingerprint], e.fingerprint, e.size)
        if isinstance(e, Repeat)
        else e
        for e in events
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(json_values, max_size=8),
    st.lists(
        st.tuples(st.sampled_from(["insert", "delete", "change"]), st.integers(0, 9), json_values),
        max_size=3,
    ),
    st.booleans(),
    st.sampled_from([None, 1]),
    st.lists(st.integers(min_value=0), max_size=6),
)
def test_elements_of_the_previous_answer_are_recognised_without_decoding(
    old: list[Any],
    edits: list[tuple[str, int, Any]],
    pages: bool,
    indent: int | None,
    cuts: list[int],
) -> None:
    """Any list edited by inserts, removals and changes rebuilds to json.loads; a list of
    pages (each one different, as a crawl's are) decodes only what the edits brought."""
    if pages:
        old = [{"url": f"/{number}", "page": value} for number, value in enumerate(old)]
        edits = [
            (edit, at, {"url": f"/new/{number}", "page": value})
            for number, (edit, at, value) in enumerate(edits)
        ]
    new = list(old)
    for edit, at, value in edits:
        at = at % (len(new) + 1)
        if edit == "insert":
            new.insert(at, value)
        elif at < len(new):
            if edit == "delete":
                del new[at]
            else:
                new[at] = value
    old_body, new_body = (
        json.dumps({"status": "scraping", "partial_data": docs}, indent=indent).encode()
        for docs in (old, new)
    )
    hints, values = hints_and_values(scan([old_body]))
    scanner = BodyScanner(previous=hints)
    events: list[Event] = []
    for chunk in split(new_body, cuts):
        events += scanner.feed(chunk)
    events += scanner.close()
    assert rebuild(with_repeats_decoded(events, values)) == json.loads(new_body)
    decoded = sum(isinstance(e, Element) for e in events)
    if pages:  # per edit, the new page and maybe one more to find the old ones again
        assert decoded <= 2 * len(edits)
    elif not edits:  # all but numbers (`NaN` and `Infinity` are no numbers here)
        assert decoded == sum(json.dumps(value)[0] in "-0123456789" for value in old)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(min_size=0, max_size=3000), min_size=1, max_size=30),
    st.integers(1, 5000),
)
def test_after_each_feed_at_most_twice_the_largest_element_is_held(
    texts: list[str], chunk: int
) -> None:
    """The unfinished element is retried once its text doubled: until then it and what
    followed it stay held, at most twice the largest element (and a separator)."""
    elements = [json.dumps({"markdown": text}, ensure_ascii=False) for text in texts]
    body = ('{"status": "completed", "data": [' + ", ".join(elements) + "]}").encode()
    largest = max(len(element) for element in elements)
    scanner = BodyScanner()
    events: list[Event] = []
    for start in range(0, len(body), chunk):
        events += scanner.feed(body[start : start + chunk])
        assert scanner.buffered <= 2 * (largest + 2)
    events += scanner.close()
    assert rebuild(events) == json.loads(body)


def test_a_closed_scanner_takes_no_more() -> None:
    scanner = BodyScanner()
    assert scanner.feed(b"{}") == []
    assert scanner.close() == []
    assert scanner.close() == []
    with pytest.raises(RuntimeError):
        scanner.feed(b" ")


@pytest.mark.parametrize("where", ["field", "element"])
def test_an_integer_over_the_digit_limit_is_a_scan_error_as_in_json(where: str) -> None:
    digits = b"1" * 5000  # over sys.get_int_max_str_digits(): json.loads raises ValueError
    body = b'{"total": ' + digits + b"}" if where == "field" else b'{"data": [' + digits + b"]}"
    with pytest.raises(ValueError, match="digits"):
        json.loads(body)
    for chunk in (1000, 4500, len(body)):
        with pytest.raises(ScanError, match="digits") as caught:
            scan([body[i : i + chunk] for i in range(0, len(body), chunk)])
        assert "1111" not in str(caught.value)
