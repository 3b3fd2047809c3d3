"""Compare archlint ARC401/ARC402 with ``ruff check --select ANN`` on a real project,
restricted to archlint's definition of the public API (issue 6's real-code check).

    python scripts/compare_ruff_ann.py PROJECT_ROOT PACKAGE_DIR [--init-return]

Findings are compared per (file, def line, kind): ruff's ANN001/ANN002/ANN003 map to
ARC401 and ANN2xx to ARC402 (ANN401, ``Any``, is not compared); ruff reports a parameter
on its own position, mapped here to the enclosing ``def``. ruff runs with ``--isolated``.
"""
import ast, collections, json, re, shutil, subprocess, sys
from pathlib import Path
from archlint import api
from archlint.domain.public_api import TypeHintsOptions, public_functions

root = Path(sys.argv[1]).resolve()
target = sys.argv[2] if len(sys.argv) > 2 else "src"
from archlint.config import Settings
report = api.lint([target], cwd=str(root), settings=Settings(root=str(root), options={"type-hints": TypeHintsOptions(init_return="--init-return" in sys.argv)}), use_cache=False, select=["ARC401", "ARC402"])
INIT = "--init-return" in sys.argv
public = {(item.path, item.function.line): item for item in public_functions(report.project, TypeHintsOptions(init_return=INIT))}
arc = {(f.code, f.path, f.line) for f in report.findings}
res = subprocess.run([shutil.which("ruff") or str(Path(sys.executable).with_name("ruff")), "check", "--isolated", "--select", "ANN", "--ignore", "ANN401",
                      "--output-format", "json", "--exit-zero", target], cwd=root, capture_output=True, text=True)
diags = json.loads(res.stdout)
# map each diagnostic to the innermost def whose signature contains it
defs = {}
def spans(path):
    if path not in defs:
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        defs[path] = [(n.lineno, n.body[0].lineno, n) for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return defs[path]
params = collections.defaultdict(set)
ruff = collections.defaultdict(set)  # (kind, path, defline) -> codes
for d in diags:
    path = str(Path(d["filename"]).resolve().relative_to(root))
    row = d["location"]["row"]
    cands = [(s, e) for s, e, n in spans(path) if s <= row <= e]
    if not cands:
        # decorated defs: ast lineno is the def line, ruff reports name/param rows inside the signature
        print("unmapped", d["code"], path, row); continue
    s, _ = max(cands)
    kind = "ARC402" if d["code"].startswith("ANN2") else "ARC401"
    ruff[(kind, path, s)].add(d["code"])
    if kind == "ARC401":
        m = re.search(r"`([^`]+)`", d["message"])
        params[(path, s)].add(("*" if d["code"] == "ANN002" else "**" if d["code"] == "ANN003" else "") + m.group(1).lstrip("*"))
ruff_all = set(ruff)
ruff_public = {k for k in ruff_all if (k[1], k[2]) in public}
both = arc & ruff_public
only_arc = sorted(arc - ruff_public)
only_ruff = sorted(ruff_public - arc)
print(f"{root.name}: public functions {len(public)}; ruff ANN findings (per def+kind) all={len(ruff_all)} public={len(ruff_public)}; archlint={len(arc)}")
print(f"agree={len(both)} only_archlint={len(only_arc)} only_ruff_public={len(only_ruff)}")
for k in only_arc: print("  only archlint", k, public[(k[1], k[2])].function.qualname, public[(k[1], k[2])].missing_params)
for k in only_ruff: print("  only ruff", k, sorted(ruff[k]), public[(k[1], k[2])].function.qualname)
not_public = collections.Counter(c for k in ruff_all - ruff_public for c in ruff[k])
print("ruff findings outside archlint's public API, by code:", dict(sorted(not_public.items())))

same = diff = 0
for k in both:
    if k[0] != "ARC401": continue
    a = set(public[(k[1], k[2])].missing_params); r = params[(k[1], k[2])]
    if a == r: same += 1
    else:
        diff += 1; print("  param lists differ", k, sorted(a), sorted(r))
print(f"ARC401 agreed functions with identical missing-parameter lists: {same}/{same+diff}")
# why ruff findings fall outside the public API
from archlint.domain.public_api import is_public_module, exported_names
exp = exported_names(report.project)
mods = {f.path: f for f in report.project.files}
fdefs = {(f.path, fn.line): fn for f in report.project.files for fn in f.api.functions}
why = collections.Counter()
for k in ruff_all - ruff_public:
    path, line = k[1], k[2]
    f = mods.get(path)
    fn = fdefs.get((path, line))
    if fn is None: why["nested function (inside a function body)"] += 1
    elif not is_public_module(f.module): why["private module, not re-exported"] += 1
    elif fn.qualname.split(".")[0] not in exp.get(f.module, ()): why["private or unlisted top-level name"] += 1
    elif any(p.startswith("_") for p in fn.qualname.split(".")[1:-1]): why["method of a private nested class"] += 1
    elif fn.name.startswith("_"): why["private method"] += 1
    else: why["other (overload implementation / ignored)"] += 1
print("outside-public reasons:", dict(sorted(why.items())))
