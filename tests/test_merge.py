"""Exactly-once merging of partial_data, property-based over both server behaviours."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status._merge import UNCHECKED, Item, Merger, document_identity


def page(n: int, **extra: Any) -> dict[str, Any]:
    return {"markdown": f"# {n}", "metadata": {"sourceURL": f"https://e.com/{n}"}, **extra}


def test_identity_rule_url_then_index_then_hash() -> None:
    """sourceURL first, then url, then index, then a content hash."""
    assert document_identity(page(1, index=7)) == ("url:https://e.com/1", 7)
    assert document_identity({"url": "https://e.com/x"}) == ("url:https://e.com/x", None)
    assert document_identity({"markdown": "m", "index": 3}) == ("index:3", 3)
    key, index = document_identity({"markdown": "m"})
    assert key.startswith("sha256:")
    assert index is None
    assert document_identity({"markdown": "m"})[0] == key  # stable
    assert document_identity({"markdown": "n"})[0] != key
    # bool is not an index; an empty sourceURL falls through to url
    assert document_identity({"index": True, "url": "u"}) == ("url:u", None)
    assert document_identity({"metadata": {"sourceURL": ""}, "url": "u"})[0] == "url:u"


def reference_identity(document: dict[str, Any]) -> tuple[str, int | None]:
    """The module's identity rule, written plainly: what the fast paths must agree with."""
    raw = document.get("index")
    index = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    metadata = document.get("metadata")
    url = metadata.get("sourceURL") if isinstance(metadata, dict) else None
    if not isinstance(url, str) or not url:
        url = document.get("url")
    if isinstance(url, str) and url:
        return "url:" + url.encode("utf-8", "backslashreplace").decode("utf-8"), index
    if index is not None:
        return f"index:{index}", index
    return document_identity(document)  # the content hash: checked by the test above


some_url = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.just("https://é.com/\ud800"))


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "index": st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=2)),
            "metadata": st.one_of(
                st.none(),
                st.text(max_size=2),
                st.fixed_dictionaries({}, optional={"sourceURL": some_url}),
            ),
            "url": some_url,
        },
    )
)
def test_identity_fast_paths_follow_the_rule(document: dict[str, Any]) -> None:
    """ASCII, non-ASCII and lone-surrogate URLs, odd types anywhere: the rule's answer."""
    assert document_identity(document) == reference_identity(document)


# -- a model of the two server behaviours ----------------------------------------------------


@st.composite
def crawls(draw: st.DrawFn) -> tuple[str, list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """A crawl as the server shows it: a behaviour, the partial_data of each poll, final data."""
    behaviour = draw(st.sampled_from(["window", "growing"]))
    pages = draw(st.integers(min_value=0, max_value=160))
    # Poll times as a sorted list of "pages finished by then" (repeats allowed: unchanged polls).
    marks = sorted(draw(st.lists(st.integers(0, pages), max_size=12)))
    failed = draw(st.sets(st.integers(1, max(pages, 1)), max_size=5)) if pages else set()
    enqueue_order = draw(st.permutations(range(1, pages + 1)))
    polls: list[list[dict[str, Any]]] = []
    for done in marks:
        finished = list(range(1, done + 1))  # pages in completion order
        if behaviour == "window":
            shown = [page(n, index=n) for n in finished[-50:]]
        else:
            # every finished page, in enqueue order; failed pages vanish once they fail (later)
            vanished = {n for n in failed if n + 3 <= done}
            rank = {n: i for i, n in enumerate(enqueue_order)}
            shown = [page(n) for n in sorted(finished, key=rank.__getitem__) if n not in vanished]
        if draw(st.booleans()) and shown:
            shown = [*shown, shown[0]]  # the server repeats itself
        polls.append(shown)
    final_pages = [n for n in range(1, pages + 1) if behaviour == "window" or n not in failed]
    final = [page(n, markdown=f"final {n}") for n in draw(st.permutations(final_pages))]
    return behaviour, polls, final


def keys(documents: list[dict[str, Any]]) -> list[str]:
    return [document_identity(d)[0] for d in documents]


@settings(max_examples=200, deadline=None)
@given(crawls())
def test_every_document_shown_comes_out_exactly_once(
    crawl: tuple[str, list[list[dict[str, Any]]], list[dict[str, Any]]],
) -> None:
    """Whatever the server shows, in whatever order and repetition, each page is yielded once,
    and the result holds every page ever shown, final content winning."""
    _, polls, final = crawl
    merger = Merger(keep=True)
    emitted: list[str] = []
    for shown in polls:
        emitted += [item.key for item in merger.partial(shown, None)]
    new, updated = merger.final(final)
    emitted += [item.key for item in new]
    everything = {k for shown in polls for k in keys(shown)} | set(keys(final))
    assert len(emitted) == len(set(emitted))
    assert set(emitted) == everything
    result = merger.documents()
    assert sorted(keys(result)) == sorted(everything)
    final_keys = set(keys(final))
    assert all(d["markdown"].startswith("final") for d in result if keys([d])[0] in final_keys)
    assert merger.from_partial + merger.from_final_only == len(everything)
    assert {i.key for i in updated} == final_keys - {i.key for i in new}


@settings(max_examples=150, deadline=None)
@given(crawls(), st.data())
def test_resume_after_a_crash_yields_only_the_rest(
    crawl: tuple[str, list[list[dict[str, Any]]], list[dict[str, Any]]], data: st.DataObject
) -> None:
    """A second run seeded with what the first delivered never repeats a document."""
    _, polls, final = crawl
    crash_at = data.draw(st.integers(0, len(polls)))
    first = Merger(keep=False)
    delivered: list[Item] = []
    for shown in polls[:crash_at]:
        delivered += first.partial(shown, None)
    second = Merger(keep=True, known=delivered)
    again: list[str] = []
    for shown in polls:  # the new process polls from the start: the server re-shows pages
        again += [item.key for item in second.partial(shown, None)]
    again += [item.key for item in second.final(final)[0]]
    assert not set(again) & {item.key for item in delivered}
    everything = {k for shown in polls for k in keys(shown)} | set(keys(final))
    assert set(again) | {item.key for item in delivered} == everything
    assert len(second.documents()) == len(everything)


def test_window_gaps_are_counted_exactly_and_recovered_from_final() -> None:
    """Pages pushed out of a 50-window between polls are gaps; final data recovers them."""
    merger = Merger(keep=True)
    merger.partial([page(n, index=n) for n in range(1, 51)], None)
    merger.partial([page(n, index=n) for n in range(71, 121)], 70)  # 51..70 evicted unseen
    assert merger.gaps == 20
    new, _ = merger.final([page(n) for n in range(1, 121)])
    assert len(new) == 20
    assert merger.from_final_only == 20
    # ordered by index where known, then first seen
    assert keys(merger.documents())[:3] == [
        "url:https://e.com/1",
        "url:https://e.com/2",
        "url:https://e.com/3",
    ]


def test_full_window_without_index_counts_the_shortfall() -> None:
    """Without index, a full window whose current grew more than the new pages shows a gap."""
    merger = Merger(keep=False)
    merger.partial([page(n) for n in range(1, 51)], None)
    merger.partial([page(n) for n in range(21, 71)], 30)  # 20 new, current grew 30
    assert merger.gaps == 10


def test_order_is_index_then_first_seen() -> None:
    """Indexed documents sort by index; the rest keep first-seen order after them."""
    merger = Merger(keep=True)
    merger.partial([page(3, index=3), page(1, index=1)], None)
    merger.partial([{"url": "b"}, {"url": "a"}], None)
    assert keys(merger.documents()) == [
        "url:https://e.com/1",
        "url:https://e.com/3",
        "url:b",
        "url:a",
    ]


# -- the compact bookkeeping against a plain model --------------------------------------------


def model_deliveries(
    events: list[tuple[str, dict[str, Any], int]], known: list[str], updates: bool = True
) -> list[tuple[str, str, bool | None]]:
    """What the merger must answer for each streamed document, from plain Python sets: the
    rule the merger kept as dicts of keys and fingerprints before they became digests, and
    the last copy in the final data wins (a text from before an update is an update again).
    ``updates``: whether final updates are wanted at all."""
    keys, fingerprints, rewritten = set(known), set(), set()
    answers: list[tuple[str, str, bool | None]] = []
    for list_name, document, fingerprint in events:
        key = document_identity(document)[0]
        new: bool | None
        if list_name == "partial_data":
            new = None if key in keys else True
            if new:
                keys.add(key)
                fingerprints.add(fingerprint)
        elif fingerprint in fingerprints and not (updates and key in rewritten):
            new = None
        elif key not in keys:
            fingerprints.add(fingerprint)
            keys.add(key)
            new = True
        elif updates:
            fingerprints.add(fingerprint)
            rewritten.add(key)
            new = False
        else:
            new = None  # not wanted: its text is not recorded either
        answers.append((list_name, key, new))
    return answers


streamed_documents = st.lists(
    st.tuples(
        st.sampled_from(["partial_data", "data"]),
        st.integers(0, 40),  # the page
        st.integers(0, 2),  # its content
        st.sampled_from(["https://e.com/", "https://é.com/", "https://e.com/\ud800"]),
    ),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(
    streamed_documents,
    st.lists(st.integers(0, 40), max_size=10),
    st.booleans(),
    st.booleans(),
)
def test_the_compact_merger_delivers_exactly_what_plain_sets_would(
    drawn: list[tuple[str, int, int, str]], known_pages: list[int], keep: bool, updates: bool
) -> None:
    """Documents offered one at a time, as the transport does (`offer`, then `take` of what
    it wants): every answer, and the count, as the plain-set model gives; without
    ``updates`` the changed text of a delivered document is not wanted."""
    events = []
    for list_name, n, content, base in drawn:
        document = {"url": f"{base}{n}", "markdown": f"v{content}"}
        events.append(
            (list_name, document, hash(f"{base}{n}/{content}".encode("utf-8", "surrogatepass")))
        )
    known = [Item(*document_identity({"url": f"https://e.com/{n}"}), {}) for n in known_pages]
    merger = Merger(keep=keep, known=known, updates=updates)
    answers: list[tuple[str, str, bool | None]] = []
    for list_name, document, fingerprint in events:
        final = list_name == "data"
        offered = merger.offer(document, fingerprint, final)
        key, index = document_identity(document)
        assert offered is None or offered == (key, index)
        new: bool | None = None
        if offered is not None:
            merger.take(offered, document, fingerprint, final)  # type: ignore[arg-type]
            assert len(merger.fresh) + len(merger.updated) == 1, "what offer wants is taken"
            new = bool(merger.fresh)
            taken = (merger.fresh or merger.updated)[0]
            assert (taken.key, taken.document) == (key, document)
            merger.fresh.clear()
            merger.updated.clear()
        answers.append((list_name, key, new))
    expected = model_deliveries(events, [item.key for item in known], updates)
    assert answers == expected
    delivered = {key for _, key, new in expected if new} | {item.key for item in known}
    assert merger.count == len(delivered)


def test_a_value_that_is_no_object_is_offered_for_the_check_to_reject() -> None:
    merger = Merger(keep=False)
    assert merger.offer(["not", "a", "document"], 1, False) == UNCHECKED
    assert merger.offer("text", 2, True) == UNCHECKED


def test_thousands_of_documents_split_the_digest_chunks_and_stay_exact() -> None:
    """Enough documents for the digest sets to split their chunks many times over: each is
    delivered once, a re-sent one recognised by its fingerprint, an edited one an update."""
    merger = Merger(keep=False)
    pages = [page(n) for n in range(6000)]
    for document in pages:
        key, index = document_identity(document)
        assert merger.offer(document, hash(key), False) == (key, index)
        merger.take((key, index), document, hash(key), False)
    assert [item.key for item in merger.fresh] == [document_identity(d)[0] for d in pages]
    merger.fresh.clear()
    for document in pages:
        key, index = document_identity(document)
        assert merger.known_fingerprint(hash(key))
        assert merger.offer(document, hash(key), False) is None
        assert merger.offer(document, hash(key), True) is None
        assert merger.offer(document, hash(key + "!"), True) == (key, index)
        merger.take((key, index), document, hash(key + "!"), True)
    assert not merger.fresh
    assert len(merger.updated) == 6000
    assert merger.count == 6000


def test_a_document_too_deep_to_write_has_no_identity_but_a_clear_error() -> None:
    deep: list[Any] = []
    for _ in range(sys.getrecursionlimit() + 10):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply to identify"):
        document_identity({"markdown": "m", "deep": deep})
