"""Every committed cassette against openapi.yaml (openapi-core, via scripts/cassette_contract.py).

A recorded interaction the spec does not allow fails with the cassette, the interaction number
and the field; the last test proves that by contradicting the spec with a recorded answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .script_modules import load_script

contract = load_script("cassette_contract")
recorder = load_script("record_cassettes")

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
CASSETTES = sorted(recorder.CASSETTES.glob("*.yaml"))


@pytest.mark.parametrize("path", CASSETTES, ids=lambda path: path.stem)
def test_cassette_fits_the_spec(path: Path) -> None:
    """Every request and answer of the cassette is one openapi.yaml declares."""
    violations = contract.validate_cassettes(SPEC, [path])
    assert not violations, "\n".join(violation.line() for violation in violations)


def test_a_spec_contradicting_a_recorded_answer_fails_precisely(tmp_path: Path) -> None:
    """`current` made a string: the failure names the cassette, interaction number and field."""
    spec = SPEC.read_text()
    current = spec.index("        current:\n")
    integer = spec.index("type: integer", current)
    assert integer - current < 400, "the `current` property moved; update this test"
    broken = tmp_path / "openapi.yaml"
    broken.write_text(spec[:integer] + "type: string" + spec[integer + len("type: integer") :])

    cassette = recorder.CASSETTES / "crawl-growing.yaml"
    violations = contract.validate_cassettes(broken, [cassette])

    assert violations
    first = violations[0]
    # Interaction 1 is the first poll: {"status": "active", "current": 0, ...}.
    assert (first.cassette, first.interaction, first.field) == (
        "crawl-growing.yaml",
        1,
        "response.body.current",
    )
    assert "is not of type 'string'" in first.message
    assert first.line().startswith("crawl-growing.yaml #1 response.body.current: ")
    assert all(v.field == "response.body.current" for v in violations)
