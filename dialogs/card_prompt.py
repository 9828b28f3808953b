"""A prompt that waits for one of the expected card actions of the running flow."""

from __future__ import annotations

import secrets

from botbuilder.core import MessageFactory
from botbuilder.dialogs.prompts import ActivityPrompt, PromptOptions, PromptValidatorContext
from botbuilder.schema import InputHints

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
        (or with what was wrong) goes in the place of the pressed one. The activities are
        built here from the card and the retry text in the options (see card_options); options
        saved before that kept whole activities, which are still sent as they are."""
        validations = options.validations or {}
        prompt = options.retry_prompt if is_retry and options.retry_prompt else options.prompt
        if is_retry and validations.get(RETRY_TEXT):
            prompt = MessageFactory.text(validations[RETRY_TEXT],
                                         input_hint=InputHints.expecting_input)
        elif prompt is None and isinstance(validations.get(CARD), dict):
            # Sent once, when the prompt begins: the options stay in the dialog state until
            # the answer comes, and a card is most of their size. An answer that does not
            # fit gets the retry text, never the card again.
            prompt = card_activity(validations.pop(CARD))
            prompt.input_hint = InputHints.expecting_input
        elif prompt is None and validations.get(RETRY_TEXT):
            prompt = MessageFactory.text(validations[RETRY_TEXT],
                                         input_hint=InputHints.expecting_input)
        if prompt is not None:
            await deliver(context, prompt)


CARD = "card"
RETRY_TEXT = "retry_text"


def card_options(card: dict, *, expect: tuple[str, ...], flow: str, retry_text: str) -> PromptOptions:
    """The options of a card prompt. They are kept in the dialog state until the answer
    comes, and encoded and decoded at every turn meanwhile: the card and the retry text go
    in as plain data, not as Activity objects (some forty attributes each, nearly all None,
    with enum tags), which made the state three to four times as large; the card leaves
    them once it is sent (CardPrompt.on_prompt)."""
    return PromptOptions(
        validations={"expect": list(expect), "flow": flow,
                     "prompt": secrets.token_urlsafe(9), CARD: card, RETRY_TEXT: retry_text},
    )
