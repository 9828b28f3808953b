"""One text catalog per language; Dutch is the default."""

from __future__ import annotations

import logging

from cards.locale import en, nl

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "nl"
CATALOGS: dict[str, dict[str, str | dict[str, str]]] = {"nl": nl.CATALOG, "en": en.CATALOG}
PLURAL_FORMS = ("one", "other")


def plural_form(count: object) -> str:
    """Dutch and English have two forms: 'one' for exactly 1, 'other' for 0, 2, 3, ..."""
    return "one" if count == 1 else "other"


def forms(entry: str | dict[str, str]) -> tuple[str, ...]:
    """Every template of a catalog entry: a plain text, or its one and other forms."""
    return (entry,) if isinstance(entry, str) else tuple(entry[f] for f in PLURAL_FORMS)


class Texts:
    """t('key', name=...) → the text in this language, falling back to Dutch. An entry with
    plural forms ({"one": ..., "other": ...}) is chosen by the parameter `count`."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language if language in CATALOGS else DEFAULT_LANGUAGE
        self._catalog = CATALOGS[self.language]

    def __call__(self, key: str, **params: object) -> str:
        template = self._catalog.get(key) or nl.CATALOG.get(key)
        if template is None:
            log.error("tekst %s ontbreekt", key)
            return key
        if isinstance(template, dict):
            template = template[plural_form(params.get("count"))]
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            log.error("verkeerde parameters voor tekst %s", key)
            return template

    def has(self, key: str) -> bool:
        return key in self._catalog


