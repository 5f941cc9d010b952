"""At most a few requests inside the application at once; the others wait their turn.

A request takes a database connection from the engine's pool (`db.POOL_SIZE`) at its
first query and gives it back only after its last step, and between its steps
(dependencies, the route, the unit of work's commit) it waits for a worker thread. Let
in as many requests as there are connections and, when all connections are taken,
threads block waiting for one while the requests that hold them wait for a thread: the
pool times out. Admitting fewer requests than there are connections keeps every admitted
request able to finish; the rest wait in the event loop, which costs nothing. One Python
process runs one request's Python at a time anyway (the GIL): a few requests in flight
are enough to overlap their database waits.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

REQUESTS_AT_ONCE = 12  # under db.POOL_SIZE, leaving room for background imports


class ConcurrencyLimit:
    """ASGI middleware admitting at most `limit` HTTP requests at a time."""

    def __init__(self, app: ASGIApp, limit: int = REQUESTS_AT_ONCE) -> None:
        self.app = app
        self.limit = limit
        self.loop: asyncio.AbstractEventLoop | None = None
        self.slots = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self._slots():
            await self.app(scope, receive, send)

    def _slots(self) -> asyncio.Semaphore:
        # A semaphore belongs to one event loop; test clients start a loop of their own.
        loop = asyncio.get_running_loop()
        if loop is not self.loop:
            self.loop, self.slots = loop, asyncio.Semaphore(self.limit)
        return self.slots
