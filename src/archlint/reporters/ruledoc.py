"""Rule documentation rendered from rule metadata: ``archlint rule CODE``,
``archlint rules``, ``docs/rules.md`` and the README rules table share this source."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from archlint.domain.rule import RuleMeta, option_docs


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (tuple, list, frozenset)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _options(meta: RuleMeta) -> list[tuple[str, str, str]]:
    if meta.options is None or not meta.options_table:
        return []
    return [(key, _toml(default), doc) for key, _, default, doc in option_docs(meta.options)]


def rules_table(metas: Sequence[RuleMeta]) -> str:
    """``archlint rules``: one line per rule."""
    width = max((len(meta.name) for meta in metas), default=0)
    rows = []
    for meta in metas:
        default = "" if meta.default_enabled else "  (off by default)"
        rows.append(f"{meta.code}  {meta.name:<{width}}  {meta.severity.value:<7}  {meta.summary}{default}")
    return "\n".join(rows) + "\n"


def rule_text(meta: RuleMeta) -> str:
    """``archlint rule CODE``: the full documentation of one rule as plain text."""
    wrap = lambda text: textwrap.fill(text, width=88)  # noqa: E731
    out = [
        f"{meta.code} {meta.name}",
        "",
        f"Default severity: {meta.severity.value}{'' if meta.default_enabled else ' (off by default: select it explicitly)'}",
        "Checklist items: " + "; ".join(f'"{item}"' for item in meta.checklist),
        "",
        "What it does",
        wrap(meta.what),
        "",
        "Why is this bad?",
        wrap(meta.why),
        "",
        "Example",
        textwrap.indent(meta.example.rstrip(), "    "),
        "",
        "How to fix",
        wrap(meta.fix),
    ]
    if meta.fix_safety:
        out += ["", "Fix safety", wrap(meta.fix_safety)]
    options = _options(meta)
    if options:
        out += ["", f"Options ([tool.archlint.{meta.options_table}])"]
        out += [f"  {key} = {default}\n      {doc}" for key, default, doc in options]
    return "\n".join(out) + "\n"


def rules_markdown(metas: Sequence[RuleMeta]) -> str:
    """``docs/rules.md``: every rule's documentation as Markdown."""
    out = [
        "# Rules",
        "",
        "<!-- Generated from rule metadata by `python scripts/generate_docs.py`; do not edit. -->",
        "",
        rules_markdown_table(metas, link_prefix=""),
    ]
    for meta in metas:
        out += [
            f"## {meta.code} {meta.name}",
            "",
            f"- Default severity: `{meta.severity.value}`" + ("" if meta.default_enabled else " (off by default)"),
            "- Checklist items: " + ", ".join(f'"{item}"' for item in meta.checklist),
            "",
            "### What it does",
            "",
            meta.what,
            "",
            "### Why is this bad?",
            "",
            meta.why,
            "",
            "### Example",
            "",
            "```python",
            meta.example.rstrip(),
            "```",
            "",
            "### How to fix",
            "",
            meta.fix,
            "",
        ]
        if meta.fix_safety:
            out += ["### Fix safety", "", meta.fix_safety, ""]
        options = _options(meta)
        if options:
            out += [f"### Options (`[tool.archlint.{meta.options_table}]`)", "", "| key | default | meaning |", "|---|---|---|"]
            out += [f"| `{key}` | `{default}` | {doc} |" for key, default, doc in options]
            out.append("")
    return "\n".join(out)


def rules_markdown_table(metas: Sequence[RuleMeta], link_prefix: str = "docs/rules.md") -> str:
    """The rules table shared by ``docs/rules.md`` and the README."""
    rows = ["| code | name | severity | checklist items | what it flags |", "|---|---|---|---|---|"]
    for meta in metas:
        severity = meta.severity.value + ("" if meta.default_enabled else " (opt-in)")
        rows.append(
            f"| [{meta.code}]({link_prefix}#{meta.code.lower()}-{meta.name}) | `{meta.name}` | {severity} | "
            + ", ".join(meta.checklist)
            + f" | {meta.summary} |"
        )
    return "\n".join(rows) + "\n"
