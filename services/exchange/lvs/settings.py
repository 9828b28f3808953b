"""Where each LVS is reached and how long we wait for it; read from the environment by bot/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

from services.exchange.lvs.base import SYSTEMS, LvsVerifier
from services.exchange.lvs.uwlr import UwlrClient

DEFAULT_KLANTNAAM = "Malmberg"
DEFAULT_TIMEOUT = 5.0
MAX_TIMEOUT = 10.0  # the check runs while the coördinator waits for the bot's answer
DEFAULT_INTERVAL = 900.0


@dataclass(frozen=True)
class LvsEndpoint:
    """One LVS's UWLR web service and the klantcode/klantnaam it gave Malmberg."""

    url: str
    klantcode: str = field(repr=False)
    klantnaam: str = DEFAULT_KLANTNAAM


@dataclass(frozen=True)
class LvsSettings:
    endpoints: tuple[tuple[str, LvsEndpoint], ...] = ()  # (system, endpoint); hashable
    timeout: float = DEFAULT_TIMEOUT
    verify_interval: float = DEFAULT_INTERVAL  # 0: no periodic check inside `serve`

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LvsSettings:
        """LVS_ENDPOINT_<SYSTEM>, LVS_KLANTCODE_<SYSTEM>, LVS_KLANTNAAM_<SYSTEM> (or
        LVS_KLANTNAAM), LVS_TIMEOUT_SECONDS, LVS_VERIFY_INTERVAL_SECONDS. Raises ValueError
        with a Dutch message for the operator."""
        endpoints = {}
        default_name = env.get("LVS_KLANTNAAM", "").strip() or DEFAULT_KLANTNAAM
        for system in SYSTEMS:
            suffix = system.upper()
            url = env.get(f"LVS_ENDPOINT_{suffix}", "").strip()
            if not url:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"LVS_ENDPOINT_{suffix} moet een http(s)-adres zijn.")
            code = env.get(f"LVS_KLANTCODE_{suffix}", "").strip()
            if not code:
                raise ValueError(f"LVS_ENDPOINT_{suffix} is gezet maar LVS_KLANTCODE_{suffix} "
                                 "ontbreekt (de klantcode die het LVS aan Malmberg gaf).")
            name = env.get(f"LVS_KLANTNAAM_{suffix}", "").strip() or default_name
            endpoints[system] = LvsEndpoint(url=url, klantcode=code, klantnaam=name)
        timeout = _number(env, "LVS_TIMEOUT_SECONDS", DEFAULT_TIMEOUT)
        if not 0 < timeout <= MAX_TIMEOUT:
            raise ValueError(f"LVS_TIMEOUT_SECONDS moet tussen 0 en {MAX_TIMEOUT:g} liggen.")
        interval = _number(env, "LVS_VERIFY_INTERVAL_SECONDS", DEFAULT_INTERVAL)
        if interval != 0 and interval < 10:
            raise ValueError("LVS_VERIFY_INTERVAL_SECONDS moet 0 (uit) of minstens 10 zijn.")
        return cls(endpoints=tuple(endpoints.items()), timeout=timeout,
                   verify_interval=interval)


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name} moet een getal zijn, niet {text!r}.") from None


def build_verifier(settings: LvsSettings, http: aiohttp.ClientSession) -> LvsVerifier:
    """One UWLR client per configured LVS, all sharing the caller's HTTP session."""
    return LvsVerifier({
        system: UwlrClient(system, http, endpoint=ep.url, klantcode=ep.klantcode,
                           klantnaam=ep.klantnaam, timeout=settings.timeout)
        for system, ep in settings.endpoints
    })
