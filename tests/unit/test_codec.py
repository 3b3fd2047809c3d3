"""The cache codec round-trips facts exactly, without pickle."""

from __future__ import annotations

import json

import pytest

from archlint.domain.facts import FileFacts
from archlint.engine.codec import CodecError, decode, encode
from archlint.engine.extract import extract


def test_round_trip_through_json() -> None:
    source = b"from __future__ import annotations\nimport os  # archlint: ignore[ARC101] -- why\nfrom . import x\ndef f(a, b=1):\n    import y\nclass C:\n    pass\n"
    facts = extract(source, path="pkg/m.py", module="pkg.m", is_package=False)
    data = json.loads(json.dumps(encode(facts)))
    assert decode(FileFacts, data) == facts


def test_round_trip_of_a_parse_problem() -> None:
    facts = extract(b"def (:", path="bad.py", module="bad", is_package=False)
    assert decode(FileFacts, json.loads(json.dumps(encode(facts)))) == facts


def test_generated_decoders_check_every_inlined_shape() -> None:
    """The generated dataclass decoders reject what the generic ones reject."""
    facts = extract(b"import os\nfrom a import b, c\n", path="m.py", module="m", is_package=False)
    encoded = json.loads(json.dumps(encode(facts)))
    imports = encoded[3]
    variants = [
        [*encoded[:3], [[*imports[1][:1], ["b", 7], *imports[1][2:]]], *encoded[4:]],  # names: str only
        [*encoded[:3], [[*imports[0][:6], ["unhashable"], *imports[0][7:]]], *encoded[4:]],  # enum value
        [*encoded[:5], True, *encoded[6:]],  # lines: an int, never a bool
        [*encoded[:4], "not-null-nor-a-problem", *encoded[5:]],  # optional dataclass
    ]
    for variant in variants:
        with pytest.raises(CodecError):
            decode(FileFacts, variant)
