"""The compact identity memory of the v1/v2 page walk: `DigestSet` behaves as a set of 64-bit
integers (checked against Python's own, with merges forced small and often), and `digest`
is stable and total over any identity text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firecrawl_status import _digests
from firecrawl_status._digests import DigestSet, digest

U64 = st.integers(min_value=0, max_value=(1 << 64) - 1)
# Few distinct values make repeats (adds of a held value, hits) common; edges included.
VALUES = st.one_of(st.integers(min_value=0, max_value=40), U64, st.sampled_from([0, (1 << 64) - 1]))
OPERATIONS = st.lists(st.tuples(st.sampled_from(["add", "in"]), VALUES), max_size=300)


@pytest.mark.parametrize("batch", [1, 3, 1024])
@given(initial=st.lists(VALUES, max_size=50), operations=OPERATIONS)
def test_a_digest_set_behaves_as_a_set(
    batch: int, initial: list[int], operations: list[tuple[str, int]]
) -> None:
    """Every ``in`` and ``len`` answers as a Python set's would, through any merge."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_digests, "_CHUNK", batch)
        patch.setattr(_digests, "_RECENT", batch + 1)
        compact, reference = DigestSet(initial), set(initial)
        for operation, value in operations:
            if operation == "add":
                assert compact.add(value) == (value not in reference)
                reference.add(value)
            assert (value in compact) == (value in reference)
            assert len(compact) == len(reference)
        assert all(value in compact for value in reference)


def test_a_large_set_stays_sorted_in_bounded_chunks() -> None:
    """20,000 digests: all found, none invented, sorted across chunks of bounded size."""
    values = [digest(f"id:{n}") for n in range(20_000)]
    compact = DigestSet(values)
    assert len(compact) == len(set(values))
    assert all(value in compact for value in values)
    assert sum(digest(f"id:other-{n}") in compact for n in range(2_000)) == 0
    chunks = compact._chunks
    held = [value for chunk in chunks for value in chunk]
    assert held == sorted(held)
    assert set(held) | compact._recent == set(values)
    assert len(compact._recent) < _digests._RECENT
    assert max(len(chunk) for chunk in chunks) <= 2 * _digests._CHUNK + 1
    assert compact._maxes == [chunk[-1] for chunk in chunks]


def test_a_value_outside_64_bits_is_refused() -> None:
    with pytest.raises(OverflowError):
        DigestSet().add(1 << 64)
    with pytest.raises(OverflowError):
        DigestSet().add(-1)


@pytest.mark.parametrize("wide", [True, False])
@given(text=st.text())
def test_a_digest_is_stable_and_64_bit(wide: bool, text: str) -> None:
    """Any text, lone surrogates included (JSON can carry them), has one 64-bit digest, with
    a 64-bit ``hash()`` or without one (32-bit builds: BLAKE2b)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_digests, "_WIDE_HASH", wide)
        value = digest(text)
        assert 0 <= value < 1 << 64
        assert digest(text) == value
        assert digest(text + "x") != value


def test_texts_stored_at_different_widths_have_different_digests() -> None:
    """CPython hashes a string's stored bytes: "ab" (one byte a character) and "\u6261" (two)
    store the same two bytes (little-endian), so their hash() is equal; their digests are not."""
    assert digest("ab") != digest("\u6261")
    assert digest("a\x01") != digest("\u0161")
