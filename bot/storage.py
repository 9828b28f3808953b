"""A botbuilder Storage over the service's StateStore, with e-tag concurrency."""

from __future__ import annotations

import json
from typing import Any

from botbuilder.core import Storage, StoreItem
from jsonpickle import Pickler, Unpickler

from services.state_store import StateConflict, StateStore


class SqlStorage(Storage):
    """Dialog and user state in the database, so a dialog survives a restart and is shared by
    every bot process. Items are flattened with jsonpickle, as Microsoft's own storages do."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            raise ValueError("keys are required")
        result: dict[str, Any] = {}
        for key, (data, etag) in (await self._store.read(keys)).items():
            item = Unpickler().restore(json.loads(data))
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
            items[key] = (json.dumps(Pickler().flatten(payload)), etag or None)
        try:
            await self._store.write(items)
        except StateConflict as exc:
            raise ConcurrencyError(f"state {exc} was changed by another turn") from exc

    async def delete(self, keys: list[str]) -> None:
        await self._store.delete(keys)


class ConcurrencyError(Exception):
    """Two turns of one conversation wrote its state at once; the later one loses."""
