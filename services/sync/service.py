"""The nightly Basispoort sync as a service: deliveries in, one transaction per school, runs
recorded, coördinatoren notified through the outbox; and 'Wijzigingen' for the coördinator."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from services.actor import Actor
from services.errors import NotAllowed, NotFound
from services.models import (
    ROLE_COORDINATOR,
    RUN_APPLIED,
    RUN_REJECTED,
    RUN_UNCHANGED,
    NightlyRun,
    Person,
    Role,
    School,
    SyncChange,
    SyncRun,
)
from services.notify.results import KIND_SYNC_SUMMARY, SyncSummaryDTO
from services.pincodes import issue_missing_pincodes
from services.shared import outbox
from services.shared.context import ServiceContext
from services.shared.inputs import as_id, page_number
from services.shared.paging import fetch_page
from services.sync import changes as c
from services.sync.apply import Applied, SnapshotApplier
from services.sync.basispoort_json import parse_json
from services.sync.edexml import parse_edexml
from services.sync.results import (
    ChangeDTO,
    RunChangesDTO,
    RunDTO,
    RunResultDTO,
    RunsDTO,
)
from services.sync.snapshot import DeliveryError, Problem, Snapshot
from services.sync.validate import validate

log = logging.getLogger(__name__)

MAX_DELIVERY_BYTES = 25 * 1024 * 1024
RUNS_PAGE_SIZE = 8
CHANGES_PAGE_SIZE = 25
NAMES_SHOWN = 5  # a summary names who changed only where few did
BUTTONS_SHOWN = 5  # one-tap buttons in a summary card; the rest behind 'Bekijk wijzigingen'
SYNC_ACTOR = Actor.operator("basispoort-sync")
# Raise when parsing or validating a delivery changes meaning: files read by an older version
# are then read again instead of being recognised by their bytes.
DELIVERY_READING = "1"


def raw_digest(data: bytes, school_year: str) -> str:
    """The key under which a file's bytes are recognised: the same bytes, in the same school
    year (validation accepts this year and the next), read by the same version of the reading."""
    digest = hashlib.sha256(f"{DELIVERY_READING}\0{school_year}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def parse_delivery(data: bytes, source: str, *, lines: bool = True) -> Snapshot:
    """Either format, told apart by its first character; DeliveryError when neither. Without
    `lines` a JSON delivery's items carry no line (EDEXML's come for free)."""
    if len(data) > MAX_DELIVERY_BYTES:
        raise DeliveryError(source, [Problem(0, f"het bestand is groter dan "
                                                f"{MAX_DELIVERY_BYTES // (1024 * 1024)} MB")])
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte-order mark, as some Windows exports write: the XML parser reads
        # it by its mark, JSON is read as UTF-8.
        head = data[:128].decode("utf-16", "ignore").lstrip("\ufeff \t\r\n").encode()
        if head.startswith((b"{", b"[")):
            try:
                data = data.decode("utf-16").encode()
            except UnicodeDecodeError:
                raise DeliveryError(source, [Problem(1, "geen geldige UTF-16")]) from None
    if head.startswith(b"<"):
        return parse_edexml(data, source)
    if head.startswith((b"{", b"[")):
        return parse_json(data, source, lines=lines)
    raise DeliveryError(source, [Problem(1, "geen EDEXML (XML) en geen Basispoort-JSON")])


def read_delivery(path: Path) -> bytes:
    """The file's bytes, refusing a file over the limit before reading it."""
    if path.stat().st_size > MAX_DELIVERY_BYTES:
        raise DeliveryError(str(path), [Problem(0, f"het bestand is groter dan "
                                                   f"{MAX_DELIVERY_BYTES // (1024 * 1024)} MB")])
    return path.read_bytes()


class SyncService:
    """Applies deliveries (an operator's work: no coördinator can start one) and shows a
    coördinator what the runs changed at their school."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- the nightly run's claim -----------------------------------------------------------------
    async def claim_night(self, night: str, worker: str) -> bool:
        """Claim one night's run of the inbox. Several processes wake at the same time: the
        one whose row is committed first runs it, every other one is told False (the unique
        night refuses their row). A run that crashed keeps its claim: the files it left in
        the inbox are applied the next night (a delivery applied twice changes nothing)."""
        try:
            async with self.ctx.sessions.begin() as session:
                session.add(NightlyRun(night=night, worker=worker[:100],
                                       started_at=self.ctx.now()))
        except IntegrityError:
            return False
        return True

    async def finish_night(self, night: str, deliveries: int) -> None:
        async with self.ctx.sessions.begin() as session:
            await session.execute(update(NightlyRun).where(NightlyRun.night == night)
                                  .values(finished_at=self.ctx.now(), deliveries=deliveries))

    # -- applying -------------------------------------------------------------------------------
    async def apply_file(self, path: Path, *, allow_mass_leaving: bool = False) -> RunResultDTO:
        source = path.name
        try:
            data = read_delivery(path)
        except OSError as exc:
            return await self._rejected(DeliveryError(source, [Problem(
                0, f"het bestand is niet te lezen ({type(exc).__name__})")]))
        except DeliveryError as exc:
            return await self._rejected(exc)
        return await self.apply_delivery(data, source, allow_mass_leaving=allow_mass_leaving)

    async def apply_delivery(self, data: bytes, source: str, *,
                             allow_mass_leaving: bool = False) -> RunResultDTO:
        """Parse, validate and apply one school's delivery. A delivery with any problem is
        rejected as a whole and changes nothing; the run is recorded either way. The very file
        last applied to its school again is recorded as unchanged without being parsed: most
        schools' files do not change from one night to the next. A delivery in which most of a
        school's pupils would leave is rejected unless `allow_mass_leaving` (an operator's
        decision) says it is meant."""
        raw = raw_digest(data, self.ctx.school_year())
        try:
            same = await self._same_bytes(raw, source)
        except SQLAlchemyError:  # read it in full, whose failure is recorded as a run
            log.exception("levering %s: eerdere leveringen niet op te zoeken", source)
            same = None
        if same is not None:
            return same
        try:
            snapshot = parse_delivery(data, source, lines=False)
            problems = validate(snapshot, self.ctx.today())
            if problems:  # parsed again for the lines the report names
                snapshot = parse_delivery(data, source)
                problems = validate(snapshot, self.ctx.today())
                raise DeliveryError(source, problems,
                                    (snapshot.school.brin, snapshot.school.vestiging))
        except DeliveryError as exc:
            return await self._rejected(exc)
        try:
            return await self.apply_snapshot(snapshot, raw,
                                             allow_mass_leaving=allow_mass_leaving)
        except DeliveryError as exc:  # refused on what the database holds; rolled back
            return await self._rejected(exc)
        except SQLAlchemyError:
            # The school's transaction is rolled back; record it and let the other schools go
            # on (the operator finds the traceback in the log).
            log.exception("levering %s kon niet worden verwerkt", source)
            return await self._rejected(DeliveryError(source, [Problem(
                0, "de verwerking mislukte door een databasefout; er is niets veranderd")],
                (snapshot.school.brin, snapshot.school.vestiging)))

    async def _same_bytes(self, raw: str, source: str) -> RunResultDTO | None:
        """An unchanged run when these bytes are those of the school's last applied or
        unchanged run; None when they are not (or were never seen)."""
        async with self.ctx.sessions.begin() as session:
            school_id = await session.scalar(
                select(SyncRun.school_id).where(SyncRun.raw_digest == raw,
                                                SyncRun.school_id.is_not(None)).limit(1))
            if school_id is None:
                return None
            stmt = select(School).where(School.id == school_id)
            if session.bind.dialect.name == "postgresql":
                stmt = stmt.with_for_update()  # as in apply_snapshot: one school at a time
            school = await session.scalar(stmt)
            last = await session.scalar(
                select(SyncRun).where(SyncRun.school_id == school_id,
                                      SyncRun.status.in_((RUN_APPLIED, RUN_UNCHANGED)))
                .order_by(SyncRun.id.desc()).limit(1))
            if school is None or last is None or last.raw_digest != raw:
                return None  # a later delivery was applied since: read this one in full
            now = self.ctx.now()
            run = SyncRun(school_id=school.id, brin=last.brin, vestiging=last.vestiging,
                          source=source[:300], format=last.format, digest=last.digest,
                          raw_digest=raw, status=RUN_UNCHANGED, started_at=now,
                          finished_at=now, summary="{}")
            session.add(run)
            await session.flush()
            return RunResultDTO(source=source, brin=last.brin, vestiging=last.vestiging,
                                school_name=school.name, status=RUN_UNCHANGED, counts={},
                                run_id=run.id)

    async def apply_snapshot(self, snapshot: Snapshot, raw: str = "", *,
                             allow_mass_leaving: bool = False) -> RunResultDTO:
        """Apply a parsed, valid delivery; `raw` is its file's raw_digest, kept with the run."""
        digest = snapshot.digest()
        started = self.ctx.now()
        async with self.ctx.sessions.begin() as session:
            # The school and its last digest in one round trip: most of a night is schools
            # whose delivery did not change, and this is all they cost besides their run.
            last_digest = (
                select(SyncRun.digest).where(SyncRun.school_id == School.id,
                                             SyncRun.status.in_((RUN_APPLIED, RUN_UNCHANGED)))
                .order_by(SyncRun.id.desc()).limit(1).correlate(School).scalar_subquery())
            stmt = select(School, last_digest).where(
                School.brin == snapshot.school.brin,
                School.vestiging == snapshot.school.vestiging)
            if session.bind.dialect.name == "postgresql":
                stmt = stmt.with_for_update(of=School)  # one school's runs one after the other
            found = (await session.execute(stmt)).first()
            school, last = found if found is not None else (None, None)
            first_run = last is None
            if last == digest:
                run = self._run(snapshot, school.id, digest, RUN_UNCHANGED, started, {}, raw)
                session.add(run)
                return self._result(snapshot, school.name, run, {})
            applier = SnapshotApplier(
                session, snapshot, now=started, school_year=self.ctx.school_year(),
                first_run=first_run, issue_codes=self._issue_codes if self.ctx.has_secrets else None,
                school=school, allow_mass_leaving=allow_mass_leaving)
            applied = await applier.apply()
            counts = applied.counts()
            status = RUN_APPLIED if counts or first_run else RUN_UNCHANGED
            run = self._run(snapshot, applied.school.id, digest, status, started, counts, raw)
            session.add(run)
            await session.flush()
            await applied.insert_rows(session, run.id)
            notified = 0
            if counts and not first_run:
                notified = await self._notify(session, applied, run)
            self.ctx.audit(session, SYNC_ACTOR, "sync_applied", applied.school.id,
                           run_id=run.id, source=snapshot.source, status=status,
                           counts=json.dumps(counts))
            return self._result(snapshot, applied.school.name, run, counts, notified)

    async def _issue_codes(self, session, school_id: int) -> None:
        await issue_missing_pincodes(session, self.ctx.secrets, school_id=school_id)

    def _run(self, snapshot: Snapshot, school_id: int | None, digest: str, status: str,
             started, counts: dict, raw: str) -> SyncRun:
        return SyncRun(school_id=school_id, brin=snapshot.school.brin,
                       vestiging=snapshot.school.vestiging, source=snapshot.source[:300],
                       format=snapshot.format, digest=digest, raw_digest=raw, status=status,
                       started_at=started, finished_at=self.ctx.now(),
                       summary=json.dumps(counts, sort_keys=True))

    @staticmethod
    def _result(snapshot: Snapshot, school_name: str, run: SyncRun, counts: dict,
                notified: int = 0) -> RunResultDTO:
        return RunResultDTO(source=snapshot.source, brin=snapshot.school.brin,
                            vestiging=snapshot.school.vestiging, school_name=school_name,
                            status=run.status, counts=counts, run_id=run.id, notified=notified)

    async def _rejected(self, error: DeliveryError) -> RunResultDTO:
        brin, vestiging = error.school or ("", "")
        report = error.report()
        log.warning("levering %s afgewezen: %s", error.source, report.replace("\n", "; "))
        async with self.ctx.sessions.begin() as session:
            school = await session.scalar(select(School).where(
                School.brin == brin[:4], School.vestiging == vestiging[:2])) if brin else None
            run = SyncRun(school_id=school.id if school else None, brin=brin[:4],
                          vestiging=vestiging[:2], source=error.source[:300], format="",
                          digest="", status=RUN_REJECTED, started_at=self.ctx.now(),
                          finished_at=self.ctx.now(), report=report)
            session.add(run)
            await session.flush()
            return RunResultDTO(source=error.source, brin=brin, vestiging=vestiging,
                                school_name=school.name if school else "",
                                status=RUN_REJECTED, counts={}, report=report, run_id=run.id)

    async def _notify(self, session, applied: Applied, run: SyncRun) -> int:
        """One summary per coördinator of the school, in the outbox, in this transaction."""
        coordinators = (await session.scalars(
            select(Person.id).join(Role, Role.person_id == Person.id)
            .where(Role.school_id == applied.school.id, Role.role == ROLE_COORDINATOR,
                   Person.is_active).order_by(Person.id))).all()
        if not coordinators:
            return 0
        names: dict[str, list[str]] = {}
        for kind, subject, _ in applied.changes:
            names.setdefault(kind, []).append(subject)
        summary = SyncSummaryDTO(
            school_id=applied.school.id, school_name=applied.school.name, run_id=run.id,
            counts=applied.counts(),
            names={k: tuple(v) for k, v in names.items()
                   if len(v) <= NAMES_SHOWN and k not in (c.AUTO_LINKED, c.REMINDER)},
            open=tuple(applied.open[:BUTTONS_SHOWN]),
            open_more=max(0, len(applied.open) - BUTTONS_SHOWN),
            auto_links=tuple(applied.auto_links[:BUTTONS_SHOWN]),
            auto_more=max(0, len(applied.auto_links) - BUTTONS_SHOWN),
            reminders=tuple(applied.reminders[:BUTTONS_SHOWN]),
            reminders_more=max(0, len(applied.reminders) - BUTTONS_SHOWN),
            run_at=run.finished_at or run.started_at,
        )
        for person_id in coordinators:
            outbox.enqueue(session, now=self.ctx.now(), person_id=person_id,
                           school_id=applied.school.id, run_id=run.id, kind=KIND_SYNC_SUMMARY,
                           payload=summary.to_payload())
        return len(coordinators)

    async def assign_coordinator(self, actor: Actor, brin: object, vestiging: object,
                                 email: object) -> str:
        """Make a known person ict-coördinator of a school whose deliveries carry no roles
        (EDEXML). Malmberg's operators only; audited. Returns the person's name."""
        if not actor.is_operator:
            raise NotAllowed(action="assign_coordinator")
        brin_text = str(brin or "").strip().upper()
        vest_text = str(vestiging or "00").strip().zfill(2)
        address = str(email or "").strip().lower()
        async with self.ctx.transaction(actor, "assign_coordinator") as session:
            school = await session.scalar(select(School).where(
                School.brin == brin_text, School.vestiging == vest_text))
            if school is None:
                raise NotFound("error.school_not_found")
            person = await session.scalar(select(Person).where(
                func.lower(Person.email) == address, Person.is_active))
            if person is None or not address:
                raise NotFound("error.person_not_found")
            exists = await session.scalar(select(Role.id).where(
                Role.person_id == person.id, Role.school_id == school.id,
                Role.role == ROLE_COORDINATOR))
            if exists is None:
                session.add(Role(person_id=person.id, school_id=school.id,
                                 role=ROLE_COORDINATOR))
                self.ctx.audit(session, actor, "assign_coordinator", school.id,
                               person_id=person.id)
            return person.full_name

    # -- 'Wijzigingen' --------------------------------------------------------------------------
    async def recent_runs(self, actor: Actor, school_id: object, page: object = 1) -> RunsDTO:
        """The school's runs that changed something (or were rejected), newest first."""
        async with self.ctx.read(actor, "sync_runs") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            stmt = (select(SyncRun).where(SyncRun.school_id == school.id,
                                          SyncRun.status != RUN_UNCHANGED)
                    .order_by(SyncRun.id.desc()))
            where, rows = await fetch_page(session, stmt, page_number(page), RUNS_PAGE_SIZE)
            return RunsDTO(school_id=school.id, school_name=school.name,
                           runs=where.of(_run_dto(run) for (run,) in rows))

    async def run_changes(self, actor: Actor, run_id: object, page: object = 1
                          ) -> RunChangesDTO:
        """One run's changes, in the summary's order of kinds."""
        rid = as_id(run_id, "run")
        async with self.ctx.read(actor, "sync_run_changes") as session:
            run = await session.get(SyncRun, rid)
            if run is None or run.school_id is None:
                raise NotFound("error.run_not_found")
            school = await self.ctx.coordinated_school(session, actor, run.school_id)
            order = case({kind: n for n, kind in enumerate(c.ORDER)}, value=SyncChange.kind,
                         else_=len(c.ORDER))
            stmt = (select(SyncChange).where(SyncChange.run_id == run.id)
                    .order_by(order, SyncChange.id))
            where, rows = await fetch_page(session, stmt, page_number(page), CHANGES_PAGE_SIZE)
            return RunChangesDTO(
                school_id=school.id, school_name=school.name, run=_run_dto(run),
                changes=where.of(ChangeDTO(kind=ch.kind, subject=ch.subject,
                                           detail=json.loads(ch.detail or "{}"))
                                 for (ch,) in rows))


def _run_dto(run: SyncRun) -> RunDTO:
    return RunDTO(id=run.id, at=run.finished_at or run.started_at, status=run.status,
                  counts=json.loads(run.summary or "{}"))
