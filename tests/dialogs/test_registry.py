"""The action registry: every typed request has a view, every view's action is declared once."""

from __future__ import annotations

from collections import Counter

from dialogs.registry import load_tasks, navigation_actions
from services import intents


def _routes():
    return [route for cls in load_tasks() for route in cls.declared_routes()]


def test_every_typed_request_is_served_by_one_view():
    typed = [route.typed for route in _routes() if route.typed is not None]
    assert set(typed) == set(intents.Typed.__subclasses__())
    assert len(typed) == len(set(typed))


def test_every_action_has_one_view():
    counts = Counter(route.action for route in _routes())
    assert [action for action, n in counts.items() if n > 1] == []


def test_typed_only_views_are_not_navigation():
    """A card carrying a typed-only action must not leave a running flow."""
    typed_only = {route.action for route in _routes() if not route.navigation}
    assert typed_only == {"welcome", "las", "unknown", "too_long", "shortcut.link",
                          "shortcut.children", "shortcut.pupil"}
    assert not typed_only & navigation_actions()
