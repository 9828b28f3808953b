"""Where each LVS is reached and how long we wait for it; read from the environment by bot/."""

from __future__ import annotations

import re
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
DEFAULT_XSD_VERSION = "2.2"  # the UWLR version whose schemas we keep and validate against
XSD_VERSIONS = ("2.1", "2.2", "2.3")
PUPIL_CHECK = "leerlinggegevens"
DEFAULT_SEND_ATTEMPTS = 4
DEFAULT_SEND_BACKOFF = 5.0
DEFAULT_SEND_TIME = "03:00"


@dataclass(frozen=True)
class LvsEndpoint:
    """One LVS's UWLR web service and the klantcode/klantnaam it gave Malmberg."""

    url: str
    klantcode: str = field(repr=False)
    klantnaam: str = DEFAULT_KLANTNAAM
    # The leerresultaten service (BrengLeerresultaten); the same address unless set apart.
    results_url: str = ""
    xsd_version: str = DEFAULT_XSD_VERSION
    # Only when this LVS agreed that a key may be checked by reading pupil data
    # (HaalLeerlinggegevens): the school's consent covers sending results, not reading pupils.
    pupil_check: bool = False

    @property
    def results_address(self) -> str:
        return self.results_url or self.url


@dataclass(frozen=True)
class LvsSettings:
    endpoints: tuple[tuple[str, LvsEndpoint], ...] = ()  # (system, endpoint); hashable
    timeout: float = DEFAULT_TIMEOUT
    verify_interval: float = DEFAULT_INTERVAL  # 0: no periodic check inside `serve`
    # Sending results: tries per message on timeouts, 5xx and Server faults, the first wait
    # between them (doubling), and the time of day (Europe/Amsterdam) of the nightly round.
    send_attempts: int = DEFAULT_SEND_ATTEMPTS
    send_backoff: float = DEFAULT_SEND_BACKOFF
    send_time: str = DEFAULT_SEND_TIME

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
            results_url = env.get(f"LVS_RESULTS_ENDPOINT_{suffix}", "").strip()
            if results_url:
                parts = urlsplit(results_url)
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    raise ValueError(f"LVS_RESULTS_ENDPOINT_{suffix} moet een http(s)-adres zijn.")
            version = env.get(f"LVS_XSDVERSIE_{suffix}", "").strip() or DEFAULT_XSD_VERSION
            if version not in XSD_VERSIONS:
                raise ValueError(f"LVS_XSDVERSIE_{suffix} moet een van "
                                 f"{', '.join(XSD_VERSIONS)} zijn.")
            check = env.get(f"LVS_KEY_CHECK_{suffix}", "").strip().lower()
            if check not in ("", "geen", PUPIL_CHECK):
                raise ValueError(f"LVS_KEY_CHECK_{suffix} is 'geen' of '{PUPIL_CHECK}' (alleen "
                                 "als dat LVS instemde met leerlinggegevens als sleutelcontrole).")
            endpoints[system] = LvsEndpoint(url=url, klantcode=code, klantnaam=name,
                                            results_url=results_url, xsd_version=version,
                                            pupil_check=check == PUPIL_CHECK)
        timeout = _number(env, "LVS_TIMEOUT_SECONDS", DEFAULT_TIMEOUT)
        if not 0 < timeout <= MAX_TIMEOUT:
            raise ValueError(f"LVS_TIMEOUT_SECONDS moet tussen 0 en {MAX_TIMEOUT:g} liggen.")
        interval = _number(env, "LVS_VERIFY_INTERVAL_SECONDS", DEFAULT_INTERVAL)
        if interval != 0 and interval < 10:
            raise ValueError("LVS_VERIFY_INTERVAL_SECONDS moet 0 (uit) of minstens 10 zijn.")
        attempts = _number(env, "RESULTS_SEND_ATTEMPTS", DEFAULT_SEND_ATTEMPTS)
        if attempts != int(attempts) or not 1 <= attempts <= 10:
            raise ValueError("RESULTS_SEND_ATTEMPTS moet een heel getal van 1 tot en met 10 zijn.")
        backoff = _number(env, "RESULTS_SEND_BACKOFF_SECONDS", DEFAULT_SEND_BACKOFF)
        if not 0 <= backoff <= 300:
            raise ValueError("RESULTS_SEND_BACKOFF_SECONDS moet tussen 0 en 300 liggen.")
        send_time = env.get("RESULTS_SEND_TIME", "").strip() or DEFAULT_SEND_TIME
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", send_time):
            raise ValueError(f"RESULTS_SEND_TIME moet een tijd als 03:00 zijn, niet {send_time!r}.")
        return cls(endpoints=tuple(endpoints.items()), timeout=timeout,
                   verify_interval=interval, send_attempts=int(attempts), send_backoff=backoff,
                   send_time=send_time)


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name} moet een getal zijn, niet {text!r}.") from None


def build_verifier(settings: LvsSettings, http: aiohttp.ClientSession) -> LvsVerifier:
    """One UWLR key-check client per configured LVS that agreed to a check by pupil data, all
    sharing the caller's HTTP session. Other LVSs are checked by the exchange of results."""
    return LvsVerifier({
        system: UwlrClient(system, http, endpoint=ep.url, klantcode=ep.klantcode,
                           klantnaam=ep.klantnaam, timeout=settings.timeout,
                           xsd_version=ep.xsd_version)
        for system, ep in settings.endpoints if ep.pupil_check
    })
