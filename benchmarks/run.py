"""Performance benchmark: archlint against the parsing floor, as ratios.

The floor is the cost of reading every file and running the stdlib ``ast.parse`` on it
in one process. Every figure is the median of ``--runs`` runs (default 5) on this machine;
ratios are what we track, because absolute times depend on the machine.

    python benchmarks/run.py                     # real projects + synthetic scaling (slow)
    python benchmarks/run.py --only django       # one real project
    python benchmarks/run.py --smoke             # CI: a small synthetic project, one run each
    python benchmarks/run.py --work /tmp/bench --markdown   # reuse downloads; print the README table

To compare with another version of archlint, put its ``src`` first on ``PYTHONPATH``: the
archlint runs are subprocesses of this interpreter and inherit the environment.

Real projects are fetched with ``pip download --no-deps`` of pinned wheels into a
temporary folder (never committed). Peak memory is the largest sum of the resident set
sizes of archlint and its worker processes, sampled from /proc every 5 ms (Linux), in
cold runs of their own (up to three): the sampling thread would slow a timed run.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

REAL = {
    "django": "django==5.2",
    "sqlalchemy": "sqlalchemy==2.0.36",
    "sympy": "sympy==1.13.3",
    "pandas": "pandas==2.2.3",
}
SCALING = (1000, 5000, 10000, 20000)


def floor(root: Path) -> float:
    """Seconds to read and ``ast.parse`` every Python file under ``root`` in this process."""
    files = sorted(root.rglob("*.py"))
    started = time.perf_counter()
    for file in files:
        try:
            ast.parse(file.read_bytes())
        except (SyntaxError, ValueError):
            pass
    return time.perf_counter() - started


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(item) for item in handle.read().split()]
    except OSError:
        return []


def timed(command: Sequence[str], cwd: Path | None = None) -> float:
    """Wall seconds of one run of ``command``, with nothing else running here."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - started
    _check(completed.returncode, command)
    return elapsed


def peak_rss(command: Sequence[str], cwd: Path | None = None) -> int:
    """Peak RSS in MB of the process tree of one run of ``command``: the largest sum of
    the resident sets of the process and its children, sampled every 5 ms. A run of its
    own: the sampling thread takes a share of the cores, so a timed run never carries it
    (on two cores it added about 2% to Django's cold time)."""
    peak = 0
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            tree = [process.pid, *_children(process.pid)]
            peak = max(peak, sum(_rss_kb(pid) for pid in tree))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    sampler.join()
    _check(process.returncode, command)
    return peak // 1024


def _check(code: int, command: Sequence[str]) -> None:
    if code not in (0, 1):
        raise SystemExit(f"command failed ({code}): {' '.join(command)}")


def median(fn: Callable[[], float], runs: int) -> float:
    """Median of ``runs`` calls."""
    return statistics.median(fn() for _ in range(runs))


def archlint_cmd(target: Path, *extra: str) -> list[str]:
    """The archlint command line used for every measurement, run with ``cwd=target``
    (see :func:`run_archlint`)."""
    return [sys.executable, "-m", "archlint", ".", "-q", "--exit-zero", *extra]


def run_archlint(target: Path, *extra: str) -> float:
    """One timed archlint run from inside ``target``, as a user runs it: the project's
    own configuration (if any) applies, not that of the folder the benchmark runs in."""
    return timed(archlint_cmd(target, *extra), cwd=target)


ROWS: list[tuple[str, dict[str, float]]] = []
"""Every measured project, in order, for the Markdown table."""


def measure(name: str, target: Path, runs: int) -> dict[str, float]:
    """Floor, cold, warm and one-file-changed figures for one project."""
    cache = Path(tempfile.mkdtemp(prefix="archlint-bench-cache-"))
    try:
        base = median(lambda: floor(target), runs)
        cold = median(lambda: run_archlint(target, "--no-cache"), runs)
        peak = max(peak_rss(archlint_cmd(target, "--no-cache"), cwd=target) for _ in range(min(runs, 3)))
        run_archlint(target, "--cache-dir", str(cache))
        warm = median(lambda: run_archlint(target, "--cache-dir", str(cache)), runs)
        victim = sorted(target.rglob("*.py"))[len(list(target.rglob("*.py"))) // 2]
        original = victim.read_bytes()
        changed_times = []
        try:
            for index in range(runs):
                victim.write_bytes(original + f"\n# benchmark edit {index}\n".encode())
                changed_times.append(run_archlint(target, "--cache-dir", str(cache)))
        finally:
            victim.write_bytes(original)
        changed = statistics.median(changed_times)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    modules = sum(1 for _ in target.rglob("*.py"))
    row = {"floor_s": base, "cold_s": cold, "warm_s": warm, "changed_s": changed, "peak_mb": float(peak), "files": modules}
    ROWS.append((name, row))
    print(
        f"{name:<14} floor {base:6.2f}s  cold {cold:6.2f}s ({cold / base:4.2f}x)  "
        f"warm {warm:6.2f}s ({warm / base:4.2f}x)  one-changed {changed:6.2f}s ({changed / base:4.2f}x)  "
        f"peak {peak} MB  cold per 1k files {cold / max(modules, 1) * 1000:5.2f}s",
        flush=True,
    )
    return row


def markdown(startup_row: tuple[float, float] | None) -> str:
    """The figures as the Markdown table of the README's performance section."""
    lines = [
        "| project | files | floor | cold | warm | one file changed | peak RSS | cold s per 1k files |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in ROWS:
        base = row["floor_s"]
        lines.append(
            f"| {name} | {int(row['files'])} | {base:.2f} s | {row['cold_s'] / base:.2f}x | {row['warm_s'] / base:.2f}x "
            f"| {row['changed_s'] / base:.2f}x | {int(row['peak_mb'])} MB | {row['cold_s'] / max(row['files'], 1) * 1000:.2f} |"
        )
    if startup_row is not None:
        tool, bare = startup_row
        lines.append("")
        lines.append(f"20-file project: {tool:.2f} s, `python -c pass` {bare:.2f} s: +{tool - bare:.2f} s.")
    return "\n".join(lines)


def fetch(spec: str, into: Path) -> Path:
    """Download a pinned wheel with pip and unpack it; return the folder."""
    name = spec.split("==")[0]
    target = into / name
    if target.exists():
        return target
    download = into / "dl"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(download), spec],
        check=True,
    )
    wheel = next(p for p in sorted(download.iterdir()) if p.name.lower().startswith(name.replace("-", "_")) or p.name.lower().startswith(name))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def startup(runs: int, work: Path) -> tuple[float, float]:
    """A 20-file project against ``python -c pass``: (archlint seconds, bare seconds)."""
    project = work / "tiny"
    project.mkdir(exist_ok=True)
    for index in range(20):
        (project / f"m{index}.py").write_text(f"import os\nfrom m{(index + 1) % 20} import x\nx = {index}\n")
    bare = median(lambda: timed([sys.executable, "-c", "pass"]), runs)
    tool = median(lambda: run_archlint(project, "--no-cache"), runs)
    print(f"20-file project: archlint {tool:.3f}s, python -c pass {bare:.3f}s, difference {tool - bare:.3f}s", flush=True)
    return tool, bare


def synthetic(modules: int, work: Path) -> Path:
    """A deterministic synthetic project of ``modules`` modules (benchmarks/generate.py)."""
    target = work / f"synthetic-{modules}"
    if not target.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(target), "--modules", str(modules), "--imports", str(modules * 10)],
            check=True,
        )
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], help="real project(s) or 'synthetic' or 'startup'")
    parser.add_argument("--smoke", action="store_true", help="quick check that the benchmark works (CI)")
    parser.add_argument("--work", type=Path, help="folder for downloads and generated projects (default: a temp dir)")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as a Markdown table")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SCALING), help="synthetic sizes (modules)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="archlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, work)
    finally:
        if args.work is None:  # our own temporary folder: downloads and generated projects go
            shutil.rmtree(work, ignore_errors=True)


def bytecode() -> None:
    """Compile archlint and click to bytecode, as ``pip install`` does, before timing:
    with ``PYTHONDONTWRITEBYTECODE`` set (or a read-only checkout) every run would
    otherwise compile about a hundred modules again."""
    probe = "import archlint, click, os; print(os.path.dirname(archlint.__file__)); print(os.path.dirname(click.__file__))"
    folders = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True, env=env, stdout=subprocess.DEVNULL)
    print(f"bytecode compiled for: {', '.join(folders)}", flush=True)


def _run(args: argparse.Namespace, work: Path) -> int:
    """Every measurement ``args`` asks for, with downloads and projects under ``work``."""
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {1 if args.smoke else args.runs} runs", flush=True)
    bytecode()
    if args.smoke:
        measure("synthetic-200", synthetic(200, work), 1)
        startup_row = startup(1, work)
        if args.markdown:
            print(markdown(startup_row))
        return 0
    wanted = set(args.only) or {*REAL, "synthetic", "startup"}
    for name, spec in REAL.items():
        if name in wanted:
            measure(name, fetch(spec, work), args.runs)
    if "synthetic" in wanted:
        for size in args.sizes:
            measure(f"synthetic-{size}", synthetic(size, work), max(1, args.runs // 2))
    startup_row = startup(args.runs, work) if "startup" in wanted else None
    if args.markdown:
        print(markdown(startup_row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
