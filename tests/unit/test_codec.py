"""The cache codec round-trips facts exactly, without pickle."""

from __future__ import annotations

import json

from archlint.domain.facts import FileFacts
from archlint.engine.codec import decode, encode
from archlint.engine.extract import extract


def test_round_trip_through_json() -> None:
    source = b"from __future__ import annotations\nimport os  # archlint: ignore[ARC101] -- why\nfrom . import x\ndef f(a, b=1):\n    import y\nclass C:\n    pass\n"
    facts = extract(source, path="pkg/m.py", module="pkg.m", is_package=False)
    data = json.loads(json.dumps(encode(facts)))
    assert decode(FileFacts, data) == facts


def test_round_trip_of_a_parse_problem() -> None:
    facts = extract(b"def (:", path="bad.py", module="bad", is_package=False)
    assert decode(FileFacts, json.loads(json.dumps(encode(facts)))) == facts
