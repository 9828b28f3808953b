"""A botbuilder Storage over the service's StateStore, with e-tag concurrency."""

from __future__ import annotations

from typing import Any

from botbuilder.core import BotState, ConversationState, Storage, StoreItem, TurnContext, UserState
from botbuilder.core.bot_state import CachedBotState

from bot import state_codec
from services.driver_rows import Read
from services.state_store import StateConflict, StateStore


class SqlStorage(Storage):
    """Dialog and user state in the database, so a dialog survives a restart and is shared by
    every bot process. Items are written in jsonpickle's format, as Microsoft's own storages do,
by the faster exact codec of bot/state_codec.py."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return {key: item for key, (item, _) in (await self.read_encoded(keys)).items()}

    async def read_encoded(self, keys: list[str]) -> dict[str, tuple[Any, str]]:
        """{key: (item, the JSON text it was read from)}: the text is what a turn compares its
        state with at the end, to tell whether it changed."""
        if not keys:
            raise ValueError("keys are required")
        result: dict[str, tuple[Any, str]] = {}
        for key, (data, etag) in (await self._store.read(keys)).items():
            item = state_codec.loads(data)
            if isinstance(item, dict):
                item["e_tag"] = etag
            elif isinstance(item, StoreItem) or hasattr(item, "__dict__"):
                item.e_tag = etag
            result[key] = (item, data)
        return result

    def read_of(self, keys: list[str]) -> Read | None:
        """The statement `read_encoded` runs for these keys."""
        return self._store.read_of(keys)

    async def write(self, changes: dict[str, Any]) -> None:
        if changes:
            await self.write_encoded({key: (encode(value), etag_of(value))
                                      for key, value in changes.items()})

    async def write_encoded(self, items: dict[str, tuple[str, str | None]]) -> dict[str, str]:
        """Write {key: (JSON text from `encode`, the e-tag it was read with)}; the new e-tags."""
        try:
            return await self._store.write(items)
        except StateConflict as exc:
            raise ConcurrencyError(f"state {exc} was changed by another turn") from exc

    async def delete(self, keys: list[str]) -> None:
        await self._store.delete(keys)


def etag_of(value: Any) -> str | None:
    etag = value.get("e_tag") if isinstance(value, dict) else getattr(value, "e_tag", None)
    return etag or None


def encode(value: Any) -> str:
    """A state item's JSON text, without its e-tag (the e-tag is a column of its own)."""
    if isinstance(value, dict) and "e_tag" in value:
        value = {k: v for k, v in value.items() if k != "e_tag"}
    return state_codec.dumps(value)


class ConcurrencyError(Exception):
    """Two turns of one conversation wrote its state at once; the later one loses."""


class _TurnCachedState(CachedBotState):
    """The SDK's per-turn state cache. Its "hash" is the state's JSON text: the text it was
    read from, so loading encodes nothing (the SDK's flattens the whole state with jsonpickle
    at load and twice more at save, just to compare)."""

    def __init__(self, state: dict | None = None, encoded: str | None = None) -> None:
        self.state = state if state is not None else {}
        self.hash = encoded if encoded is not None else self.compute_hash(self.state)

    def compute_hash(self, obj: object) -> str:
        return encode(obj if obj is not None else {})


class _LoadedOncePerTurn:
    """A BotState that is read once per turn, together with the turn's other states
    (load_states), and not read again when it is empty (the SDK re-reads an empty state at
    every property access). Its save encodes the state once: that text is both the change
    check and what is written."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        if force or self.get_cached_state(turn_context) is None:
            await load_states(turn_context, self)

    async def save_changes(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if cached is None:
            return
        # Our own codec whatever put the cache there: the SDK's clear_state leaves its own
        # CachedBotState, whose "hash" is no JSON and cannot tell an unchanged state.
        encoded = encode(cached.state if cached.state is not None else {})
        if not force and isinstance(cached, _TurnCachedState) and encoded == cached.hash:
            return
        key = self.get_storage_key(turn_context)
        if isinstance(self._storage, SqlStorage):
            tags = await self._storage.write_encoded({key: (encoded, etag_of(cached.state))})
            if isinstance(cached.state, dict):  # a second save in this turn is no conflict
                cached.state["e_tag"] = tags[key]
        else:
            await self._storage.write({key: cached.state})
        cached.hash = encoded


class TurnConversationState(_LoadedOncePerTurn, ConversationState):
    pass


class TurnUserState(_LoadedOncePerTurn, UserState):
    pass


def _by_storage(turn_context: TurnContext, states: tuple[BotState, ...]
                ) -> list[list[tuple[BotState, str]]]:
    """The states with their keys for this turn, grouped by the storage that holds them."""
    by_storage: dict[int, list[tuple[BotState, str]]] = {}
    for state in states:
        by_storage.setdefault(id(state._storage), []).append(
            (state, state.get_storage_key(turn_context)))
    return list(by_storage.values())


def states_read(turn_context: TurnContext, *states: BotState) -> Read | None:
    """The read `load_states` makes for these states, when one SqlStorage holds them all: to
    be read ahead with the turn's other first reads (Services.reads_together)."""
    groups = _by_storage(turn_context, states)
    if len(groups) != 1 or not isinstance(groups[0][0][0]._storage, SqlStorage):
        return None
    return groups[0][0][0]._storage.read_of([key for _, key in groups[0]])


async def load_states(turn_context: TurnContext, *states: BotState) -> None:
    """Read the states of this turn, one storage read per storage, and cache them on the
    turn."""
    for pairs in _by_storage(turn_context, states):
        storage = pairs[0][0]._storage
        keys = [key for _, key in pairs]
        items = (await storage.read_encoded(keys) if isinstance(storage, SqlStorage)
                 else {key: (item, None) for key, item in (await storage.read(keys)).items()})
        for state, key in pairs:
            item, encoded = items.get(key, (None, None))
            turn_context.turn_state[state._context_service_key] = _TurnCachedState(
                item, encoded)
