"""ARC602: calls that block the event loop inside ``async def`` bodies.

The calls are found by ``engine/collectors/checklist.py`` (resolved through the file's
import aliases); this module only words the finding and its async alternative.
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule
from archlint.rules.catalog.async_io import BLOCKING_CALL_IN_ASYNC

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

    meta = BLOCKING_CALL_IN_ASYNC

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
