"""Where one kind of turn spends its time, part by part: the real app in this process over
loopback HTTP (as bench.profile_turn), with a clock around the functions a turn passes
through. Each part's time includes the parts it calls; a part a turn does not reach is left
out. Cheaper than a sampling profile and steadier on a noisy machine, but it only sees the
parts named here.

Usage: python -m bench.turn_parts [--scenario "licence list"] [--turns 1000] [--db URL]"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.profile_turn import profile
from bench.turns import SCENARIOS
from bot.eventloop import run

# module:qualified name, outermost first.
PARTS = (
    "bot.adapter:BeheerAdapter.process",
    "bot.teams_bot:TeamsBot.on_turn",
    "services.school.service:SchoolService.resolve_actor",
    "bot.storage:load_states",
    "services.pincodes.shown:ShownCodesStore.in_conversation",
    "dialogs.runner:run_dialog",
    "services.licences.links:GroupLinks.list_group_licences",
    "services.licences.links:GroupLinks.resolve_link_shortcut",
    "services.school.service:SchoolService.search_pupils",
    "services.pincodes.service:PincodeService.pincode_group",
    "services.shared.context:ServiceContext.coordinated_school",
    "services.shared.context:ServiceContext.group_row_of_school",
    "services.shared.queries:group_names_of",
    "services.shared.licences:licence_list",
    "services.shared.licences:read_licences",
    "services.shared.licences:LicenceRows.dtos",
    "services.shared.paging:fetch_page",
    "cards.licences:licences_card",
    "cards.pincodes:pincode_group_card",
    "dialogs.context:deliver",
    "bot.outgoing:CardSizeGuard._check",
    "bot.storage:_LoadedOncePerTurn.save_changes",
    "services.state_store:StateStore.write",
    "bot.adapter:serialize_reply",
)


def _clock(spent: Counter, calls: Counter, name: str, function):
    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                calls[name] += 1
    else:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                calls[name] += 1
    return timed


def clock_parts(spent: Counter, calls: Counter) -> None:
    """Put a clock around every part, where it is defined and where a module imported it."""
    import bot.app  # noqa: F401  (every module of the app imported first)

    for part in PARTS:
        module_name, qualname = part.split(":")
        owner = importlib.import_module(module_name)
        *path, attribute = qualname.split(".")
        for name in path:
            owner = getattr(owner, name)
        original = getattr(owner, attribute)
        is_static = isinstance(inspect.getattr_static(owner, attribute), staticmethod)
        timed = _clock(spent, calls, qualname, original)
        setattr(owner, attribute, staticmethod(timed) if is_static else timed)
        if not path:  # a function: also under the names other modules imported it by
            for module in list(sys.modules.values()):
                if module is not None and getattr(module, attribute, None) is original:
                    setattr(module, attribute, timed)


async def main(args: argparse.Namespace) -> None:
    spent: Counter = Counter()
    calls: Counter = Counter()
    clock_parts(spent, calls)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if not url:
            from services.db import create_engine, create_sessions, upgrade
            from services.demo import load_demo

            url = f"sqlite+aiosqlite:///{Path(tmp) / 'parts.db'}"
            await upgrade(url)
            engine = create_engine(url)
            await load_demo(create_sessions(engine))
            await engine.dispose()
        await profile(url, args.scenario, args.turns, False)
    # Every turn is counted, the warm-up turns too (the same kind, but one school choice).
    turns = calls["TeamsBot.on_turn"]
    print("\n| part | ms per turn | calls per turn |\n|---|--:|--:|")
    for part in PARTS:
        name = part.split(":")[1]
        if calls[name]:
            print(f"| {name} | {spent[name] / turns * 1000:.3f} | {calls[name] / turns:.1f} |")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="licence list", choices=sorted(SCENARIOS))
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--db")
    run(main(parser.parse_args()))
