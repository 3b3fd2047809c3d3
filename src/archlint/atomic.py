"""Atomic file replacement, shared by every writer: the facts cache, the baseline and
``--fix``. Readers see the old content or the new, never a mix, and a failed write
leaves the original untouched."""

from __future__ import annotations

import os
from pathlib import Path


def atomic_write(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, flushed to
    disk (unless ``durable`` is false), then ``os.replace``. ``mode`` sets the permission
    bits of the result. The cache passes ``durable=False``: readers still see the old
    content or the new, and a cache file torn by a power cut is detected and ignored,
    so it does not wait for the disk (tens of milliseconds for a few megabytes)."""
    import tempfile  # lazy: most runs write nothing (startup time)

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
