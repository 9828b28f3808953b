"""A guess at what a coördinator's turn will read, so that it costs one round trip less.

A turn starts by reading who is asking and the conversation's state (one statement on
PostgreSQL), and the view it reaches then reads its own rows (a second one). Which rows the
view reads depends on the actor and their school, which that first statement returns. Here the
bot remembers, per sender, the actor and school of their last turn in this process, and asks
the dialog for the view's first reads as if they were the same: those are read with the
opening reads. The view's block takes them only where its own reads are exactly those
(services.driver_rows.rows_ahead); a wrong guess (another school chosen, roles changed, a
turn answered by another process) was read for nothing and is dropped."""

from __future__ import annotations

from collections import OrderedDict

from botbuilder.core import TurnContext

from dialogs.main_dialog import SCHOOL_KEY, MainDialog
from services.actor import Actor, Identity
from services.driver_rows import Read

# Senders remembered per process: about 500 bytes each (5 MB at most).
MAX_SENDERS = 10_000


class Foresight:
    def __init__(self, dialog: MainDialog, size: int = MAX_SENDERS) -> None:
        self._dialog = dialog
        self._size = size
        self._last: OrderedDict[tuple[str, str], tuple[Actor, int]] = OrderedDict()

    def reads(self, context: TurnContext, identity: Identity | None) -> list[Read]:
        """The reads the view of this turn is expected to start with; none without a guess."""
        key = _key(identity)
        last = self._last.get(key) if key is not None else None
        if last is None:
            return []
        actor, school_id = last
        return self._dialog.reads_ahead(context, actor, school_id)

    def remember(self, context: TurnContext, identity: Identity | None, actor: Actor) -> None:
        """After a coördinator's turn: who they were and the school the turn was about."""
        key = _key(identity)
        school_id = context.turn_state.get(SCHOOL_KEY)
        if key is None:
            return
        if not actor.is_coordinator:
            self._last.pop(key, None)
            return
        if school_id is None:  # a turn about no school (a step answer): keep the last one
            last = self._last.get(key)
            if last is None:
                return
            school_id = last[1]
        # Who they are is all the reads need: not the schools and names of their roles.
        self._last[key] = (Actor(person_id=actor.person_id, name="",
                                 is_operator=actor.is_operator), school_id)
        self._last.move_to_end(key)
        while len(self._last) > self._size:
            self._last.popitem(last=False)


def _key(identity: Identity | None) -> tuple[str, str] | None:
    if identity is None or not identity.aad_object_id or not identity.tenant_id:
        return None
    return identity.tenant_id, identity.aad_object_id
