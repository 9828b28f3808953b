"""Domain errors: each carries a catalog key and its parameters, never UI text."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user may see; `code` is a key under 'error.' in the catalogs."""

    code = "error.unexpected"

    def __init__(self, code: str | None = None, **params: object) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(f"{self.code} {params}")


class NotAllowed(DomainError):
    """The actor may not do this (wrong role, other school, forged id)."""

    code = "error.not_allowed"


class NotFound(DomainError):
    """The thing named does not exist (any more): a stale card, a deleted group."""

    code = "error.not_found"


class InvalidInput(DomainError):
    """A missing, garbled or out-of-range value."""

    code = "error.invalid_input"


class Rejected(InvalidInput):
    """Something the user typed breaks a rule (a pincode, a pasted key): the same step asks for
    it again, saying why."""


class Conflict(DomainError):
    """The change clashes with the current state (already linked, no free seats, ...)."""

    code = "error.conflict"
