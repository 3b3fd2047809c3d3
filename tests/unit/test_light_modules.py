"""What keeps the warm path's modules light stays equivalent to what it replaced: the
literal list of facts fields, the hash functions taken around ``hashlib``, the new
home of ``RepoFacts`` (``tests/unit/test_lazy_imports.py`` checks what is not loaded)."""

from __future__ import annotations

import dataclasses
import hashlib

from archlint import _hashing
from archlint.domain.facts import FileFacts
from archlint.domain.finding import make_fingerprint
from archlint.engine.cache import FACT_FIELDS, cache_key, content_hash


def test_fact_fields_are_the_facts_fields_after_the_identity() -> None:
    names = tuple(field.name for field in dataclasses.fields(FileFacts))
    assert names[:3] == ("path", "module", "is_package")
    assert FACT_FIELDS == names[3:]


def test_the_hash_functions_give_hashlibs_digests() -> None:
    for data in (b"", b"archlint", bytes(range(256)) * 65):
        assert _hashing.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
        for size in (8, 16, 64):
            assert _hashing.blake2b(data, digest_size=size).hexdigest() == hashlib.blake2b(data, digest_size=size).hexdigest()
    assert content_hash(b"x = 1\n") == hashlib.blake2b(b"x = 1\n", digest_size=16).hexdigest()
    identity = "ARC101\x00pkg/a.py\x00pkg.a,pkg.b"
    assert make_fingerprint("ARC101", "pkg/a.py", "pkg.a,pkg.b") == hashlib.sha256(identity.encode()).hexdigest()[:16]


def test_the_cache_key_is_stable_within_a_process() -> None:
    assert cache_key() == cache_key() != cache_key("other")
    assert len(cache_key()) == 16


def test_repo_facts_are_still_importable_from_the_checklist_facts() -> None:
    from archlint.domain.checklist_facts import RepoFacts as former
    from archlint.domain.repo_facts import RepoFacts

    assert former is RepoFacts
