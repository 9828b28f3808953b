"""Posts one BrengLeerresultaten message to an LVS, with retries on what may pass (timeouts,
5xx without a client fault, Server faults), and says what came of it."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from services.exchange.lvs import LvsSettings
from services.results.envelope import MAX_ANSWER_BYTES, SOAP_ACTION, Answer, read_answer

log = logging.getLogger(__name__)

TEMPORARY_FAULTS = ("Server.",)  # Server.TijdelijkNietBeschikbaar, Server.InterneFout


@dataclass(frozen=True)
class Delivery:
    """The outcome of one message after its retries: 'accepted', 'fault' or 'unreachable'."""

    outcome: str
    detail: str = ""  # 'fault:<code>', 'http:503', 'timeout', 'connect', 'invalid-response'
    fault_text: str = ""
    attempts: int = 1


class ResultsClient:
    """One LVS's leerresultaten service."""

    def __init__(self, system: str, http: aiohttp.ClientSession, *, endpoint: str,
                 klantcode: str, klantnaam: str, xsd_version: str, timeout: float,
                 attempts: int, backoff: float,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.system = system
        self.klantcode = klantcode
        self.klantnaam = klantnaam
        self.xsd_version = xsd_version
        self._http = http
        self._endpoint = endpoint
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff
        self._sleep = sleep

    async def deliver(self, message: bytes) -> Delivery:
        result = Delivery("unreachable", "not-tried", attempts=0)
        for attempt in range(1, self._attempts + 1):
            result = await self._post(message)
            result = Delivery(result.outcome, result.detail, result.fault_text, attempt)
            if result.outcome != "unreachable":
                return result
            if attempt < self._attempts:
                wait = self._backoff * 2 ** (attempt - 1)
                log.info("LVS %s: %s, poging %d van %d; opnieuw over %.1f s", self.system,
                         result.detail, attempt, self._attempts, wait)
                await self._sleep(wait * random.uniform(0.8, 1.2))
        log.warning("LVS %s niet bereikbaar na %d pogingen (%s)", self.system, self._attempts,
                    result.detail)
        return result

    async def _post(self, message: bytes) -> Delivery:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{SOAP_ACTION}"'}
        try:
            async with asyncio.timeout(self._timeout):
                async with self._http.post(self._endpoint, data=message, headers=headers,
                                           allow_redirects=False) as response:
                    body = await response.content.read(MAX_ANSWER_BYTES + 1)
                    status = response.status
                    charset = response.charset
        except TimeoutError:
            return Delivery("unreachable", "timeout")
        except aiohttp.ClientError as exc:
            log.info("LVS %s: verbinding mislukt (%s)", self.system, type(exc).__name__)
            return Delivery("unreachable", "connect")
        if len(body) > MAX_ANSWER_BYTES:
            return Delivery("unreachable", "invalid-response")
        return _judge(status, read_answer(status, body, charset))


def _judge(status: int, answer: Answer) -> Delivery:
    if answer.kind == "accepted":
        return Delivery("accepted")
    if answer.kind == "fault":
        detail = f"fault:{answer.fault_code or 'unknown'}"
        if answer.fault_code.startswith(TEMPORARY_FAULTS):
            return Delivery("unreachable", detail)
        return Delivery("fault", detail, answer.fault_text)
    if status >= 400:
        return Delivery("unreachable", f"http:{status}")
    return Delivery("unreachable", "invalid-response")


def build_clients(settings: LvsSettings, http: aiohttp.ClientSession
                  ) -> dict[str, ResultsClient]:
    """One leerresultaten client per configured LVS, sharing the caller's HTTP session."""
    return {
        system: ResultsClient(system, http, endpoint=ep.results_address, klantcode=ep.klantcode,
                              klantnaam=ep.klantnaam, xsd_version=ep.xsd_version,
                              timeout=settings.timeout, attempts=settings.send_attempts,
                              backoff=settings.send_backoff)
        for system, ep in settings.endpoints
    }
