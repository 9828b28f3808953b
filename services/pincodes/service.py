"""Pincodes (rule 10): look up, reveal, change, switch a group's login mode, print, issue."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.actor import Actor
from services.driver_rows import Read, all_rows
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.matching import match_groups
from services.models import (
    ROLE_PUPIL,
    Group,
    GroupMember,
    Person,
    PupilCredential,
    Role,
    full_name,
)
from services.pincodes.codes import check_code, generate_code
from services.pincodes.links import PINCODE_PATH, LinkRefused, issue, verify
from services.pincodes.results import (
    MODES,
    GroupRefDTO,
    LoginModeDTO,
    PincodeCardDTO,
    PincodeChangeDTO,
    PincodeGroupChoiceDTO,
    PincodeGroupDTO,
    PincodePupilDTO,
    PincodeSheetDTO,
    PincodeStartDTO,
    PrintLinkDTO,
    PupilCodeDTO,
)
from services.pincodes.shown import ShownCodesStore
from services.secrets import SecretBox
from services.shared.bulk import insert_many
from services.shared.context import GroupRow, SchoolRow, ServiceContext, group_row_read
from services.shared.inputs import as_id, page_number, query_text
from services.shared.paging import fetch_page, page_read
from services.shared.predicates import active_person, live_group
from services.shared.queries import (
    GROUP_PUPIL_ROWS,
    live_groups,
    pupil_counts,
    pupils_of_group,
    school_by_code,
)

log = logging.getLogger(__name__)

# A page of codes stays well under Teams' ~28 KB per message with long names and pictures.
PINCODE_PAGE_SIZE = 25
LINK_KIND = "pincodes"

_CREDENTIALS = PupilCredential.__table__
# Whether each pupil of the group has a code of the group's kind: a few dozen rows, known
# before the page is read, so on PostgreSQL they go with the checks and the page in one round
# trip. The secrets only of the page that reveals them.
_CREDENTIAL_KINDS_OF_GROUP = select(_CREDENTIALS.c.person_id, _CREDENTIALS.c.kind).where(
    _CREDENTIALS.c.person_id.in_(select(GroupMember.person_id).where(
        GroupMember.group_id == bindparam("group"), GroupMember.role == ROLE_PUPIL)))
_CREDENTIALS_SHOWN = select(
    _CREDENTIALS.c.person_id, _CREDENTIALS.c.kind, _CREDENTIALS.c.secret).where(
    _CREDENTIALS.c.person_id.in_(bindparam("people", expanding=True)))


def credential_context(person_id: int) -> str:
    """Binds a ciphertext to its pupil: copied to another row it does not decrypt."""
    return f"pincode:{person_id}"


def read_code(box: SecretBox, credential: PupilCredential) -> str | None:
    """The plaintext code, or None when it cannot be decrypted (wrong key, damaged row)."""
    try:
        return box.decrypt(credential.secret, credential_context(credential.person_id))
    except ValueError:
        log.warning("pincode van persoon %s is niet te ontsleutelen", credential.person_id)
        return None


def store_code(session: AsyncSession, box: SecretBox, person_id: int, mode: str, code: str,
               credential: PupilCredential | None, now=None) -> None:
    """Write a pupil's code, encrypted; the plaintext goes nowhere else."""
    secret = box.encrypt(code, credential_context(person_id))
    if credential is None:
        session.add(PupilCredential(person_id=person_id, kind=mode, secret=secret))
        return
    credential.kind = mode
    credential.secret = secret
    if now is not None:
        credential.updated_at = now


async def issue_missing_pincodes(session: AsyncSession, box: SecretBox, *,
                                 school_id: int | None = None) -> int:
    """Give every active pupil of a live group a code of the group's kind when they have none,
    or one of the other kind (moved to a group that logs in differently). For the demo data
    and the nightly sync, inside their own transaction. Returns how many codes were issued."""
    stmt = (
        select(GroupMember.person_id, Group.login_mode, PupilCredential.kind)
        .join(Group, Group.id == GroupMember.group_id)
        .join(Person, Person.id == GroupMember.person_id)
        .outerjoin(PupilCredential, PupilCredential.person_id == GroupMember.person_id)
        .where(GroupMember.role == ROLE_PUPIL, live_group(), active_person())
        .order_by(GroupMember.person_id, Group.id)
    )
    if school_id is not None:
        stmt = stmt.where(Group.school_id == school_id)
    wanted: dict[int, tuple[str, str | None]] = {}
    for person_id, mode, kind in (await session.execute(stmt)).all():
        wanted.setdefault(person_id, (mode, kind))  # a pupil in two groups: the first one
    # Written with one multi-row statement per kind of change rather than an ORM object per
    # pupil: a school's first delivery issues hundreds of codes, a national night millions.
    new_rows, changed_rows = [], []
    for person_id, (mode, kind) in wanted.items():
        if kind == mode:
            continue
        secret = box.encrypt(generate_code(mode), credential_context(person_id))
        if kind is None:
            new_rows.append({"person_id": person_id, "kind": mode, "secret": secret})
        else:
            changed_rows.append({"person_id": person_id, "kind": mode, "secret": secret})
    await insert_many(session, PupilCredential, new_rows)
    if changed_rows:  # by primary key, as the ORM's bulk UPDATE does
        await session.execute(update(PupilCredential), changed_rows)
    return len(new_rows) + len(changed_rows)


def _group_page_reads(group_id: object, page: int) -> list[Read]:
    """The group's check, its page of pupils and their kinds of code, as pincode_group reads
    them without revealing; none for a garbled group id (group_row_of_school refuses it,
    after the school's check)."""
    try:
        gid = as_id(group_id, "group")
    except InvalidInput:
        return []
    return [group_row_read(gid),
            page_read(GROUP_PUPIL_ROWS, page, PINCODE_PAGE_SIZE, {"group": gid}),
            Read(_CREDENTIAL_KINDS_OF_GROUP, {"group": gid})]


class PincodeService:
    """Pupils' login codes: every use case checks that the actor coordinates the group's school."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.shown = ShownCodesStore(ctx)  # chat messages that show codes right now

    # -- helpers ----------------------------------------------------------------------------------
    def _link_key(self) -> bytes:
        return self.ctx.secrets.derive_key("download-links")

    async def _credentials(self, session: AsyncSession, person_ids: list[int]
                           ) -> dict[int, PupilCredential]:
        if not person_ids:
            return {}
        rows = await session.scalars(
            select(PupilCredential).where(PupilCredential.person_id.in_(person_ids)))
        return {c.person_id: c for c in rows.all()}

    def _code_of(self, credential: PupilCredential | None, group: Group | GroupRow
                 ) -> str | None:
        if credential is None or credential.kind != group.login_mode:
            return None
        return read_code(self.ctx.secrets, credential)

    async def _pupil_of_group(self, session: AsyncSession, school: SchoolRow, group: Group,
                              person_id: object) -> Person:
        """An active pupil of this group; another school's pupil is a forged claim."""
        pid = as_id(person_id, "pupil")
        member = await session.scalar(
            select(Person)
            .join(GroupMember, GroupMember.person_id == Person.id)
            .where(GroupMember.group_id == group.id, GroupMember.role == ROLE_PUPIL,
                   Person.id == pid, active_person())
        )
        if member is not None:
            return member
        of_school = await session.scalar(
            select(Role.id).where(Role.person_id == pid, Role.school_id == school.id))
        if of_school is None and await session.get(Person, pid) is not None:
            raise NotAllowed(person_id=pid, school_id=school.id)
        raise NotFound("error.pupil_not_found", group=group.name)

    async def _group_dto(self, session: AsyncSession | AsyncConnection, school: SchoolRow,
                         group: Group | GroupRow, *,
                         reveal: bool, page: int = 1) -> PincodeGroupDTO:
        # Rows, not ORM objects: the page is only shown; the secret is read only to reveal.
        where, rows = await fetch_page(session, GROUP_PUPIL_ROWS, page, PINCODE_PAGE_SIZE,
                                       {"group": group.id})
        shown = (_CREDENTIALS_SHOWN, {"people": [row[0] for row in rows]}) if reveal else (
            _CREDENTIAL_KINDS_OF_GROUP, {"group": group.id})
        credentials = {row.person_id: row for row in await all_rows(
            session, *shown)} if rows else {}
        pupils = []
        for person_id, first, middle, last in rows:
            credential = credentials.get(person_id)
            has_code = credential is not None and credential.kind == group.login_mode
            code = self._code_of(credential, group) if reveal and has_code else None
            pupils.append(PupilCodeDTO(
                person_id=person_id, name=full_name(first, middle, last), has_code=has_code,
                code=code, unreadable=reveal and has_code and code is None, first_name=first,
            ))
        return PincodeGroupDTO(
            school_id=school.id, school_name=school.name, group_id=group.id,
            group_name=group.name, login_mode=group.login_mode, pupils=tuple(pupils),
            revealed=reveal, page=where.page, page_count=where.page_count, total=where.total,
        )

    @staticmethod
    async def _lock(session: AsyncSession, group: Group) -> None:
        """Hold the group's row until the transaction ends and read it again, so a switch of its
        login mode and a change of one pupil's code cannot interleave (on PostgreSQL; SQLite
        has one writer at a time anyway)."""
        await session.execute(select(Group.id).where(Group.id == group.id).with_for_update())
        await session.refresh(group)

    # -- use cases -----------------------------------------------------------------------------
    async def open_pincodes(self, actor: Actor, school_id: object,
                            group_query: object = None) -> PincodeStartDTO:
        """Start of 'Pincodes': the school's groups to pick from, or straight away the one group
        a typed name ('groep 4', '4B') matches. Codes stay hidden.

        Raises NotAllowed when the actor is no coördinator of the school, InvalidInput for a
        query that is not text or too long.
        """
        if group_query is not None and not isinstance(group_query, str):
            raise InvalidInput("error.invalid_field", field="group")
        query = query_text(group_query)
        async with self.ctx.read(actor, "open_pincodes") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            groups = await live_groups(session, school.id)
            counts = await pupil_counts(session, school.id)
            ordered = groups
            not_found = False
            if query:
                ids = match_groups(query, {g.id: g.name for g in ordered})
                if len(ids) == 1:
                    group = next(g for g in ordered if g.id == ids[0])
                    return PincodeStartDTO(
                        school_id=school.id, school_name=school.name,
                        group=await self._group_dto(session, school, group, reveal=False),
                        groups=(), query=query)
                if ids:
                    ordered = [g for g in ordered if g.id in ids]
                not_found = not ids
            choices = tuple(
                PincodeGroupChoiceDTO(id=g.id, name=g.name, login_mode=g.login_mode,
                                      pupil_count=counts.get(g.id, 0))
                for g in ordered
            )
            return PincodeStartDTO(school_id=school.id, school_name=school.name, group=None,
                                   groups=choices, query=query,
                                   not_found=not_found)

    async def pincode_group(self, actor: Actor, school_id: object, group_id: object, *,
                            reveal: bool = False, page: object = 1) -> PincodeGroupDTO:
        """A group's pupils with their login mode; with `reveal` also their codes (audited as
        'reveal_pincodes': who, which group, how many; never a code).

        Raises NotAllowed for another school's group, NotFound for a group that is gone.
        """
        page_no = page_number(page)
        sid = as_id(school_id, "school")
        # Revealing writes an audit event; showing only reads rows, and reads the checks of
        # school and group and the page together (nothing is read ahead in a transaction).
        scope = self.ctx.transaction if reveal else self.ctx.read_rows
        async with scope(actor, "pincode_group") as session, self.ctx.checked_together(
                session, actor, sid, *_group_page_reads(group_id, page_no)):
            school = await self.ctx.coordinated_school(session, actor, sid)
            group = await self.ctx.group_row_of_school(session, school, group_id)
            dto = await self._group_dto(session, school, group, reveal=reveal, page=page_no)
            if reveal:
                self.ctx.audit(session, actor, "reveal_pincodes", school.id, group_id=group.id,
                               page=dto.page, pupils=len(dto.pupils))
            return dto

    def pincode_group_reads(self, actor: Actor, school_id: object, group_id: object,
                            page: object = 1) -> list[Read]:
        """What pincode_group reads without revealing (none for values it refuses)."""
        try:
            return self.ctx.checked_reads(actor, as_id(school_id, "school"),
                                          *_group_page_reads(group_id, page_number(page)))
        except InvalidInput:
            return []

    async def pincode_pupil(self, actor: Actor, school_id: object, group_id: object,
                            person_id: object) -> PincodePupilDTO:
        """One pupil of a group, for the 'Wijzig pincode' card (no code)."""
        async with self.ctx.read(actor, "pincode_pupil") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            group = await self.ctx.group_of_school(session, school, group_id)
            pupil = await self._pupil_of_group(session, school, group, person_id)
            return PincodePupilDTO(school_id=school.id, group_id=group.id, group_name=group.name,
                                   person_id=pupil.id, name=pupil.full_name,
                                   login_mode=group.login_mode)

    async def change_pincode(self, actor: Actor, school_id: object, group_id: object,
                             person_id: object, code: object = None) -> PincodeChangeDTO:
        """Give one pupil a new code of the group's kind: the typed `code` (digits: 4–6
        digits; pictures: 4 different ones of the 16, as a list or 'zon-maan-ster-hart'), or
        with `code=None` a generated one. Audited without the code.

        Raises InvalidInput ('error.pincode_*') when the code breaks a rule or is the pupil's
        current code, NotAllowed for another school's group or pupil, NotFound for a pupil who
        is no longer in the group.
        """
        async with self.ctx.transaction(actor, "change_pincode") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            group = await self.ctx.group_of_school(session, school, group_id)
            await self._lock(session, group)
            pupil = await self._pupil_of_group(session, school, group, person_id)
            credential = await session.get(PupilCredential, pupil.id)
            current = self._code_of(credential, group)
            if code is None:
                new = generate_code(group.login_mode, current)
            else:
                new = check_code(group.login_mode, code, current)
            store_code(session, self.ctx.secrets, pupil.id, group.login_mode, new, credential,
                       self.ctx.now())
            self.ctx.audit(session, actor, "change_pincode", school.id, group_id=group.id,
                           person_id=pupil.id, kind=group.login_mode, generated=code is None)
            return PincodeChangeDTO(
                pupil=PincodePupilDTO(school_id=school.id, group_id=group.id,
                                      group_name=group.name, person_id=pupil.id,
                                      name=pupil.full_name, login_mode=group.login_mode),
                code=new, generated=code is None)

    async def switch_login_mode(self, actor: Actor, school_id: object, group_id: object,
                                mode: object) -> LoginModeDTO:
        """Switch a group between pictures and digits; every pupil of the group gets a new code
        of that kind, all in one transaction.

        Raises Conflict when the group already uses that mode (a double click), InvalidInput
        for an unknown mode.
        """
        if mode not in MODES:
            raise InvalidInput("error.invalid_field", field="login_mode")
        async with self.ctx.transaction(actor, "switch_login_mode") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            group = await self.ctx.group_of_school(session, school, group_id)
            await self._lock(session, group)
            if group.login_mode == mode:
                raise Conflict("error.login_mode_same", group=group.name)
            pupils = await pupils_of_group(session, group)
            credentials = await self._credentials(session, [p.id for p in pupils])
            previous = group.login_mode
            group.login_mode = str(mode)
            for pupil in pupils:
                store_code(session, self.ctx.secrets, pupil.id, group.login_mode,
                           generate_code(group.login_mode), credentials.get(pupil.id),
                           self.ctx.now())
            self.ctx.audit(session, actor, "switch_login_mode", school.id, group_id=group.id,
                           previous=previous, login_mode=group.login_mode, pupils=len(pupils))
            return LoginModeDTO(school_id=school.id, group_id=group.id, group_name=group.name,
                                login_mode=group.login_mode, pupil_count=len(pupils))

    async def pincode_print_link(self, actor: Actor, school_id: object,
                                 group_id: object) -> PrintLinkDTO:
        """A signed link to the group's pincode PDF, bound to this school, group and person and
        valid for 10 minutes. The path is relative to the bot's public base URL."""
        if actor.person_id is None:
            raise InvalidInput("error.invalid_field", field="person")
        async with self.ctx.transaction(actor, "pincode_print_link") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            group = await self.ctx.group_of_school(session, school, group_id)
            pupils = await pupils_of_group(session, group)
            token, expires_at = issue(self._link_key(), LINK_KIND, school.id, group.id,
                                      actor.person_id, self.ctx.now())
            self.ctx.audit(session, actor, "pincode_print_link", school.id, group_id=group.id,
                           expires_at=expires_at.isoformat())
            return PrintLinkDTO(school_id=school.id, group_id=group.id, group_name=group.name,
                                path=PINCODE_PATH + token, expires_at=expires_at,
                                pupil_count=len(pupils))

    async def pincode_sheet(self, actor: Actor, school_id: object, group_id: object, *,
                            via: str = "bot") -> PincodeSheetDTO:
        """Everything the printed pincode sheet of a group shows, pupils sorted by name.
        Audited as 'print_pincodes' (who, which group, how many, via bot/link/cli)."""
        async with self.ctx.transaction(actor, "print_pincodes") as session:
            if not actor.is_operator:
                person = await session.get(Person, actor.person_id) if actor.person_id else None
                if person is None or not person.is_active:
                    raise NotAllowed(person_id=actor.person_id)
            school = await self.ctx.coordinated_school(session, actor, school_id)
            group = await self.ctx.group_of_school(session, school, group_id)
            pupils = await pupils_of_group(session, group)
            credentials = await self._credentials(session, [p.id for p in pupils])
            cards = tuple(
                PincodeCardDTO(name=p.full_name,
                               code=self._code_of(credentials.get(p.id), group) or "")
                for p in pupils
            )
            self.ctx.audit(session, actor, "print_pincodes", school.id, group_id=group.id,
                           pupils=len(cards), via=via)
            return PincodeSheetDTO(school_name=school.name, brin=school.brin,
                                   vestiging=school.vestiging, group_name=group.name,
                                   login_mode=group.login_mode, cards=cards)

    async def pincode_sheet_for_link(self, token: object) -> PincodeSheetDTO:
        """The sheet a signed download link names, if the link is authentic and unexpired and
        the person who asked for it is still an active coördinator of that school.

        Raises LinkRefused ('invalid' or 'expired') for a bad link, NotAllowed or NotFound when
        the claim no longer holds. Every refusal of a link this service signed is audited once;
        a forged or garbled link is not (anyone can send thousands without logging in, and
        they name no one); nothing about a refusal is revealed.
        """
        try:
            claim = verify(self._link_key(), token if isinstance(token, str) else "", LINK_KIND,
                           self.ctx.now())
        except LinkRefused as refused:
            if refused.reason != "invalid":
                await self.ctx.record_refusal(Actor.unknown(), "pincode_download",
                                              NotAllowed(reason=refused.reason))
            raise
        async with self.ctx.read(Actor.unknown(), "pincode_download") as session:
            # The refusal is audited under the link's person: that person must exist.
            if await session.get(Person, claim.person_id) is None:
                raise NotAllowed(reason="unknown person", person_id=claim.person_id)
        actor = Actor(person_id=claim.person_id, name="", conversation_id="download-link")
        try:
            return await self.pincode_sheet(actor, claim.school_id, claim.group_id, via="link")
        except NotFound as gone:  # NotAllowed is audited by pincode_sheet itself
            await self.ctx.record_refusal(actor, "pincode_download",
                                          NotAllowed(reason=gone.code, group_id=claim.group_id))
            raise

    async def locate_group(self, actor: Actor, school_code: str, group_name: str
                           ) -> GroupRefDTO:
        """A group by BRIN ('12AB', '12AB00', '12AB 00') and forgiving group name ('groep 4',
        '4b'), for the command line.

        Raises NotFound for an unknown school or group, InvalidInput when the BRIN has several
        vestigingen or the name matches several groups.
        """
        async with self.ctx.read(actor, "locate_group") as session:
            found = await school_by_code(session, school_code)
            school = await self.ctx.coordinated_school(session, actor, found.id)
            groups = await live_groups(session, school.id)
            ids = match_groups(group_name or "", {g.id: g.name for g in groups})
            if not ids:
                raise NotFound("error.group_not_found")
            if len(ids) > 1:
                raise InvalidInput("error.group_ambiguous", groups=", ".join(
                    g.name for g in groups if g.id in ids))
            group = next(g for g in groups if g.id == ids[0])
            return GroupRefDTO(school_id=school.id, school_name=school.name, group_id=group.id,
                               group_name=group.name)

    async def ensure_pincodes(self, actor: Actor, school_id: object = None) -> int:
        """Give new pupils a code of their group's kind (after the nightly sync): one school
        for its coördinator, every school for an operator. Returns how many were issued."""
        async with self.ctx.transaction(actor, "ensure_pincodes") as session:
            sid = None
            if school_id is not None:
                sid = (await self.ctx.coordinated_school(session, actor, school_id)).id
            elif not actor.is_operator:
                raise NotAllowed(school_id=None)
            issued = await issue_missing_pincodes(session, self.ctx.secrets, school_id=sid)
            if issued:
                self.ctx.audit(session, actor, "issue_pincodes", sid, pupils=issued)
            return issued
