"""ARC602: calls that block the event loop inside ``async def`` bodies.

The calls are found by ``engine/collectors/checklist.py`` (resolved through the file's
import aliases); this module only words the finding and its async alternative.
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule, RuleMeta

_ALTERNATIVES: dict[str, str] = {
    "time.sleep": "await asyncio.sleep(...)",
    "requests": "an async HTTP client such as httpx.AsyncClient (or aiohttp)",
    "httpx": "httpx.AsyncClient",
    "urllib.request.urlopen": "an async HTTP client such as httpx.AsyncClient (or aiohttp)",
    "subprocess": "asyncio.create_subprocess_exec(...) and await proc.communicate()",
    "os.system": "asyncio.create_subprocess_shell(...)",
    "socket": "asyncio.open_connection(...) or loop.getaddrinfo(...)",
    "open": "anyio.open_file / aiofiles.open, or await asyncio.to_thread(...)",
    "io.open": "anyio.open_file / aiofiles.open, or await asyncio.to_thread(...)",
    "pathlib.Path": "anyio.Path, or await asyncio.to_thread(path.read_text)",
}


def alternative(target: str) -> str:
    """The async replacement suggested for the blocking API ``target``."""
    for prefix in sorted(_ALTERNATIVES, key=len, reverse=True):
        if target == prefix or target.startswith(prefix + "."):
            return _ALTERNATIVES[prefix]
    return "an async equivalent, or await asyncio.to_thread(...)"


class BlockingCallInAsync(Rule):
    """A blocking call inside a coroutine."""

    meta = RuleMeta(
        code="ARC602",
        reads=frozenset({"checklist", "error"}),
        per_file=True,
        name="blocking-call-in-async",
        severity=Severity.WARNING,
        checklist=("Async I/O where appropriate (asyncio, httpx)",),
        summary="A call that blocks the event loop runs inside an `async def`.",
        what=(
            "Reports calls in the own body of an `async def` (not in functions or lambdas nested "
            "in it) that block the thread: `time.sleep`, `requests.*` (and `requests.Session` "
            "methods), the synchronous `httpx.*` functions and `httpx.Client` methods, "
            "`urllib.request.urlopen`, `subprocess.run/call/check_call/check_output`, "
            "`Popen.wait/communicate`, `os.system`, blocking `socket` functions and socket "
            "methods, the builtin `open()` and `pathlib.Path` read/write methods. Names are "
            "resolved through the file's imports, so `from time import sleep as nap; nap(1)` is "
            "found and a local function called `sleep` is not. Objects are followed through "
            "local names assigned (or bound by `with ... as`) from `subprocess.Popen(...)`, "
            "`socket.socket(...)`, `Path(...)`, `requests.Session()` or `httpx.Client()`."
        ),
        why=(
            "An event loop runs every coroutine on one thread: one blocking call stalls all "
            "requests the process is serving for its whole duration, so latency grows with "
            "load and timeouts fire elsewhere. The checklist asks for async I/O where "
            "appropriate; a synchronous call inside a coroutine defeats it silently."
        ),
        example=(
            "import time\nimport requests\n\nasync def refresh():\n"
            "    time.sleep(1)\n    return requests.get(URL).json()"
        ),
        fix=(
            "Use the async API: `await asyncio.sleep(1)`, `httpx.AsyncClient`, "
            "`asyncio.create_subprocess_exec`, `anyio.open_file`/`aiofiles`; or push the "
            "blocking call to a worker thread with `await asyncio.to_thread(func, ...)`."
        ),
        options=NoOptions,
    )

    def check(self, project: Project, options: NoOptions) -> Iterator[Finding]:
        """One finding per blocking call."""
        for facts in project.files:
            seen: dict[str, int] = {}
            for call in facts.checklist.blocking_calls:
                key = f"{facts.module}:{call.function}:{call.target}:{call.text}"
                seen[key] = seen.get(key, 0) + 1
                yield self.finding(
                    path=facts.path,
                    line=call.line,
                    column=call.column,
                    message=(
                        f"blocking call `{call.text}()` ({call.target}) in async function "
                        f"{call.function}(); use {alternative(call.target)}"
                    ),
                    identity=f"{key}:{seen[key]}",
                    extra={"function": call.function, "call": call.target, "alternative": alternative(call.target)},
                )
