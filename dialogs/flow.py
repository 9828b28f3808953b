"""The base of every multi-step flow: a flow token, card prompts, domain errors as cards."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence

from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from cards.actions import CANCEL, KEY_ACTION, KEY_SCHOOL
from cards.common import cancelled_card, error_card
from dialogs.card_prompt import CardPrompt, card_options
from dialogs.context import actor_of, replace_pressed_card, send_card, submitted, texts_of
from services.errors import DomainError

FLOW = "flow"
FORM_ERROR = "form_error"  # in a flow's options: what was wrong with the previous answer


class FlowDialog(ComponentDialog):
    """A ComponentDialog whose steps prompt with cards and end cleanly on a domain error."""

    def __init__(self, dialog_id: str) -> None:
        super().__init__(dialog_id)
        self.add_dialog(CardPrompt())

    def waterfall(self, dialog_id: str,
                  steps: Sequence[Callable[[WaterfallStepContext], Awaitable[DialogTurnResult]]]
                  ) -> WaterfallDialog:
        """A waterfall whose steps simply call the service: a domain error the call raises ends
        the flow with its error card (and changes nothing, as the service rolled it back)."""
        return WaterfallDialog(dialog_id, [self._guarded(step) for step in steps])

    def _guarded(self, step_function):
        async def guarded(step: WaterfallStepContext) -> DialogTurnResult:
            try:
                return await step_function(step)
            except DomainError as error:
                return await self.fail(step, error)

        guarded.__qualname__ = step_function.__qualname__
        return guarded

    @staticmethod
    def begin_flow(step: WaterfallStepContext) -> str:
        """A fresh token for this run: cards of earlier runs cannot answer its prompts."""
        step.values[FLOW] = secrets.token_urlsafe(9)
        return step.values[FLOW]

    @staticmethod
    def answer(step: WaterfallStepContext) -> dict:
        """The submit (or Execute) data that answered the previous prompt."""
        return submitted(step.context) if isinstance(step.result, Activity) else {}

    @staticmethod
    def cancelled(step: WaterfallStepContext) -> bool:
        return FlowDialog.answer(step).get(KEY_ACTION) == CANCEL

    async def prompt_card(
        self, step: WaterfallStepContext, card: dict, *expect: str
    ) -> DialogTurnResult:
        t = texts_of(step.context)
        return await step.prompt(
            CardPrompt.ID,
            card_options(card, expect=(*expect, CANCEL), flow=step.values[FLOW],
                         retry_text=t("step.wrong_card")),
        )

    @staticmethod
    async def ask_again(step: WaterfallStepContext, dialog_id: str, options: dict,
                        error: DomainError | None = None) -> DialogTurnResult:
        """Restart `dialog_id` with `options` (a fresh flow token) and what was wrong (read back
        with `form_error`): its card takes the place of the one the user answered, so no
        older copy stays usable."""
        replace_pressed_card(step.context)
        options = {k: v for k, v in options.items() if k != FORM_ERROR}
        if error is not None:
            options[FORM_ERROR] = {"code": error.code, "params": dict(error.params)}
        return await step.replace_dialog(dialog_id, options)

    @staticmethod
    def form_error(step: WaterfallStepContext) -> str:
        """The text of what was wrong with the last answer ('' the first time)."""
        problem = step.options.get(FORM_ERROR) if isinstance(step.options, dict) else None
        return texts_of(step.context)(problem["code"], **problem["params"]) if problem else ""

    async def finish(self, step: WaterfallStepContext, card: dict) -> DialogTurnResult:
        await send_card(step.context, card)
        return await step.end_dialog()

    @staticmethod
    def school_id(step: WaterfallStepContext) -> int | None:
        """The school the flow was started for (its cards' way back to the menu)."""
        return step.options.get(KEY_SCHOOL) if isinstance(step.options, dict) else None

    async def fail(self, step: WaterfallStepContext, error: DomainError) -> DialogTurnResult:
        return await self.finish(step, error_card(texts_of(step.context), error.code,
                                                  error.params, school_id=self.school_id(step)))

    async def cancel_flow(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await self.finish(step, cancelled_card(texts_of(step.context),
                                                      self.school_id(step)))

    @staticmethod
    def actor(step: WaterfallStepContext):
        return actor_of(step.context)

    @staticmethod
    def texts(step: WaterfallStepContext):
        return texts_of(step.context)
