"""Dialog and user state to JSON and back, fast, in jsonpickle's own format.

botbuilder keeps dialog state as Python objects (DialogState, DialogInstance, PromptOptions,
Activity and its enums), and Microsoft's storages flatten them with jsonpickle, which costs a
generic walk with reference tracking on every load, every save and every change check. The
state of this bot is a tree of dicts, lists, scalars, plain objects and str-valued enums; this
codec writes exactly that with the same tags (`py/object`, `py/tuple`, `py/reduce` of an enum),
so jsonpickle reads what it writes and it reads what jsonpickle wrote. Anything else (a shared
or cyclic reference, a class with its own pickling, a non-string key, a float that JSON cannot
hold) makes the whole document go through jsonpickle, as before."""

from __future__ import annotations

import enum
import importlib
import json
import math
from typing import Any

import orjson
from jsonpickle import Pickler, Unpickler

# Classes the decoder builds by name; any other name leaves the document to jsonpickle.
TRUSTED_MODULES = ("botbuilder.", "botframework.", "dialogs.", "bot.", "services.", "cards.")
_SCALARS = (str, int, bool, type(None))
_classes: dict[str, type] = {}
_plain: dict[type, bool] = {}


class _Fallback(Exception):
    """The value holds something this codec does not write or read exactly."""


def dumps(value: Any) -> str:
    """The JSON text of `value`."""
    try:
        return orjson.dumps(_encode(value, set())).decode()
    except _Fallback:
        return json.dumps(Pickler().flatten(value))


def loads(text: str | bytes) -> Any:
    """The value `dumps` (or jsonpickle) wrote."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:  # NaN or Infinity, which only the standard library reads
        data = json.loads(text)
    try:
        return _decode(data)
    except _Fallback:
        return Unpickler().restore(data)


def _encode(value: Any, seen: set[int]) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _Fallback
        return value
    if isinstance(value, enum.Enum):  # a singleton: read back as the same member either way
        if not isinstance(value.value, str | int) or not _trusted(kind):
            raise _Fallback
        return {"py/reduce": [{"py/type": _name(kind)}, {"py/tuple": [value.value]}]}
    if id(value) in seen:  # shared or cyclic: jsonpickle writes a reference and reads it back
        raise _Fallback
    seen.add(id(value))
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or key.startswith("py/"):
                raise _Fallback
            out[key] = _encode(item, seen)
        return out
    if kind is list:
        return [_encode(item, seen) for item in value]
    if kind is tuple:
        return {"py/tuple": [_encode(item, seen) for item in value]}
    if _is_plain(kind):
        out = {"py/object": _name(kind)}
        for key, item in value.__dict__.items():
            if key.startswith("py/"):
                raise _Fallback
            out[key] = _encode(item, seen)
        return out
    raise _Fallback


def _decode(data: Any) -> Any:
    kind = type(data)
    if kind is list:
        return [_decode(item) for item in data]
    if kind is not dict:
        return data
    tag = next((key for key in data if key.startswith("py/")), None)
    if tag is None:
        return {key: _decode(item) for key, item in data.items()}
    if tag == "py/object":
        cls = _class(data["py/object"])
        if not _is_plain(cls):
            raise _Fallback
        obj = cls.__new__(cls)
        for key, item in data.items():
            if key != "py/object":
                if key.startswith("py/"):
                    raise _Fallback
                obj.__dict__[key] = _decode(item)
        return obj
    if tag == "py/tuple" and len(data) == 1:
        return tuple(_decode(item) for item in data["py/tuple"])
    if tag == "py/reduce" and len(data) == 1:
        return _enum(data["py/reduce"])
    raise _Fallback  # py/id, py/set, py/state, ...: jsonpickle's own


def _enum(reduce: Any) -> enum.Enum:
    try:
        (head, args) = reduce
        cls = _class(head["py/type"])
        (member,) = args["py/tuple"]
    except (TypeError, ValueError, KeyError):
        raise _Fallback from None
    if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
        raise _Fallback
    return cls(member)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _trusted(cls: type) -> bool:
    return cls.__module__.startswith(TRUSTED_MODULES)


def _class(name: Any) -> type:
    cls = _classes.get(name) if isinstance(name, str) else None
    if cls is not None:
        return cls
    if not isinstance(name, str) or not name.startswith(TRUSTED_MODULES):
        raise _Fallback
    module_name, _, qualname = name.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), qualname)
    except (ImportError, AttributeError, ValueError):
        raise _Fallback from None
    if not isinstance(cls, type):
        raise _Fallback
    _classes[name] = cls
    return cls


def _is_plain(cls: type) -> bool:
    """An object whose state is exactly its __dict__: no slots, no pickling of its own."""
    plain = _plain.get(cls)
    if plain is None:
        plain = (_trusted(cls) and not issubclass(cls, enum.Enum)
                 and "__dict__" in dir(cls) and not any("__slots__" in vars(base)
                                                        for base in cls.__mro__[:-1])
                 and cls.__reduce_ex__ is object.__reduce_ex__
                 and cls.__reduce__ is object.__reduce__
                 and getattr(cls, "__getstate__", object.__getstate__) is object.__getstate__
                 and not hasattr(cls, "__setstate__")
                 and not hasattr(cls, "__getnewargs__")
                 and not hasattr(cls, "__getnewargs_ex__"))
        _plain[cls] = plain
    return plain
