"""Who is acting: resolved once per turn (or per CLI run), passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Identity:
    """What a channel tells us about a user; none of it is trusted beyond lookup."""

    aad_object_id: str | None = None
    email: str | None = None
    name: str | None = None
    tenant_id: str | None = None


@dataclass(frozen=True)
class SchoolRef:
    id: int
    name: str
    brin: str
    vestiging: str


@dataclass(frozen=True)
class Actor:
    """The acting person. Roles are a snapshot; services check permissions in the database."""

    person_id: int | None
    name: str
    language: str | None = None
    coordinator_of: tuple[SchoolRef, ...] = ()
    other_schools: tuple[SchoolRef, ...] = ()  # schools where this person is teacher or pupil
    conversation_id: str | None = None
    is_operator: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_known(self) -> bool:
        return self.person_id is not None or self.is_operator

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_of) or self.is_operator

    @classmethod
    def operator(cls, name: str = "beheerder") -> Actor:
        """A Malmberg operator at the command line: may act on every school."""
        return cls(person_id=None, name=name, is_operator=True)

    @classmethod
    def unknown(cls, name: str = "", conversation_id: str | None = None) -> Actor:
        return cls(person_id=None, name=name, conversation_id=conversation_id)
