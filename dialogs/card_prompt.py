"""A prompt that waits for one of the expected card actions of the running flow."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs.prompts import ActivityPrompt, PromptOptions, PromptValidatorContext

from cards.actions import KEY_ACTION, KEY_FLOW
from dialogs.context import card_activity


class CardPrompt(ActivityPrompt):
    """Accepts only a submit whose action is expected and whose flow token is this flow's:
    a button of an older card is answered with the retry prompt and changes nothing."""

    ID = "CardPrompt"

    def __init__(self) -> None:
        super().__init__(CardPrompt.ID, CardPrompt._validate)

    @staticmethod
    async def _validate(prompt: PromptValidatorContext) -> bool:
        activity = prompt.recognized.value
        value = activity.value if activity is not None else None
        if not isinstance(value, dict):
            return False
        validations = prompt.options.validations or {}
        return (
            value.get(KEY_ACTION) in validations.get("expect", ())
            and value.get(KEY_FLOW) == validations.get("flow")
        )


def card_options(card: dict, *, expect: tuple[str, ...], flow: str, retry_text: str) -> PromptOptions:
    return PromptOptions(
        prompt=card_activity(card),
        retry_prompt=MessageFactory.text(retry_text),
        validations={"expect": list(expect), "flow": flow},
    )
