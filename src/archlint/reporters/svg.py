"""``archlint graph --format svg``: the dot rendering piped through Graphviz ``dot``.

The only reporter that runs a program, and only when asked: Graphviz is not a dependency.
Without ``dot`` on ``PATH`` the user gets one clear line (exit 2), before any analysis.
"""

from __future__ import annotations

import shutil
import subprocess

from archlint.exceptions import ArchlintError

INSTALL_HINT = (
    "install Graphviz (apt-get install graphviz, brew install graphviz, choco install graphviz) "
    "or use --format dot / --format mermaid"
)
TIMEOUT_S = 300


class GraphvizError(ArchlintError):
    """Graphviz ``dot`` is missing or failed."""


def find_dot() -> str:
    """The path of Graphviz ``dot`` on ``PATH``; :class:`GraphvizError` when absent."""
    found = shutil.which("dot")
    if found is None:
        raise GraphvizError(f"--format svg needs Graphviz `dot` on PATH, and it was not found: {INSTALL_HINT}")
    return found


def to_svg(dot_source: str, dot: str) -> str:
    """Run ``dot -Tsvg`` on ``dot_source`` and return the SVG text."""
    try:
        result = subprocess.run(
            [dot, "-Tsvg"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        edges = dot_source.count(" -> ")
        raise GraphvizError(
            f"Graphviz `dot` did not finish within {TIMEOUT_S:g} s on a graph of {edges} edges: "
            "draw the package graph instead (--level package) or use --format mermaid / --format dot"
        ) from None
    except OSError as exc:
        raise GraphvizError(f"cannot run Graphviz `dot` ({dot}): {exc}") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        reason = detail[0] if detail else "no message"
        raise GraphvizError(f"Graphviz `dot` failed with exit code {result.returncode}: {reason}")
    return result.stdout.decode("utf-8", errors="replace")
