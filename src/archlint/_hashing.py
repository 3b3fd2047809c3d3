"""The hash functions archlint uses (BLAKE2b for the cache, SHA-256 for fingerprints),
taken from CPython's own small modules rather than :mod:`hashlib`.

``import hashlib`` loads OpenSSL's ``_hashlib`` (about 2 ms), yet ``hashlib.blake2b``
is CPython's ``_blake2.blake2b`` anyway, and SHA-256 is the same digest whoever
computes it: a warm run hashes a few memo keys and no file, so it should not pay for
OpenSSL. A Python built without these modules (they are optional) gets hashlib's."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import blake2b, sha256
else:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always has it
        from hashlib import blake2b
    try:
        from _sha256 import sha256  # Python <= 3.11
    except ImportError:  # pragma: no cover - depends on the Python version
        try:
            from _sha2 import sha256  # Python >= 3.12
        except ImportError:
            from hashlib import sha256

__all__ = ["blake2b", "sha256"]
