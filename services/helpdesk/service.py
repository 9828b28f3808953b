"""Helpdesk handoff (rule 8): a coördinator cannot undo a kindlicentie seat; they open a ticket,
a Malmberg helpdesk agent executes or rejects it, and the coördinator is told."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.helpdesk.results import (
    KIND_TICKET_CHANNEL,
    KIND_TICKET_MAIL,
    KIND_TICKET_OUTCOME,
    MAX_REASON,
    SCOPE_HELPDESK,
    IntendedChoiceDTO,
    ResolutionDTO,
    TicketDTO,
    TicketFormDTO,
    TicketPreviewDTO,
    TicketsDTO,
)
from services.models import (
    MODEL_CHILD,
    ROLE_PUPIL,
    TICKET_EXECUTED,
    TICKET_OPEN,
    TICKET_REJECTED,
    ChildAssignment,
    ConversationRef,
    HelpdeskTicket,
    Licence,
    Person,
    Product,
    Role,
    School,
)
from services.shared import licences as shared
from services.shared import outbox
from services.shared.context import SchoolRow, ServiceContext
from services.shared.inputs import as_id, page_number
from services.shared.paging import fetch_page
from services.shared.queries import child_dto, groups_of, pupil_groups, pupils_of_group

TICKETS_PAGE_SIZE = 10


def ticket_number(ticket_id: int) -> str:
    return f"HD-{ticket_id:06d}"


def reason_text(value: object, *, field: str = "reason") -> str:
    """A short free text: required, at most MAX_REASON characters, no control characters."""
    if not isinstance(value, str):
        raise InvalidInput("error.reason_missing")
    text = " ".join(value.split())
    if not text:
        raise InvalidInput("error.reason_missing")
    if len(text) > MAX_REASON or not text.isprintable():
        raise InvalidInput("error.reason_too_long", max=MAX_REASON)
    return text


class HelpdeskService:
    """Tickets: opened by a coördinator of the licence's school, resolved once by an agent
    whose Entra object id is in `agents`."""

    def __init__(self, ctx: ServiceContext, agents: Iterable[str] = ()) -> None:
        self.ctx = ctx
        self.agents = frozenset(a.strip().lower() for a in agents if a.strip())

    def is_agent(self, aad_object_id: str | None) -> bool:
        return bool(aad_object_id) and aad_object_id.lower() in self.agents

    # -- the coördinator ------------------------------------------------------------------------
    async def ticket_form(self, actor: Actor, licence_id: object) -> TicketFormDTO:
        """'Verkeerd kind gekoppeld?': the children on the kindlicentie (only they can be
        named), and the school's groups for the intended child."""
        async with self.ctx.read(actor, "ticket_form") as session:
            licence, school = await shared.managed_licence(self.ctx, session, actor, licence_id,
                                                           MODEL_CHILD)
            rows = (await session.scalars(
                select(Person).join(ChildAssignment, ChildAssignment.person_id == Person.id)
                .where(ChildAssignment.licence_id == licence.id))).all()
            if not rows:
                raise Conflict("error.no_children_assigned")
            groups = await pupil_groups(session, school.id, [p.id for p in rows])
            return TicketFormDTO(
                licence=await shared.licence_dto(session, licence),
                assigned=tuple(child_dto(p, groups.get(p.id))
                               for p in sorted(rows, key=lambda p: p.sort_name)),
                groups=await groups_of(session, school.id))

    async def intended_choice(self, actor: Actor, licence_id: object, group_id: object
                              ) -> IntendedChoiceDTO:
        """The pupils of one group of the school who are not on the licence."""
        async with self.ctx.read(actor, "ticket_intended") as session:
            licence, school = await shared.managed_licence(self.ctx, session, actor, licence_id,
                                                           MODEL_CHILD)
            group = await self.ctx.group_of_school(session, school, group_id)
            seated = await shared.on_licence(session, licence)
            children = tuple(child_dto(p, group) for p in await pupils_of_group(session, group)
                             if p.id not in seated)
            return IntendedChoiceDTO(licence=await shared.licence_dto(session, licence),
                                     group_name=group.name, children=children)

    async def preview_ticket(self, actor: Actor, licence_id: object, wrong_child_id: object,
                             intended_child_id: object, reason: object) -> TicketPreviewDTO:
        """The ticket checked as open_ticket checks it, for the confirmation card."""
        text = reason_text(reason)
        async with self.ctx.read(actor, "preview_ticket") as session:
            licence, school, wrong, intended = await self._checked(
                session, actor, licence_id, wrong_child_id, intended_child_id)
            groups = await pupil_groups(session, school.id,
                                        [p.id for p in (wrong, intended) if p is not None])
            return TicketPreviewDTO(
                licence=await shared.licence_dto(session, licence),
                wrong=child_dto(wrong, groups.get(wrong.id)),
                intended=child_dto(intended, groups.get(intended.id)) if intended else None,
                reason=text)

    async def open_ticket(self, actor: Actor, licence_id: object, wrong_child_id: object,
                          intended_child_id: object, reason: object) -> TicketDTO:
        """A ticket for a child on the actor's kindlicentie, and its e-mail to the helpdesk
        in the outbox. The intended child, if named, must be an active pupil of the school
        without a seat on the licence. Raises NotFound for a child not on the licence,
        InvalidInput for a bad reason or intended child."""
        text = reason_text(reason)
        async with self.ctx.transaction(actor, "open_ticket") as session:
            licence, school, wrong, intended = await self._checked(
                session, actor, licence_id, wrong_child_id, intended_child_id)
            ticket = HelpdeskTicket(
                school_id=school.id, licence_id=licence.id, wrong_child_id=wrong.id,
                intended_child_id=intended.id if intended else None, reason=text,
                status=TICKET_OPEN, created_by=actor.person_id, created_at=self.ctx.now())
            session.add(ticket)
            await session.flush()
            self.ctx.audit(session, actor, "open_ticket", school.id, ticket_id=ticket.id,
                           licence_id=licence.id, wrong_child_id=wrong.id,
                           intended_child_id=ticket.intended_child_id)
            dto = await self._dto(session, ticket)
            self._enqueue(session, KIND_TICKET_MAIL, None, dto)
            self._enqueue(session, KIND_TICKET_CHANNEL, None, dto)
            return dto

    async def _checked(self, session: AsyncSession, actor: Actor, licence_id: object,
                       wrong_child_id: object, intended_child_id: object):
        licence, school = await shared.managed_licence(self.ctx, session, actor, licence_id,
                                                       MODEL_CHILD)
        wrong = await self._assigned_child(session, licence, wrong_child_id)
        intended = None
        if intended_child_id not in (None, ""):
            intended = await self._pupil(session, school, as_id(intended_child_id, "child"))
            if intended is None or intended.id == wrong.id:
                raise InvalidInput("error.intended_not_pupil")
            if await self._has_seat(session, licence, intended.id):
                raise Conflict("error.intended_has_seat", name=intended.full_name)
        return licence, school, wrong, intended

    async def list_tickets(self, actor: Actor, school_id: object, page: object = 1
                           ) -> TicketsDTO:
        """'Mijn meldingen': the school's tickets with their status, newest first."""
        async with self.ctx.read(actor, "list_tickets") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            stmt = (select(HelpdeskTicket).where(HelpdeskTicket.school_id == school.id)
                    .order_by(HelpdeskTicket.id.desc()))
            where, rows = await fetch_page(session, stmt, page_number(page), TICKETS_PAGE_SIZE)
            return TicketsDTO(school_id=school.id, school_name=school.name,
                              tickets=where.of([await self._dto(session, t) for (t,) in rows]))

    # -- the helpdesk ---------------------------------------------------------------------------
    @staticmethod
    def _agent(agent_id: str | None, agent_name: str) -> Actor:
        return Actor(person_id=None, name=agent_name or "helpdesk",
                     extra={"agent": agent_id or ""})

    async def open_tickets(self, agent_id: str | None) -> tuple[TicketDTO, ...]:
        """Every open ticket, oldest first, for an agent only."""
        actor = self._agent(agent_id, "")
        async with self.ctx.read(actor, "helpdesk_open_tickets") as session:
            self._check_agent(agent_id, "open")
            tickets = (await session.scalars(select(HelpdeskTicket).where(
                HelpdeskTicket.status == TICKET_OPEN).order_by(HelpdeskTicket.id))).all()
            return tuple([await self._dto(session, t) for t in tickets])

    async def ticket(self, agent_id: str | None, ticket_id: object) -> TicketDTO:
        """One ticket, for an agent only."""
        actor = self._agent(agent_id, "")
        async with self.ctx.read(actor, "helpdesk_ticket") as session:
            self._check_agent(agent_id, ticket_id)
            ticket = await self._ticket(session, ticket_id)
            return await self._dto(session, ticket)

    async def execute(self, agent_id: str | None, agent_name: str, ticket_id: object
                      ) -> ResolutionDTO:
        """Apply the correction in one transaction: the wrong child's seat ends, the intended
        child (if still an active pupil of the school without a seat) gets it, the ticket
        closes and the coördinator is told. A ticket is executed once: a second click, or two
        agents at once, finds it handled and changes nothing."""
        actor = self._agent(agent_id, agent_name)
        async with self.ctx.transaction(actor, "execute_ticket") as session:
            self._check_agent(agent_id, ticket_id)
            ticket = await self._ticket(session, ticket_id)
            if not await self._claim(session, ticket, TICKET_EXECUTED, agent_id, agent_name):
                return ResolutionDTO(await self._dto(session, ticket), applied=False)
            licence = await session.get(Licence, ticket.licence_id)
            school = await session.get(School, ticket.school_id)
            removed = await session.execute(delete(ChildAssignment).where(
                ChildAssignment.licence_id == licence.id,
                ChildAssignment.person_id == ticket.wrong_child_id))
            seats_freed = removed.rowcount or 0
            skipped = False
            if ticket.intended_child_id is not None:
                intended = await self._pupil(session, school, ticket.intended_child_id)
                # The intended child takes the freed seat only: never one seat too many.
                if (intended is None or seats_freed == 0
                        or await self._has_seat(session, licence, intended.id)):
                    skipped = True
                else:
                    session.add(ChildAssignment(licence_id=licence.id, person_id=intended.id,
                                                assigned_by=None, assigned_at=self.ctx.now()))
                    seats_freed -= 1
            await session.execute(update(Licence).where(Licence.id == licence.id).values(
                seats_taken=Licence.seats_taken - seats_freed))
            ticket.outcome = "intended_skipped" if skipped else ""
            self.ctx.audit(session, actor, "execute_ticket", school.id, ticket_id=ticket.id,
                           agent=agent_id, intended_skipped=skipped)
            await session.flush()
            dto = await self._dto(session, ticket)
            self._tell_coordinator(session, ticket, dto)
            return ResolutionDTO(dto, applied=True, intended_skipped=skipped)

    async def reject(self, agent_id: str | None, agent_name: str, ticket_id: object,
                     reason: object) -> ResolutionDTO:
        """Close the ticket without a change, with the reason the coördinator is told."""
        text = reason_text(reason)
        actor = self._agent(agent_id, agent_name)
        async with self.ctx.transaction(actor, "reject_ticket") as session:
            self._check_agent(agent_id, ticket_id)
            ticket = await self._ticket(session, ticket_id)
            if not await self._claim(session, ticket, TICKET_REJECTED, agent_id, agent_name):
                return ResolutionDTO(await self._dto(session, ticket), applied=False)
            ticket.outcome = text
            self.ctx.audit(session, actor, "reject_ticket", ticket.school_id,
                           ticket_id=ticket.id, agent=agent_id)
            await session.flush()
            dto = await self._dto(session, ticket)
            self._tell_coordinator(session, ticket, dto)
            return ResolutionDTO(dto, applied=True)

    async def register_channel(self, agent_id: str | None, agent_name: str,
                               conversation_id: str, tenant_id: str | None, service_url: str,
                               reference: dict) -> None:
        """The channel an agent named the bot in with 'helpdesk' receives the tickets from now
        on (the one most recently named, if there are several)."""
        actor = self._agent(agent_id, agent_name)
        async with self.ctx.transaction(actor, "helpdesk_channel") as session:
            self._check_agent(agent_id, conversation_id)
            ref = await session.scalar(select(ConversationRef).where(
                ConversationRef.conversation_id == conversation_id))
            if ref is None:
                ref = ConversationRef(conversation_id=conversation_id)
                session.add(ref)
            ref.person_id = None
            ref.tenant_id = tenant_id
            ref.scope = SCOPE_HELPDESK
            ref.service_url = service_url
            ref.reference = json.dumps(reference, sort_keys=True)
            ref.updated_at = self.ctx.now()
            ref.stale_at = None
            self.ctx.audit(session, actor, "helpdesk_channel", None, agent=agent_id,
                           conversation_id=conversation_id[:200])

    # -- helpers --------------------------------------------------------------------------------
    def _check_agent(self, agent_id: str | None, ticket_id: object) -> None:
        if not self.is_agent(agent_id):
            raise NotAllowed("error.not_an_agent", ticket_id=str(ticket_id)[:20],
                             agent=str(agent_id or "")[:64])

    async def _ticket(self, session: AsyncSession, ticket_id: object) -> HelpdeskTicket:
        ticket = await session.get(HelpdeskTicket, as_id(ticket_id, "ticket"))
        if ticket is None:
            raise NotFound("error.ticket_not_found")
        return ticket

    async def _claim(self, session: AsyncSession, ticket: HelpdeskTicket, status: str,
                     agent_id: str | None, agent_name: str) -> bool:
        """Open → executed/rejected as one conditional UPDATE: of two clicks at once exactly
        one sees a row changed."""
        claimed = await session.execute(
            update(HelpdeskTicket)
            .where(HelpdeskTicket.id == ticket.id, HelpdeskTicket.status == TICKET_OPEN)
            .values(status=status, resolved_by=(agent_id or "")[:64],
                    resolved_by_name=(agent_name or "")[:200], resolved_at=self.ctx.now()))
        await session.refresh(ticket)
        return claimed.rowcount == 1

    async def _assigned_child(self, session: AsyncSession, licence: Licence,
                              child_id: object) -> Person:
        pid = as_id(child_id, "child")
        if not await self._has_seat(session, licence, pid):
            raise NotFound("error.child_not_assigned")
        return await session.get(Person, pid)

    @staticmethod
    async def _has_seat(session: AsyncSession, licence: Licence, person_id: int) -> bool:
        return await session.scalar(select(ChildAssignment.id).where(
            ChildAssignment.licence_id == licence.id,
            ChildAssignment.person_id == person_id)) is not None

    @staticmethod
    async def _pupil(session: AsyncSession, school: SchoolRow, person_id: int) -> Person | None:
        return await session.scalar(
            select(Person).join(Role, Role.person_id == Person.id)
            .where(Person.id == person_id, Person.is_active, Role.school_id == school.id,
                   Role.role == ROLE_PUPIL))

    async def _dto(self, session: AsyncSession, ticket: HelpdeskTicket) -> TicketDTO:
        school = await session.get(School, ticket.school_id)
        licence, product = (await session.execute(
            select(Licence, Product).join(Product, Product.id == Licence.product_id)
            .where(Licence.id == ticket.licence_id))).one()
        wrong = await session.get(Person, ticket.wrong_child_id)
        intended = (await session.get(Person, ticket.intended_child_id)
                    if ticket.intended_child_id else None)
        creator = await session.get(Person, ticket.created_by) if ticket.created_by else None
        groups = await pupil_groups(session, school.id,
                                    [p.id for p in (wrong, intended) if p is not None])
        return TicketDTO(
            id=ticket.id, number=ticket_number(ticket.id), status=ticket.status,
            school_id=school.id, school_name=school.name, brin=school.brin,
            vestiging=school.vestiging, licence_id=licence.id,
            licence_name=f"{product.name} groep {licence.year_levels}",
            school_year=licence.school_year, wrong_child_id=wrong.id,
            wrong_child_name=wrong.full_name,
            wrong_child_group=groups[wrong.id].name if wrong.id in groups else None,
            intended_child_id=intended.id if intended else None,
            intended_child_name=intended.full_name if intended else None,
            intended_child_group=(groups[intended.id].name
                                  if intended and intended.id in groups else None),
            reason=ticket.reason, created_by_name=creator.full_name if creator else "",
            created_at=ticket.created_at, resolved_by_name=ticket.resolved_by_name,
            outcome=ticket.outcome)

    def _tell_coordinator(self, session: AsyncSession, ticket: HelpdeskTicket,
                          dto: TicketDTO) -> None:
        """The outcome to the coördinator who opened the ticket, through the outbox."""
        if ticket.created_by is not None:
            self._enqueue(session, KIND_TICKET_OUTCOME, ticket.created_by, dto)

    def _enqueue(self, session: AsyncSession, kind: str, person_id: int | None,
                 dto: TicketDTO) -> None:
        outbox.enqueue(session, now=self.ctx.now(), person_id=person_id,
                       school_id=dto.school_id, run_id=None, kind=kind,
                       payload=dto.to_payload())
