"""What the bot's background loops share (the notification sender, the helpdesk mail, the LVS
check, the results sender, the nightly sync and the pincode sweep): each runs its rounds in a
task of its own, which the app's cleanup cancels at shutdown.

On Python 3.11 a cancelled loop can go on, and the shutdown that waits for it then waits for
ever:
- `asyncio.wait_for` returns what it waited for instead of raising when the cancel arrives
  just as that is done (fixed in 3.12), e.g. a wake-up event set at shutdown;
- a round's own clean-up can turn the CancelledError into an ordinary error (a database
  connection cut off in the middle of a statement), which the loop logs and survives.
So a loop asks its task whether it was cancelled (`Task.cancelling`, which such a swallowed
cancel leaves set) before each round and when a round failed, it waits for its wake-up with
`asyncio.timeout`, and `stop` waits a bounded time."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)

STOP_GRACE = 10.0  # seconds a loop gets to finish after its cancel, at shutdown


def go_on() -> None:
    """Raise CancelledError when this task has been cancelled, also when something on the way
    swallowed the cancel or turned it into another error."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def woken_or_after(wake: asyncio.Event, seconds: float) -> None:
    """Wait until `wake` is set or `seconds` have passed; a cancel always goes through."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await wake.wait()


async def stop(task: asyncio.Task | None, what: str, grace: float = STOP_GRACE) -> None:
    """Cancel a background loop and wait for it, `grace` seconds at most: a loop that does
    not end then is left behind with an error in the log rather than holding up the
    shutdown of the whole process."""
    if task is None:
        return
    if not task.done():
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            log.error("%s stopte niet binnen %g s na het afsluiten; niet langer gewacht",
                      what, grace)
            return
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopte met een fout: %r", what, task.exception())
