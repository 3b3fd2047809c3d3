"""Regenerate the documentation that is derived from rule metadata.

    python scripts/generate_docs.py          # write docs/rules.md, docs/checklist.md and the README table
    python scripts/generate_docs.py --check  # exit 1 if either is stale (used by the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

from archlint.reporters.checklist import mapping_markdown
from archlint.reporters.ruledoc import rules_markdown, rules_markdown_table
from archlint.rules import rule_metas

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- section:rules -->"
END = "<!-- /section:rules -->"


def expected() -> dict[Path, str]:
    """Path -> the content it must have."""
    metas = rule_metas()
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    table = (
        f"{START}\n## Rules\n\n"
        "Generated from rule metadata (`archlint rules`, `archlint rule CODE`); "
        "full documentation in [`docs/rules.md`](docs/rules.md).\n\n"
        f"{rules_markdown_table(metas)}{END}"
    )
    return {
        ROOT / "docs" / "rules.md": rules_markdown(metas),
        ROOT / "docs" / "checklist.md": mapping_markdown(metas),
        readme_path: head + table + tail,
    }


def main(argv: list[str]) -> int:
    """Write (or with ``--check``, compare) every generated document."""
    stale = []
    for path, content in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(content, encoding="utf-8")
    if stale and "--check" in argv:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run python scripts/generate_docs.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
