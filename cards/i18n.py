"""One text catalog per language; Dutch is the default."""

from __future__ import annotations

import logging

from cards.locale import en, nl

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "nl"
CATALOGS: dict[str, dict[str, str]] = {"nl": nl.CATALOG, "en": en.CATALOG}


class Texts:
    """t('key', name=...) → the text in this language, falling back to Dutch."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language if language in CATALOGS else DEFAULT_LANGUAGE
        self._catalog = CATALOGS[self.language]

    def __call__(self, key: str, **params: object) -> str:
        template = self._catalog.get(key) or nl.CATALOG.get(key)
        if template is None:
            log.error("tekst %s ontbreekt", key)
            return key
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            log.error("verkeerde parameters voor tekst %s", key)
            return template

    def has(self, key: str) -> bool:
        return key in self._catalog


