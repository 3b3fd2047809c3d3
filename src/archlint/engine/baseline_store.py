"""Reading and writing the baseline file (the I/O around ``domain/baseline.py``)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from archlint.domain.baseline import Baseline, BaselineError
from archlint.domain.finding import Finding
from archlint.atomic import atomic_write
from archlint.exceptions import UsageError


def load_baseline(path: Path) -> Baseline:
    """The baseline stored at ``path``; :class:`UsageError` when missing or invalid."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"baseline file not found: {path} (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read baseline {path}: {exc}") from None
    try:
        return Baseline.parse(text, source=str(path))
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def write_baseline(path: Path, findings: Iterable[Finding]) -> Baseline:
    """Record ``findings`` at ``path`` atomically, keeping the permissions of an existing file."""
    baseline = Baseline.from_findings(findings)
    mode: int | None = None
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    if not path.parent.is_dir():
        raise UsageError(f"cannot write baseline {path}: folder {path.parent} does not exist")
    try:
        atomic_write(path, baseline.render().encode("utf-8"), mode=mode if mode is not None else _default_mode())
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return baseline


def _default_mode() -> int:
    """0o666 minus the process umask, like a file created by ``open``."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
