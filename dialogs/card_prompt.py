"""A prompt that waits for one of the expected card actions of the running flow."""

from __future__ import annotations

import secrets

from botbuilder.core import MessageFactory
from botbuilder.dialogs.prompts import ActivityPrompt, PromptOptions, PromptValidatorContext

from cards.actions import KEY_ACTION, KEY_FLOW
from dialogs.context import card_activity, claim_step, deliver, submitted, texts_of


class CardPrompt(ActivityPrompt):
    """Accepts only a submit whose action is expected and whose flow token is this flow's:
    a button of an older card is answered with the retry prompt and changes nothing.

    An accepted answer is claimed first (flow token + this prompt's own id, kept in the dialog
    state): of two concurrent clicks on one button only one goes on to the step that changes
    something; the other is told it was already done."""

    ID = "CardPrompt"

    def __init__(self) -> None:
        super().__init__(CardPrompt.ID, CardPrompt._validate)

    @staticmethod
    async def _validate(prompt: PromptValidatorContext) -> bool:
        value = submitted(prompt.context)
        if not value:
            return False
        validations = prompt.options.validations or {}
        if (value.get(KEY_ACTION) not in validations.get("expect", ())
                or value.get(KEY_FLOW) != validations.get("flow")):
            return False
        context = prompt.context
        if await claim_step(context, f"{validations.get('flow')}:{validations.get('prompt')}"):
            return True
        await deliver(context, MessageFactory.text(texts_of(context)("step.already_done")))
        return False

    async def on_prompt(self, context, state, options: PromptOptions, is_retry: bool = False):
        """As ActivityPrompt's, through `deliver`: a card asked again from an Action.Execute
        (or with what was wrong) goes in the place of the pressed one."""
        prompt = options.retry_prompt if is_retry and options.retry_prompt else options.prompt
        if prompt is not None:
            await deliver(context, prompt)


def card_options(card: dict, *, expect: tuple[str, ...], flow: str, retry_text: str) -> PromptOptions:
    return PromptOptions(
        prompt=card_activity(card),
        retry_prompt=MessageFactory.text(retry_text),
        validations={"expect": list(expect), "flow": flow,
                     "prompt": secrets.token_urlsafe(9)},
    )
