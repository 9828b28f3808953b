"""Where card actions are declared: next to the view that handles them.

A task module marks its views with `navigation` (a card button that may arrive at any time) or
`typed_only` (reached by typed words or a first contact, never a reason to leave a running
flow), marks Action.Execute handlers with `executes`, and registers itself with `@task`. The
main dialog finds every task module in this package, so adding a task touches no table but the
menu's order. Step actions (answers to a waiting card) need no declaration: a flow names them
when it prompts (FlowDialog.prompt_card)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from botbuilder.dialogs import Dialog

_ROUTES = "_beheerbot_routes"
_EXECUTES = "_beheerbot_executes"
_AHEAD = "_beheerbot_reads_ahead"


@dataclass(frozen=True)
class Route:
    action: str
    navigation: bool  # leaves a running flow; a step answer does not
    school_optional: bool  # can be shown before a school is chosen
    typed: type | None  # the typed request (services.intents) this view also serves


View = Callable[..., Awaitable[object]]


def navigation(action: str, *, school_optional: bool = False, typed: type | None = None):
    """Mark a view as the handler of a card button's action (and of a typed request)."""
    return _mark(Route(action, True, school_optional, typed))


def typed_only(action: str, typed: type | None = None, *, school_optional: bool = False):
    """Mark a view that typed words (or a first contact) reach; on a card it is no navigation."""
    return _mark(Route(action, False, school_optional, typed))


def executes(*verbs: str):
    """Mark the handler of Action.Execute verbs: it returns the card that replaces the one the
    button was on."""
    def mark(function):
        setattr(function, _EXECUTES, (*getattr(function, _EXECUTES, ()), *verbs))
        return function
    return mark


def reads_ahead(*actions: str):
    """Mark what the view of these actions reads first: a method (actor, school_id, data) ->
    the services' `…_reads` of the use case the view calls. The bot reads them with a turn's
    opening reads when it can guess the actor and school (bot.foresight), so that the view's
    first read costs no round trip of its own."""
    def mark(function):
        setattr(function, _AHEAD, (*getattr(function, _AHEAD, ()), *actions))
        return function
    return mark


def _mark(route: Route):
    def mark(function):
        setattr(function, _ROUTES, (*getattr(function, _ROUTES, ()), route))
        return function
    return mark


class Task:
    """One task of the bot: the flows it adds to the main dialog and its marked views."""

    def __init__(self, services) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        return []

    async def before_turn(self, context) -> None:
        """Called for every turn of a coördinator before it is handled (e.g. to tidy up what
        an earlier turn left in the chat)."""

    @classmethod
    def _marked(cls, mark: str) -> list[tuple[object, str]]:
        """(what was declared, method name) for every method carrying the mark."""
        return [(declared, name) for name, function in inspect.getmembers(cls, inspect.isfunction)
                for declared in getattr(function, mark, ())]

    @classmethod
    def declared_routes(cls) -> list[Route]:
        return [route for route, _ in cls._marked(_ROUTES)]

    def routes(self) -> list[tuple[Route, View]]:
        return [(route, getattr(self, name)) for route, name in self._marked(_ROUTES)]

    def executors(self) -> list[tuple[str, View]]:
        return [(verb, getattr(self, name)) for verb, name in self._marked(_EXECUTES)]

    def reads_ahead(self) -> list[tuple[str, Callable[..., list]]]:
        return [(action, getattr(self, name)) for action, name in self._marked(_AHEAD)]


TASKS: list[type[Task]] = []


def task(cls: type[Task]) -> type[Task]:
    """Register a task class (when its module is imported)."""
    if cls not in TASKS:
        TASKS.append(cls)
    return cls


def load_tasks() -> list[type[Task]]:
    """Import every module of the dialogs package, so each registers its tasks."""
    package = importlib.import_module("dialogs")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"dialogs.{module.name}")
    return list(TASKS)


def navigation_actions() -> frozenset[str]:
    """Every action declared as navigation by a task (the buttons that leave a running flow)."""
    return frozenset(route.action for cls in load_tasks() for route in cls.declared_routes()
                     if route.navigation)
