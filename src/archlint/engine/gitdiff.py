"""Changed-files mode: which files changed since a git revision.

"Changed since REF" means everything that differs between the merge base of REF and
``HEAD`` and the working tree (committed on this branch, staged, unstaged) plus untracked
files that are not ignored. Using the merge base (like ``git diff REF...``) keeps commits
that landed on REF after this branch forked out of the set.

git runs with settings that keep it from running configured programs (no fsmonitor
hook, no external diff, no textconv): the repository may be untrusted."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from archlint.exceptions import UsageError

_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.quotePath=false")


def _git(args: Sequence[str], cwd: Path) -> str:
    import subprocess  # lazy: only --diff runs git (startup time)

    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(
            ["git", *_SAFE, *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise UsageError("--diff needs git, which was not found on PATH") from None
    except OSError as exc:
        raise UsageError(f"--diff: cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise UsageError(f"--diff: git {' '.join(args[:2])} failed: {message[-1] if message else result.returncode}")
    return result.stdout.decode("utf-8", errors="surrogateescape")


def changed_files(ref: str, cwd: Path) -> frozenset[Path]:
    """Absolute, resolved paths of the files changed since ``ref`` (see the module doc)."""
    if ref.startswith("-"):
        raise UsageError(f"--diff: not a git revision: {ref!r}")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except UsageError:
        raise UsageError(f"--diff: unknown git revision {ref!r} (name one that exists: --diff main, --diff HEAD~1)") from None
    try:
        base = _git(["merge-base", ref, "HEAD"], top).strip()
    except UsageError:
        base = ref
    names: list[str] = []
    names += _git(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", base, "--"], top).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z", "--", "."], top).split("\0")
    return frozenset((top / name).resolve() for name in names if name)
