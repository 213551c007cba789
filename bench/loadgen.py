"""Open-model load generator (architecture §7): requests leave at a constant arrival rate and
each is timed from its scheduled start, so a slow server shows as latency instead of a lower
offered rate (no coordinated omission). Loopback only; bounded in count and time.

One new connection per request (gunicorn's sync workers close after each response).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Request = tuple[str, bytes]  # (path, JSON body)
MAX_IN_FLIGHT = 2000


@dataclass
class Outcome:
    status: int  # 0 for a connection error or timeout
    latency_s: float
    body: bytes = b""


@dataclass
class RunResult:
    offered_per_s: float
    duration_s: float
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if 200 <= o.status < 300]

    @property
    def errors(self) -> int:
        return len(self.outcomes) - len(self.ok)

    def percentile_ms(self, p: float) -> float:
        values = sorted(o.latency_s for o in self.outcomes)
        if not values:
            return 0.0
        return 1000 * values[min(len(values) - 1, int(p / 100 * len(values)))]

    @property
    def ok_per_s(self) -> float:
        return len(self.ok) / self.duration_s


async def post(host: str, port: int, path: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        writer.write(head + body)
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status = int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0
    return status, raw.partition(b"\r\n\r\n")[2]


async def _one(host: str, port: int, req: Request, scheduled: float, timeout: float) -> Outcome:
    try:
        status, body = await post(host, port, req[0], req[1], timeout)
    except (OSError, TimeoutError, ValueError, IndexError):
        status, body = 0, b""
    return Outcome(status, time.perf_counter() - scheduled, body)


async def _run(
    host: str, port: int, make: Callable[[int], Request], *, rate: float, seconds: float,
    timeout: float,
) -> RunResult:  # fmt: skip
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks: list[Awaitable[Outcome]] = []
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(_one(host, port, make(i), scheduled, timeout)))
    outcomes = list(await asyncio.gather(*tasks))
    return RunResult(rate, seconds, outcomes)


def run(
    host: str, port: int, make: Callable[[int], Request], *, rate: float, seconds: float,
    timeout: float = 5.0,
) -> RunResult:  # fmt: skip
    """Send rate × seconds requests at a constant rate; `make(i)` builds request i."""
    return asyncio.run(_run(host, port, make, rate=rate, seconds=seconds, timeout=timeout))
