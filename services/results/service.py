"""Results of the Resultatenmonitor to the school's LVS (rule 11): queued on import, keyed by
the result's own key, and sent per school and LVS as UWLR BrengLeerresultaten."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from services.actor import Actor
from services.errors import Conflict, NotAllowed
from services.exchange.lvs import ACTIVE, MOMENTO, REJECTED, UNREACHABLE
from services.models import (
    RESULT_QUEUED,
    RESULT_SENT,
    RESULT_SET_ASIDE,
    ROLE_PUPIL,
    LvsCoupling,
    LvsResult,
    Person,
    Role,
    School,
)
from services.results import envelope
from services.results.client import Delivery, ResultsClient
from services.results.documents import ResultRow, parse_document
from services.results.results import (
    CouplingSendDTO,
    ImportReportDTO,
    RowProblem,
    SendReportDTO,
)
from services.shared.context import ServiceContext

log = logging.getLogger(__name__)

BATCH = 500  # results per message: a school's test round, well below any SOAP size limit
LEASE = timedelta(minutes=15)  # renewed before every message
CHUNK = 500  # keys per IN (...) query
# The LVS refuses the key, or does not know the school under this key (UWLR FaultType).
KEY_FAULTS = ("Client.AutorisatieOngeldig", "Client.OngeldigeKlantIdentificatie")
# The LVS refuses a record: the whole message is refused, so the record is set aside.
# (Client.OngeldigBericht is not among them: it may refuse every message we send, and must not
# set every result aside.)
RECORD_FAULTS = ("Client.LeerlingOngeldig", "Client.ScoreOngeldig",
                 "Client.ToetsNormeringOngeldig", "Client.VocabulaireTermOngeldig",
                 "Client.EldResultaatOngeldig")
SCHEMA_INVALID = "schema"  # our own check refused the record before sending


def _context(school_id: int, system: str) -> str:
    return f"lvs:{school_id}:{system}"  # the secret box context of the coupling's key


@dataclass
class _Round:
    """What happened to one coupling in one round."""

    sent: int = 0
    set_aside: int = 0
    status: str = ""
    detail: str = ""
    stop: bool = False


class ResultsService:
    """Intake (import) and sending of results. `clients` are the configured LVSs' leerresultaten
    services; a system without a client keeps its results queued."""

    def __init__(self, ctx: ServiceContext,
                 clients: Mapping[str, ResultsClient] | None = None) -> None:
        self.ctx = ctx
        self._clients = dict(clients or {})

    # -- intake -------------------------------------------------------------------------------
    async def import_document(self, actor: Actor, data: bytes, *,
                              kind: str | None = None) -> ImportReportDTO:
        """Queue the results of one export (JSON or CSV, docs/uwlr.md) for each LVS the school
        is coupled with; Bingel practice results only for Momento. A result whose key is
        already known with the same content is recognised and not queued again; with changed
        content it is queued again (a correction). Bad rows are reported and set aside; the
        rest is queued in one transaction. Raises DocumentError (a ValueError) when the whole
        document is unusable, NotAllowed for anyone but an operator or the intake."""
        if not actor.is_operator:
            await self.ctx.record_refusal(actor, "import_results",
                                          NotAllowed(action="import_results"))
            raise NotAllowed(action="import_results")
        parsed = parse_document(data, kind=kind)
        for attempt in (1, 2):
            try:
                return await self._queue(actor, parsed.rows, [
                    RowProblem(b.line, b.reason) for b in parsed.bad],
                    total=len(parsed.rows) + len(parsed.bad))
            except IntegrityError:  # a simultaneous import queued the same key first
                if attempt == 2:
                    raise Conflict("error.results_busy") from None
        raise AssertionError("unreachable")

    async def _queue(self, actor: Actor, rows: tuple[ResultRow, ...],
                     problems: list[RowProblem], *, total: int) -> ImportReportDTO:
        now = self.ctx.now()
        queued = known = 0
        per: Counter[tuple[str, str]] = Counter()
        async with self.ctx.transaction(actor, "import_results") as session:
            brins = sorted({row.brin for row in rows})
            schools = {(s.brin, s.vestiging): s for s in (await session.scalars(
                select(School).where(School.brin.in_(brins)))).all()} if brins else {}
            ids = [s.id for s in schools.values()]
            systems: dict[int, set[str]] = {}
            for sid, system in (await session.execute(
                    select(LvsCoupling.school_id, LvsCoupling.system)
                    .where(LvsCoupling.school_id.in_(ids)))).all() if ids else []:
                systems.setdefault(sid, set()).add(system)
            pupils = await self._pupils_by_eck(session, rows, schools)
            existing = await self._existing(session, rows, schools)
            for row in rows:
                school = schools.get((row.brin, row.vestiging))
                if school is None:
                    problems.append(RowProblem(row.line, f"school {row.brin} vestiging "
                                               f"{row.vestiging} is niet bekend"))
                    continue
                pupil_key = row.pupil_key or pupils.get((school.id, row.eck_id or ""))
                if pupil_key is None:
                    problems.append(RowProblem(row.line, "geen leerling met dit ECK-iD op deze "
                                               "school (en geen LAS-sleutel)"))
                    continue
                targets = sorted(systems.get(school.id, set()))
                if row.practice:
                    targets = [s for s in targets if s == MOMENTO]
                if not targets:
                    problems.append(RowProblem(row.line, (
                        "Bingel-oefenresultaat: gaat alleen naar Momento, en de school heeft "
                        "geen koppeling met Momento") if row.practice else
                        "de school heeft geen koppeling met een LVS"))
                    continue
                digest = _digest(row, pupil_key)
                for system in targets:
                    old = existing.get((school.id, system, row.key))
                    if old is not None and old.digest == digest:
                        known += 1
                        continue
                    result = old or LvsResult(school_id=school.id, system=system,
                                              result_key=row.key)
                    _fill(result, row, pupil_key, digest)
                    result.status, result.reason = RESULT_QUEUED, ""
                    result.queued_at, result.sent_at = now, None
                    if old is None:
                        session.add(result)
                        existing[(school.id, system, row.key)] = result
                    queued += 1
                    per[(row.brin + row.vestiging, system)] += 1
            self.ctx.audit(session, actor, "import_results", None, rows=total, queued=queued,
                           known=known, set_aside=len(problems))
        problems.sort(key=lambda p: p.line)
        return ImportReportDTO(
            rows=total, queued=queued, known=known, problems=tuple(problems),
            by_coupling=tuple((s, system, n) for (s, system), n in sorted(per.items())))

    async def _pupils_by_eck(self, session, rows, schools) -> dict[tuple[int, str], str]:
        """(school id, ECK-iD) → the pupil's LAS key, for rows that name only the ECK-iD."""
        wanted = sorted({row.eck_id for row in rows if row.pupil_key is None and row.eck_id})
        found: dict[tuple[int, str], str] = {}
        ids = [s.id for s in schools.values()]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            for sid, eck, key in (await session.execute(
                    select(Role.school_id, Person.eck_id, Person.basispoort_key)
                    .join(Person, Person.id == Role.person_id)
                    .where(Role.role == ROLE_PUPIL, Role.school_id.in_(ids),
                           Person.eck_id.in_(chunk)))).all():
                found[(sid, eck)] = key
        return found

    async def _existing(self, session, rows, schools) -> dict[tuple[int, str, str], LvsResult]:
        ids = [s.id for s in schools.values()]
        keys = sorted({row.key for row in rows})
        found: dict[tuple[int, str, str], LvsResult] = {}
        for start in range(0, len(keys), CHUNK):
            for result in (await session.scalars(
                    select(LvsResult).where(LvsResult.school_id.in_(ids),
                                            LvsResult.result_key.in_(keys[start:start + CHUNK]))
            )).all():
                found[(result.school_id, result.system, result.result_key)] = result
        return found

    # -- sending ------------------------------------------------------------------------------
    @property
    def configured(self) -> tuple[str, ...]:
        return tuple(self._clients)

    async def send_pending(self, actor: Actor) -> SendReportDTO:
        """Send every queued result, one message per school and LVS (split on a refused
        record). A coupling is claimed first (a lease in the database), so two workers never
        send for the same coupling at once. Operators only."""
        async with self.ctx.read(actor, "send_results") as session:
            if not actor.is_operator:
                raise NotAllowed(action="send_results")
            due = (await session.execute(
                select(LvsCoupling.id)
                .join(LvsResult, (LvsResult.school_id == LvsCoupling.school_id)
                      & (LvsResult.system == LvsCoupling.system))
                .where(LvsResult.status == RESULT_QUEUED,
                       LvsCoupling.system.in_(self.configured))
                .group_by(LvsCoupling.id).order_by(LvsCoupling.id))).scalars().all()
        reports: list[CouplingSendDTO] = []
        skipped = 0
        for coupling_id in due:
            report = await self._send_coupling(actor, coupling_id)
            if report is None:
                skipped += 1
            else:
                reports.append(report)
        return SendReportDTO(tuple(reports), skipped)

    async def _send_coupling(self, actor: Actor, coupling_id: int) -> CouplingSendDTO | None:
        token = uuid.uuid4().hex
        if not await self._claim(coupling_id, token):
            return None
        outcome = _Round()
        try:
            while not outcome.stop:
                work = await self._batch(coupling_id, token)
                if work is None:
                    break
                coupling, school, key, records = work
                client = self._clients[coupling.system]
                auth = envelope.Authorisation(key, client.klantcode, client.klantnaam)
                await self._deliver(actor, coupling, school, auth, client, records, token,
                                    outcome)
            async with self.ctx.read(actor, "send_results") as session:
                coupling = await session.get(LvsCoupling, coupling_id)
                school = await session.get(School, coupling.school_id) if coupling else None
            if coupling is None or school is None:
                return None
            return CouplingSendDTO(school.brin + school.vestiging, coupling.system,
                                   coupling.status, outcome.sent, outcome.set_aside,
                                   outcome.detail)
        finally:
            await self._release(coupling_id, token)

    async def _claim(self, coupling_id: int, token: str) -> bool:
        now = self.ctx.now()
        async with self.ctx.sessions.begin() as session:
            claimed = await session.execute(
                update(LvsCoupling)
                .where(LvsCoupling.id == coupling_id,
                       or_(LvsCoupling.claimed_until.is_(None), LvsCoupling.claimed_until < now,
                           LvsCoupling.claim_token == token))
                .values(claimed_until=now + LEASE, claim_token=token)
                .execution_options(synchronize_session=False))
            return claimed.rowcount == 1

    async def _release(self, coupling_id: int, token: str) -> None:
        async with self.ctx.sessions.begin() as session:
            await session.execute(
                update(LvsCoupling)
                .where(LvsCoupling.id == coupling_id, LvsCoupling.claim_token == token)
                .values(claimed_until=None, claim_token="")
                .execution_options(synchronize_session=False))

    async def _batch(self, coupling_id: int, token: str):
        """The next queued results of the coupling (still ours), with its school and key."""
        if not await self._claim(coupling_id, token):  # renew the lease before each message
            return None
        async with self.ctx.sessions() as session:
            coupling = await session.get(LvsCoupling, coupling_id)
            if coupling is None or coupling.claim_token != token:
                return None
            school = await session.get(School, coupling.school_id)
            results = (await session.scalars(
                select(LvsResult).where(LvsResult.school_id == coupling.school_id,
                                        LvsResult.system == coupling.system,
                                        LvsResult.status == RESULT_QUEUED)
                .order_by(LvsResult.id).limit(BATCH))).all()
            if not results or school is None:
                return None
            try:
                key = self.ctx.secrets.decrypt(coupling.key_secret,
                                               context=_context(school.id, coupling.system))
            except ValueError:
                log.error("LVS-sleutel van koppeling %s is niet te ontsleutelen", coupling.id)
                return None
            records = [_record(r) for r in results]
            session.expunge_all()
        return coupling, school, key, records

    async def _deliver(self, actor, coupling, school, auth, client, records, token,
                       outcome: _Round) -> None:
        """Send these records; on a refused record set it aside and send the rest."""
        if not records or outcome.stop:
            return
        ident = envelope.School(school.brin, school.vestiging, self.ctx.school_year())
        message = envelope.build_request(auth, ident, records,
                                         forward_grades=coupling.forward_grades,
                                         xsd_version=client.xsd_version, now=self.ctx.now())
        if envelope.validation_errors(message):
            if not auth_fits(auth):  # no record is to blame: the header cannot be sent
                log.error("autorisatie van koppeling %s past niet in UWLR (1-64 tekens)",
                          coupling.id)
                outcome.stop, outcome.detail = True, "invalid-authorisation"
                return
            good = []
            for record in records:
                alone = envelope.build_request(auth, ident, [record],
                                               forward_grades=coupling.forward_grades,
                                               xsd_version=client.xsd_version)
                if envelope.validation_errors(alone):
                    await self._set_aside(record, coupling, SCHEMA_INVALID)
                    outcome.set_aside += 1
                else:
                    good.append(record)
            if len(good) == len(records):  # only the combination is invalid: never send it
                log.error("leerresultaten-bericht voor koppeling %s ongeldig", coupling.id)
                outcome.stop, outcome.detail = True, "invalid-message"
                return
            await self._deliver(actor, coupling, school, auth, client, good, token, outcome)
            return
        if not await self._claim(coupling.id, token):  # renew the lease; lost: stop here
            outcome.stop, outcome.detail = True, "claim-lost"
            return
        delivery = await client.deliver(message)
        if delivery.outcome == "accepted":
            await self._accepted(actor, coupling, records)
            outcome.sent += len(records)
            outcome.detail = ""
            return
        code = delivery.detail.removeprefix("fault:")
        if delivery.outcome == "fault" and code in RECORD_FAULTS:
            named = _named(delivery.fault_text, records)
            if named:
                for record in named:
                    await self._set_aside(record, coupling, code)
                outcome.set_aside += len(named)
                rest = [r for r in records if r not in named]
                await self._deliver(actor, coupling, school, auth, client, rest, token, outcome)
            elif len(records) == 1:
                await self._set_aside(records[0], coupling, code)
                outcome.set_aside += 1
            else:  # the fault names no record of ours: halve until the bad one is alone
                half = len(records) // 2
                await self._deliver(actor, coupling, school, auth, client, records[:half],
                                    token, outcome)
                await self._deliver(actor, coupling, school, auth, client, records[half:],
                                    token, outcome)
            return
        if delivery.outcome == "fault" and code in KEY_FAULTS:
            status = REJECTED
        elif delivery.outcome == "unreachable":
            status = UNREACHABLE
        else:  # another client fault (e.g. XsdVersieOngeldig): our configuration, not the key
            log.error("LVS %s weigert het bericht: %s", coupling.system, delivery.detail)
            status = None
        await self._coupling_status(actor, coupling, status, delivery)
        outcome.stop, outcome.detail = True, delivery.detail

    async def _accepted(self, actor: Actor, coupling: LvsCoupling, records) -> None:
        now = self.ctx.now()
        async with self.ctx.transaction(actor, "send_results") as session:
            ids = [r.id for r in records]
            await session.execute(
                update(LvsResult).where(LvsResult.id.in_(ids), LvsResult.status == RESULT_QUEUED)
                .values(status=RESULT_SENT, sent_at=now, reason="")
                .execution_options(synchronize_session=False))
            row = await session.get(LvsCoupling, coupling.id)
            if row is None or row.key_secret != coupling.key_secret:
                return  # removed or given a new key meanwhile: its status starts again
            if row.status != ACTIVE or row.active_since is None:
                row.active_since = now
            row.status, row.status_detail = ACTIVE, ""
            row.verified_at = row.last_exchange_at = now
            row.results_sent += len(records)
            self.ctx.audit(session, actor, "send_results", row.school_id, coupling_id=row.id,
                           system=row.system, sent=len(records))

    async def _coupling_status(self, actor: Actor, coupling: LvsCoupling, status: str | None,
                               delivery: Delivery) -> None:
        async with self.ctx.transaction(actor, "send_results") as session:
            row = await session.get(LvsCoupling, coupling.id)
            if row is None or row.key_secret != coupling.key_secret:
                return
            if delivery.outcome == "fault":
                row.last_exchange_at = self.ctx.now()
            if status is not None:
                row.status = status
            if status == REJECTED:
                row.active_since = None
            row.status_detail = delivery.detail[:200]

    async def _set_aside(self, record: envelope.Record, coupling: LvsCoupling,
                         reason: str) -> None:
        async with self.ctx.sessions.begin() as session:
            await session.execute(
                update(LvsResult).where(LvsResult.id == record.id,
                                        LvsResult.status == RESULT_QUEUED)
                .values(status=RESULT_SET_ASIDE, reason=reason[:60])
                .execution_options(synchronize_session=False))
        log.info("resultaat %s voor %s apart gezet: %s", record.key, coupling.system, reason)


def auth_fits(auth: envelope.Authorisation) -> bool:
    """UWLR 2.2 autorisatie: key, klantcode and klantnaam are 1 to 64 characters."""
    return all(0 < len(value) <= 64 for value in (auth.key, auth.klantcode, auth.klantnaam))


def _record(result: LvsResult) -> envelope.Record:
    return envelope.Record(id=result.id, key=result.result_key, pupil_key=result.pupil_key,
                           eck_id=result.eck_id, test_code=result.test_code,
                           test_name=result.test_name, taken_on=result.taken_on,
                           score=result.score, ability=result.ability, norm=result.norm)


def _named(text: str, records: list[envelope.Record]) -> list[envelope.Record]:
    """The records a fault names: by result key, else every result of a named test code."""
    def mentioned(word: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None

    by_key = [r for r in records if mentioned(r.key)]
    if by_key:
        return by_key
    codes = {r.test_code for r in records if mentioned(r.test_code)}
    return [r for r in records if r.test_code in codes] if len(codes) == 1 else []


def _fill(result: LvsResult, row: ResultRow, pupil_key: str, digest: str) -> None:
    result.pupil_key, result.eck_id = pupil_key, row.eck_id
    result.test_code, result.test_name = row.test_code, row.test_name
    result.taken_on, result.score, result.ability = row.taken_on, row.score, row.ability
    result.norm = json.dumps([band.as_json() for band in row.norm])
    result.practice, result.digest = row.practice, digest


def _digest(row: ResultRow, pupil_key: str) -> str:
    content = [pupil_key, row.eck_id, row.test_code, row.test_name, row.taken_on.isoformat(),
               row.score, row.ability, [b.as_json() for b in row.norm], row.practice]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
