"""Result exchange with the school's LVS (rule 11): couplings, their keys, status, school grades."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.errors import Conflict, NotAllowed, NotFound
from services.exchange.keys import clean_key, clean_system, mask
from services.exchange.lvs import (
    ACTIVE,
    PENDING,
    REJECTED,
    STATUSES,
    SYSTEMS,
    UNREACHABLE,
    LvsVerifier,
    SchoolIdentity,
    Verification,
)
from services.exchange.results import (
    CouplingDTO,
    CouplingRemovedDTO,
    CouplingSavedDTO,
    ExchangeDTO,
    RecheckDTO,
    VerifyReportDTO,
)
from services.models import (
    RESULT_QUEUED,
    RESULT_SET_ASIDE,
    LvsCoupling,
    LvsResult,
    Person,
    School,
)
from services.shared.context import SchoolRow, ServiceContext
from services.shared.inputs import as_flag, as_id

log = logging.getLogger(__name__)

VERIFY_CONCURRENCY = 8
# A check's claim older than this was left by a crashed worker: another may take it over.
CHECK_LEASE = timedelta(minutes=10)
# How many reasons for set-aside results a coupling names; more are counted together as one.
ASIDE_SHOWN = 5
ASIDE_OTHER = "other"


def _context(school_id: int, system: str) -> str:
    return f"lvs:{school_id}:{system}"


class ExchangeService:
    """Use cases of 'Resultaten uitwisselen'. The LVS clients come in through `lvs`; without
    them nothing is verified and couplings stay pending."""

    def __init__(self, ctx: ServiceContext, lvs: LvsVerifier | None = None) -> None:
        self.ctx = ctx
        self._lvs = lvs if lvs is not None else LvsVerifier()

    # -- reading ------------------------------------------------------------------------------
    async def exchange_overview(self, actor: Actor, school_id: object) -> ExchangeDTO:
        """The school's couplings (system, status, since, by whom, grades, masked key)."""
        async with self.ctx.read(actor, "exchange_overview") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            couplings = (
                await session.scalars(
                    select(LvsCoupling).where(LvsCoupling.school_id == school.id)
                )
            ).all()
            order = {system: n for n, system in enumerate(SYSTEMS)}
            dtos = [await self._coupling_dto(session, c) for c in couplings]
            return ExchangeDTO(
                school_id=school.id,
                school_name=school.name,
                couplings=tuple(sorted(dtos, key=lambda d: order.get(d.system, len(order)))),
                systems=tuple(SYSTEMS.items()),
            )

    async def coupling_for_system(
        self, actor: Actor, school_id: object, system: object
    ) -> CouplingDTO | None:
        """The school's coupling with this LVS, or None (to ask 'Vervangen?' before a key)."""
        async with self.ctx.read(actor, "coupling_for_system") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            coupling = await self._by_system(session, school.id, clean_system(system))
            return await self._coupling_dto(session, coupling) if coupling else None

    async def coupling_detail(
        self, actor: Actor, school_id: object, coupling_id: object, *, system: object = None
    ) -> CouplingDTO:
        """One coupling of the school. NotFound when it is gone (or, with `system`, is now a
        coupling with another LVS), NotAllowed for another school's coupling."""
        async with self.ctx.read(actor, "coupling_detail") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            coupling = await self._coupling_of_school(session, school, coupling_id, system)
            return await self._coupling_dto(session, coupling)

    # -- changing -----------------------------------------------------------------------------
    async def add_coupling(
        self, actor: Actor, school_id: object, system: object, key: object, *,
        replace: object = False,
    ) -> CouplingSavedDTO:
        """Save the school's consent for one LVS with its autorisatiesleutel, then check the
        key with the LVS (bounded by the client's timeout).

        The key is stored encrypted only. With `replace` an existing coupling for the same
        system gets the new key (its status starts again); without it an existing coupling is
        a Conflict. Raises InvalidInput for a bad system or key (nothing is saved).
        """
        replace = as_flag(replace)
        async with self.ctx.transaction(actor, "add_lvs_coupling") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            system = clean_system(system)
            key = clean_key(key)
            existing = await self._by_system(session, school.id, system)
            if existing is not None and not replace:
                raise Conflict("error.lvs_coupling_exists", system=SYSTEMS[system])
            blob = self.ctx.secrets.encrypt(key, context=_context(school.id, system))
            coupling = existing or LvsCoupling(school_id=school.id, system=system,
                                               forward_grades=False)
            coupling.key_secret = blob
            coupling.status = PENDING
            coupling.status_detail = ""
            coupling.created_by = actor.person_id
            coupling.created_at = self.ctx.now()
            coupling.verified_at = None
            coupling.active_since = None  # 'Actief sinds' counts from this key's first exchange
            if existing is None:
                session.add(coupling)
            try:
                await session.flush()
            except IntegrityError:  # another coördinator added the same system just now
                raise Conflict("error.lvs_coupling_exists", system=SYSTEMS[system]) from None
            action = "replace_lvs_coupling" if existing is not None else "add_lvs_coupling"
            self.ctx.audit(session, actor, action, school.id, coupling_id=coupling.id,
                           system=system)
            identity = self._identity(school)
            coupling_id = coupling.id
        # The check runs after the commit: no database lock is held while the LVS answers.
        verification = await self._lvs.verify(system, key, identity)
        dto = await self._record(actor, coupling_id, blob, verification)
        if dto is None:  # replaced or removed by someone else meanwhile
            raise NotFound("error.lvs_coupling_not_found")
        return CouplingSavedDTO(coupling=dto, replaced=existing is not None)

    async def set_forward_grades(
        self, actor: Actor, school_id: object, coupling_id: object, value: object, *,
        system: object = None,
    ) -> CouplingDTO:
        """Switch 'schoolcijfers doorsturen' on or off (to the value given, so a double click
        changes nothing more)."""
        wanted = as_flag(value)
        async with self.ctx.transaction(actor, "set_lvs_forward_grades") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            coupling = await self._coupling_of_school(session, school, coupling_id, system)
            if coupling.forward_grades != wanted:
                coupling.forward_grades = wanted
                self.ctx.audit(session, actor, "set_lvs_forward_grades", school.id,
                               coupling_id=coupling.id, system=coupling.system,
                               forward_grades=wanted)
            return await self._coupling_dto(session, coupling)

    async def remove_coupling(
        self, actor: Actor, school_id: object, coupling_id: object, *, system: object = None
    ) -> CouplingRemovedDTO:
        """Withdraw the school's consent: the coupling, its encrypted key and the results
        queued for it are deleted (without consent nothing more is sent)."""
        async with self.ctx.transaction(actor, "remove_lvs_coupling") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            coupling = await self._coupling_of_school(session, school, coupling_id, system)
            removed = CouplingRemovedDTO(school.id, coupling.system, SYSTEMS[coupling.system])
            self.ctx.audit(session, actor, "remove_lvs_coupling", school.id,
                           coupling_id=coupling.id, system=coupling.system)
            await session.execute(delete(LvsResult).where(
                LvsResult.school_id == school.id, LvsResult.system == coupling.system))
            await session.delete(coupling)
            return removed

    # -- verification -------------------------------------------------------------------------
    async def recheck_coupling(
        self, actor: Actor, school_id: object, coupling_id: object, *, system: object = None
    ) -> RecheckDTO:
        """The 'check again' button: ask the LVS whether it accepts the school's key, where
        that LVS agreed to a check by pupil data. Any other LVS is only checked by exchanging
        results: then nothing is asked and the result says so (`checked` False)."""
        async with self.ctx.read(actor, "recheck_lvs_coupling") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            coupling = await self._coupling_of_school(session, school, coupling_id, system)
            work = (coupling.id, coupling.system, coupling.key_secret, self._identity(school))
            key = self._key_of(coupling)
            if key is None or coupling.system not in self._lvs.configured:
                return RecheckDTO(await self._coupling_dto(session, coupling), checked=False)
        cid, system, blob, identity = work
        dto = await self._record(actor, cid, blob, await self._lvs.verify(system, key, identity))
        if dto is None:
            raise NotFound("error.lvs_coupling_not_found")
        return RecheckDTO(dto, checked=True)

    async def verify_pending(self, actor: Actor) -> VerifyReportDTO:
        """Check every coupling that is pending or was unreachable, a few at a time (the CLI's
        `results verify` and the periodic task of `serve`). Only couplings with an LVS that has
        a client here: the others cannot be checked, so they are not even read. Operators only.

        Several processes may run this at once: each coupling is claimed (`checking_since`,
        committed before any LVS is asked) so exactly one of them checks it. PostgreSQL skips
        rows another process is claiming (FOR UPDATE SKIP LOCKED); SQLite serialises the
        claiming transactions (BEGIN IMMEDIATE)."""
        now = self.ctx.now()
        async with self.ctx.transaction(actor, "verify_lvs_couplings") as session:
            if not actor.is_operator:
                raise NotAllowed(action="verify_lvs_couplings")
            query = (
                select(LvsCoupling, School)
                .join(School, School.id == LvsCoupling.school_id)
                .where(LvsCoupling.status.in_((PENDING, UNREACHABLE)),
                       LvsCoupling.system.in_(self._lvs.configured),
                       or_(LvsCoupling.checking_since.is_(None),
                           LvsCoupling.checking_since < now - CHECK_LEASE))
                .order_by(LvsCoupling.id)
            )
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True, of=LvsCoupling)
            rows = (await session.execute(query)).all()
            for coupling, _ in rows:
                coupling.checking_since = now
            work = [(c.id, c.system, c.key_secret, self._key_of(c), self._identity(s))
                    for c, s in rows]
        limit = asyncio.Semaphore(VERIFY_CONCURRENCY)
        counts: Counter[str] = Counter()

        async def check(cid, system, blob, key, identity) -> None:
            dto = None
            try:
                if key is None:
                    counts["unreadable"] += 1
                    return
                async with limit:
                    verification = await self._lvs.verify(system, key, identity)
                    dto = await self._record(actor, cid, blob, verification)
            finally:
                if dto is None:  # not recorded: the claim is given back at once
                    await self._release_check(cid)
            if dto is not None:
                counts[dto.status] += 1

        await asyncio.gather(*(check(*item) for item in work))
        return VerifyReportDTO(checked=len(work), by_status=tuple(sorted(counts.items())))

    async def _release_check(self, coupling_id: int) -> None:
        async with self.ctx.sessions.begin() as session:
            await session.execute(update(LvsCoupling).where(LvsCoupling.id == coupling_id)
                                  .values(checking_since=None))

    async def _record(
        self, actor: Actor, coupling_id: int, blob: bytes, verification: Verification
    ) -> CouplingDTO | None:
        """Store a check's outcome, unless the coupling was removed or got another key since."""
        if verification.status not in STATUSES:
            verification = Verification(UNREACHABLE, "invalid-status")
        async with self.ctx.transaction(actor, "verify_lvs_coupling") as session:
            coupling = await session.get(LvsCoupling, coupling_id, populate_existing=True)
            if coupling is None:
                return None
            coupling.checking_since = None
            if coupling.key_secret != blob:
                return None
            status = verification.status
            if status == PENDING and coupling.status == ACTIVE:
                status = ACTIVE  # not checkable right now is no reason to doubt a working key
            if status == ACTIVE and verification.status == ACTIVE:
                coupling.verified_at = self.ctx.now()
                coupling.active_since = coupling.active_since or coupling.verified_at
            elif status == REJECTED:
                coupling.active_since = None
            if coupling.status != status:
                self.ctx.audit(session, actor, "verify_lvs_coupling", coupling.school_id,
                               coupling_id=coupling.id, system=coupling.system,
                               status=status, previous=coupling.status, detail=verification.detail)
            coupling.status = status
            coupling.status_detail = verification.detail[:200]
            return await self._coupling_dto(session, coupling)

    # -- helpers ------------------------------------------------------------------------------
    def _identity(self, school: SchoolRow) -> SchoolIdentity:
        return SchoolIdentity(brin=school.brin, vestiging=school.vestiging,
                              school_year=self.ctx.school_year(), as_of=self.ctx.now())

    def _key_of(self, coupling: LvsCoupling) -> str | None:
        try:
            return self.ctx.secrets.decrypt(coupling.key_secret,
                                            context=_context(coupling.school_id, coupling.system))
        except ValueError:
            log.error("LVS-sleutel van koppeling %s is niet te ontsleutelen", coupling.id)
            return None

    async def _by_system(
        self, session: AsyncSession, school_id: int, system: str
    ) -> LvsCoupling | None:
        return await session.scalar(
            select(LvsCoupling).where(LvsCoupling.school_id == school_id,
                                      LvsCoupling.system == system)
        )

    async def _coupling_of_school(
        self, session: AsyncSession, school: SchoolRow, coupling_id: object, system: object = None
    ) -> LvsCoupling:
        """A coupling of this school; another school's coupling is a forged claim. A card names
        the coupling's LVS too: SQLite reuses the id of a removed coupling, and a button of an
        old card must not act on the school's next coupling with another LVS."""
        cid = as_id(coupling_id, "coupling")
        wanted = clean_system(system) if system is not None else None
        coupling = await session.get(LvsCoupling, cid)
        if coupling is None:
            raise NotFound("error.lvs_coupling_not_found")
        if coupling.school_id != school.id:
            raise NotAllowed(coupling_id=cid, school_id=school.id)
        if wanted is not None and coupling.system != wanted:
            raise NotFound("error.lvs_coupling_not_found")
        return coupling

    async def _coupling_dto(self, session: AsyncSession, coupling: LvsCoupling) -> CouplingDTO:
        person = await session.get(Person, coupling.created_by) if coupling.created_by else None
        key = self._key_of(coupling)
        counts = (await session.execute(
            select(LvsResult.status, LvsResult.reason, func.count())
            .where(LvsResult.school_id == coupling.school_id,
                   LvsResult.system == coupling.system,
                   LvsResult.status.in_((RESULT_QUEUED, RESULT_SET_ASIDE)))
            .group_by(LvsResult.status, LvsResult.reason))).all()
        queued = sum(n for status, _, n in counts if status == RESULT_QUEUED)
        school = await session.get(School, coupling.school_id)
        aside = sorted(((reason, n) for status, reason, n in counts
                        if status == RESULT_SET_ASIDE), key=lambda item: (-item[1], item[0]))
        if len(aside) > ASIDE_SHOWN:  # the card lists a few reasons; the rest as 'other'
            rest = sum(n for _, n in aside[ASIDE_SHOWN - 1:])
            aside = [*aside[:ASIDE_SHOWN - 1], (ASIDE_OTHER, rest)]
        return CouplingDTO(
            id=coupling.id,
            school_id=coupling.school_id,
            system=coupling.system,
            system_name=SYSTEMS.get(coupling.system, coupling.system),
            status=coupling.status,
            masked_key=mask(key) if key is not None else None,
            forward_grades=coupling.forward_grades,
            created_at=coupling.created_at,
            created_by=person.full_name if person else None,
            verified_at=coupling.verified_at,
            active_since=coupling.active_since,
            last_exchange_at=coupling.last_exchange_at,
            results_sent=coupling.results_sent or 0,
            queued=queued,
            set_aside=tuple(aside),
            status_detail=coupling.status_detail or "",
            brin=school.brin if school else "",
            vestiging=school.vestiging if school else "",
        )
