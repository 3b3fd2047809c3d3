"""``per-file-ignores`` resolve each file's path once, not once per finding: with ten
thousand findings on a few hundred files, one ``resolve()`` per finding cost a third of
a second (found by the benchmark on Django)."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import write_tree

from archlint import lint
from archlint.config import Settings


def test_paths_are_resolved_once_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    functions = "".join(f"def public_{i}(a, b):\n    return a\n\n\n" for i in range(40))
    root = write_tree(tmp_path / "p", {"pkg/__init__.py": "", "pkg/a.py": functions, "pkg/b.py": functions})
    settings = Settings(root=str(root), per_file_ignores=(("pkg/b.py", ("ARC401",)),))
    resolved: list[str] = []
    real = Path.resolve

    def counting(self: Path, *args: object, **kwargs: object) -> Path:
        resolved.append(str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "resolve", counting)
    report = lint(["."], cwd=str(root), settings=settings, use_cache=False, jobs=1, select=["ARC4"])
    codes = [(f.path, f.code) for f in report.findings]
    assert ("pkg/a.py", "ARC401") in codes and ("pkg/b.py", "ARC401") not in codes  # the ignore still works
    assert codes.count(("pkg/a.py", "ARC401")) == 40
    per_finding = [path for path in resolved if path.endswith(("pkg/a.py", "pkg/b.py"))]
    assert len(per_finding) <= 2, f"{len(per_finding)} resolve() calls for the findings' two files"
