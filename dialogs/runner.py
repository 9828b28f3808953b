"""Run a root dialog for one turn: continue what is running, else begin it."""

from __future__ import annotations

from types import SimpleNamespace

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.dialogs import Dialog, DialogSet, DialogTurnStatus
from botbuilder.dialogs.memory import DialogStateManager, DialogStateManagerConfiguration

# The memory scopes and path resolvers of botbuilder's DialogStateManager: objects without
# state of their own, which every turn's first DialogContext otherwise builds anew (a dozen
# objects, the larger part of what a DialogContext costs). One set serves every turn, as a
# DialogManager keeps one.
_MEMORY = DialogStateManagerConfiguration.__name__


def _memory_configuration() -> DialogStateManagerConfiguration:
    """The configuration botbuilder's own first DialogStateManager of a turn builds."""
    dialog_context = SimpleNamespace(context=SimpleNamespace(turn_state={}))
    DialogStateManager(dialog_context)
    return dialog_context.context.turn_state[_MEMORY]


_CONFIGURATION = _memory_configuration()


async def run_dialog(dialog: Dialog, context: TurnContext, accessor: StatePropertyAccessor) -> None:
    context.turn_state.setdefault(_MEMORY, _CONFIGURATION)
    dialog_set = DialogSet(accessor)
    dialog_set.add(dialog)
    dialog_context = await dialog_set.create_context(context)
    result = await dialog_context.continue_dialog()
    if result.status == DialogTurnStatus.Empty:
        await dialog_context.begin_dialog(dialog.id)
