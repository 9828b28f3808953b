"""A botbuilder Storage over the service's StateStore, with e-tag concurrency."""

from __future__ import annotations

from typing import Any

from botbuilder.core import BotState, ConversationState, Storage, StoreItem, TurnContext, UserState
from botbuilder.core.bot_state import CachedBotState

from bot import state_codec
from services.state_store import StateConflict, StateStore


class SqlStorage(Storage):
    """Dialog and user state in the database, so a dialog survives a restart and is shared by
    every bot process. Items are written in jsonpickle's format, as Microsoft's own storages do,
by the faster exact codec of bot/state_codec.py."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            raise ValueError("keys are required")
        result: dict[str, Any] = {}
        for key, (data, etag) in (await self._store.read(keys)).items():
            item = state_codec.loads(data)
            if isinstance(item, dict):
                item["e_tag"] = etag
            elif isinstance(item, StoreItem) or hasattr(item, "__dict__"):
                item.e_tag = etag
            result[key] = item
        return result

    async def write(self, changes: dict[str, Any]) -> None:
        if not changes:
            return
        items: dict[str, tuple[str, str | None]] = {}
        for key, value in changes.items():
            if isinstance(value, dict):
                etag = value.get("e_tag")
                payload = {k: v for k, v in value.items() if k != "e_tag"}
            else:
                etag = getattr(value, "e_tag", None)
                payload = value
            items[key] = (state_codec.dumps(payload), etag or None)
        try:
            await self._store.write(items)
        except StateConflict as exc:
            raise ConcurrencyError(f"state {exc} was changed by another turn") from exc

    async def delete(self, keys: list[str]) -> None:
        await self._store.delete(keys)


class ConcurrencyError(Exception):
    """Two turns of one conversation wrote its state at once; the later one loses."""


class _TurnCachedState(CachedBotState):
    """The SDK's per-turn state cache, with its change check on the fast codec (the SDK's
    flattens the whole state with jsonpickle twice a turn just to compare)."""

    def compute_hash(self, obj: object) -> str:
        return state_codec.dumps(obj)


class _LoadedOncePerTurn:
    """A BotState that is read once per turn, together with the turn's other states
    (load_states), and not read again when it is empty (the SDK re-reads an empty state at
    every property access)."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        if force or self.get_cached_state(turn_context) is None:
            await load_states(turn_context, self)


class TurnConversationState(_LoadedOncePerTurn, ConversationState):
    pass


class TurnUserState(_LoadedOncePerTurn, UserState):
    pass


async def load_states(turn_context: TurnContext, *states: BotState) -> None:
    """Read the states of this turn, one storage read per storage, and cache them on the
    turn."""
    by_storage: dict[int, list[tuple[BotState, str]]] = {}
    for state in states:
        by_storage.setdefault(id(state._storage), []).append(
            (state, state.get_storage_key(turn_context)))
    for pairs in by_storage.values():
        items = await pairs[0][0]._storage.read([key for _, key in pairs])
        for state, key in pairs:
            turn_context.turn_state[state._context_service_key] = _TurnCachedState(
                items.get(key))
