"""Metadata and options of the rules in :mod:`archlint.rules.async_io` (BlockingCallInAsync).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from archlint.domain.finding import Severity
from archlint.domain.rule import NoOptions, RuleMeta

BLOCKING_CALL_IN_ASYNC = RuleMeta(
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
