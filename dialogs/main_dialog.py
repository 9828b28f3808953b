"""The root dialog: reads what the user asked (a card button or typed words) and hands it to
the view that declared it (dialogs.registry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import ActivityTypes

from cards import actions as A
from cards import common
from dialogs.context import actor_of, school_id_in, send_card, submitted, texts_of
from dialogs.general_task import WELCOME
from dialogs.registry import Route, View, load_tasks, navigation_actions
from services import intents
from services.actor import Actor, SchoolRef
from services.driver_rows import Read
from services.errors import DomainError
from services.registry import Services

# turn_state: the turn's Request (read once), and the school it was about, once decided.
REQUEST_KEY = "beheerbot.request"
SCHOOL_KEY = "beheerbot.school_id"


@dataclass(frozen=True)
class Request:
    action: str
    data: dict


class MainDialog(ComponentDialog):
    ID = "MainDialog"

    def __init__(self, services: Services, profile: StatePropertyAccessor) -> None:
        super().__init__(MainDialog.ID)
        self.services = services
        self.profile = profile
        self._routes: dict[str, tuple[Route, View]] = {}
        self._typed: dict[type, str] = {}
        self._executors: dict[str, View] = {}
        self._ahead: dict[str, Callable[..., list[Read]]] = {}
        self._tasks = [task_class(services) for task_class in load_tasks()]
        for task in self._tasks:
            self._add_task(task)
        self.navigation = navigation_actions()
        self.add_dialog(WaterfallDialog("route", [self.route_step]))
        self.initial_dialog_id = "route"

    def _add_task(self, task) -> None:
        for dialog in task.dialogs():
            self.add_dialog(dialog)
        for route, view in task.routes():
            if route.action in self._routes:
                raise RuntimeError(f"two views declare the action {route.action!r}")
            self._routes[route.action] = (route, view)
            if route.typed is not None:
                self._typed[route.typed] = route.action
        for verb, handler in task.executors():
            self._executors[verb] = handler
        for action, reads in task.reads_ahead():
            self._ahead[action] = reads

    # -- what this turn asks for -------------------------------------------------------------------
    def read_request(self, context: TurnContext) -> Request:
        """A submit's action, typed words (as the action that serves them), or a first contact
        (read once per turn)."""
        request = context.turn_state.get(REQUEST_KEY)
        if request is None:
            request = context.turn_state[REQUEST_KEY] = self._read_request(context)
        return request

    def _read_request(self, context: TurnContext) -> Request:
        activity = context.activity
        value = submitted(context)
        if activity.type != ActivityTypes.message and not value:
            return Request(WELCOME, {})
        if value:
            action = value.get(A.KEY_ACTION)
            return Request(action if isinstance(action, str) else "", value)
        typed = intents.parse(activity.text or "")
        return Request(self._typed[type(typed)], asdict(typed))

    def reads_ahead(self, context: TurnContext, actor: Actor, school_id: int) -> list[Read]:
        """What the view this turn asks for reads first, if `actor` asks it at the school the
        request names, else at `school_id`: a guess (bot.foresight) made before the turn has
        read its actor and state, so that the view's first read is made with those. A wrong
        guess is read for nothing; its rows are never used (services.driver_rows.rows_ahead).
        A step answer reads what its waiting flow reads: nothing is guessed."""
        if not self.is_interruption(context):
            return []
        request = self.read_request(context)
        reads = self._ahead.get(request.action)
        if reads is None:
            return []
        named = request.data.get(A.KEY_SCHOOL)
        if isinstance(named, int) and not isinstance(named, bool):
            school_id = named
        return reads(actor, school_id, request.data)

    def is_interruption(self, context: TurnContext) -> bool:
        """Typed words and navigation buttons leave a running flow; step answers do not."""
        activity = context.activity
        value = submitted(context)
        if activity.type != ActivityTypes.message and not value:
            return True
        if value:
            return value.get(A.KEY_ACTION) in self.navigation
        return bool((activity.text or "").strip())

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        if self.is_interruption(inner_dc.context):
            await inner_dc.cancel_all_dialogs()
            return await inner_dc.begin_dialog(self.initial_dialog_id)
        return await super().on_continue_dialog(inner_dc)

    async def route_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        request = self.read_request(step.context)
        t = texts_of(step.context)
        found = self._routes.get(request.action)
        school = None
        try:
            school = await self._school(step, request)
            if found is None:
                # A step answer with no flow waiting for it: an old card, a double click.
                await send_card(step.context, common.stale_card(t, school.id if school else None))
                return await step.end_dialog()
            route, view = found
            if school is None and not route.school_optional:
                # The picker's buttons carry a navigation request on; anything else starts over.
                then = {**request.data, A.KEY_ACTION: request.action} if route.navigation else {}
                _, pick_school = self._routes[A.SCHOOL_PICK]
                await pick_school(step, None, then)
                return await step.end_dialog()
            result = await view(step, school, request.data)
        except DomainError as error:
            await send_card(step.context, common.error_card(
                t, error.code, error.params, school_id=school.id if school else None))
            return await step.end_dialog()
        if isinstance(result, DialogTurnResult):
            return result
        return await step.end_dialog()

    async def before_turn(self, context: TurnContext) -> None:
        """Every task's look at a coördinator's turn before it is handled."""
        for task in self._tasks:
            await task.before_turn(context)

    def executes(self, verb: object) -> bool:
        """Whether a task handles this Action.Execute verb itself (else it answers a flow)."""
        return isinstance(verb, str) and verb in self._executors

    async def execute(self, context: TurnContext, verb: object, data: object) -> dict:
        """Action.Execute: the card that replaces the one whose button was pressed."""
        data = data if isinstance(data, dict) else {}
        handler = self._executors.get(verb) if isinstance(verb, str) else None
        if handler is None:
            return common.stale_card(texts_of(context), school_id_in(data))
        return await handler(context, verb, data)

    async def _school(self, step: WaterfallStepContext, request: Request) -> SchoolRef | None:
        """The school this request is about: named by the card, else the remembered one."""
        actor = actor_of(step.context)
        profile = await self.profile.get(step.context, dict)
        if request.data.get(A.KEY_SCHOOL) is not None:
            school = await self.services.school.require_school(actor,
                                                               request.data[A.KEY_SCHOOL])
        else:
            known = {s.id: s for s in actor.coordinator_of}
            school = known.get(profile.get("school_id"))
            if school is None and len(known) == 1:
                school = next(iter(known.values()))
        if school is not None:
            step.context.turn_state[SCHOOL_KEY] = school.id
        if school is not None and profile.get("school_id") != school.id:
            profile["school_id"] = school.id
            await self.profile.set(step.context, profile)
        return school
