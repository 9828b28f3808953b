"""Run a root dialog for one turn: continue what is running, else begin it."""

from __future__ import annotations

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.dialogs import Dialog, DialogSet, DialogTurnStatus


async def run_dialog(dialog: Dialog, context: TurnContext, accessor: StatePropertyAccessor) -> None:
    dialog_set = DialogSet(accessor)
    dialog_set.add(dialog)
    dialog_context = await dialog_set.create_context(context)
    result = await dialog_context.continue_dialog()
    if result.status == DialogTurnStatus.Empty:
        await dialog_context.begin_dialog(dialog.id)
