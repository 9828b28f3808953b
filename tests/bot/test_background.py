"""The background loops end when the app shuts down, also where Python 3.11 loses the cancel on
the way: a wake-up that comes in the same moment (asyncio.wait_for), or a round whose clean-up
turns the cancel into another error. A loop that still does not end holds up the shutdown
`STOP_GRACE` seconds at most."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot import background, hide_codes, sender
from bot.lvs import PeriodicVerifier
from bot.results import ResultsSender
from bot.sender import DrainReport


class Rounds:
    """Stands in for the service a loop calls each round: counts the rounds, and in the
    second may wait until cancelled and then fail with an ordinary error."""

    def __init__(self, result, *, cancel_becomes_error: bool = False) -> None:
        self.result = result
        self.count = 0
        self.cancel_becomes_error = cancel_becomes_error
        self.first = asyncio.Event()
        self.second = asyncio.Event()

    async def round(self, *_args):
        self.count += 1
        self.first.set()
        if self.count == 2:
            self.second.set()
            if self.cancel_becomes_error:
                try:
                    await asyncio.sleep(60)
                except asyncio.CancelledError:
                    raise RuntimeError("verbinding verbroken midden in een opdracht") from None
        return self.result


class Fake:
    def __init__(self, **methods) -> None:
        self.__dict__.update(methods)


def notify_sender(rounds: Rounds, wake: asyncio.Event):
    return sender._run(Fake(drain_once=rounds.round), wake, 15.0)


def pincode_sweep(rounds: Rounds, wake: asyncio.Event):
    return hide_codes._run(Fake(hide_due_once=rounds.round), 0.01)


def results_sender(rounds: Rounds, wake: asyncio.Event):
    results = ResultsSender(Fake(send_pending=rounds.round), "02:00")
    results.wake = wake
    return results._run()


def lvs_check(rounds: Rounds, wake: asyncio.Event):
    return PeriodicVerifier(Fake(verify_pending=rounds.round), 0.01)._run()


LOOPS = {
    "meldingen": (notify_sender, DrainReport()),
    "pincodes verbergen": (pincode_sweep, 0),
    "resultaten": (results_sender, Fake(couplings=[])),
    "LVS-controle": (lvs_check, Fake(checked=0)),
}


async def ended(task: asyncio.Task) -> bool:
    done, _ = await asyncio.wait({task}, timeout=2)
    return bool(done) and task.cancelled()


@pytest.mark.parametrize("passes", range(5))
@pytest.mark.parametrize("loop", ["meldingen", "resultaten"])
async def test_a_cancel_that_comes_with_a_wake_up_ends_the_loop(loop, passes):
    make, result = LOOPS[loop]
    rounds, wake = Rounds(result), asyncio.Event()
    wake.set()  # the results sender waits first: its first round
    task = asyncio.create_task(make(rounds, wake))
    await asyncio.wait_for(rounds.first.wait(), 2)
    await asyncio.sleep(0.01)  # now waiting for its wake-up
    wake.set()
    for _ in range(passes):  # the wake-up on its way through the event loop
        await asyncio.sleep(0)
    task.cancel()
    assert await ended(task)


@pytest.mark.parametrize("loop", list(LOOPS))
async def test_a_round_that_turns_the_cancel_into_an_error_still_ends_the_loop(loop, caplog):
    make, result = LOOPS[loop]
    rounds, wake = Rounds(result, cancel_becomes_error=True), asyncio.Event()
    wake.set()
    task = asyncio.create_task(make(rounds, wake))
    for _ in range(200):  # on to the second round, which waits
        if rounds.second.is_set():
            break
        wake.set()
        await asyncio.sleep(0.01)
    assert rounds.second.is_set()
    wake.set()  # the notification and results senders would go on at once
    task.cancel()
    assert await ended(task)
    assert rounds.count == 2


async def test_a_loop_that_will_not_end_holds_up_the_shutdown_a_bounded_time(caplog):
    let_go = asyncio.Event()

    async def stubborn() -> None:
        while not let_go.is_set():
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                pass

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR, logger="bot.background"):
        await asyncio.wait_for(background.stop(task, "de proef", grace=0.2), 2)
    assert "de proef stopte niet binnen 0.2 s" in caplog.text
    assert not task.done()
    let_go.set()
    await task


async def test_stop_reports_a_loop_that_ended_with_an_error(caplog):
    async def broken() -> None:
        raise ValueError("kapot")

    task = asyncio.create_task(broken())
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR, logger="bot.background"):
        await background.stop(task, "de proef")
    assert "de proef stopte met een fout" in caplog.text
