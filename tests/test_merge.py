"""Exactly-once merging of partial_data, property-based over both server behaviours."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from firecrawl_status._merge import Item, Merger, document_identity


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
