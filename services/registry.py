"""The `Services` value: one instance of each area service over one shared context, built once
by the app factory and by the CLI. Each caller takes the area it needs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.audit import AuditService
from services.child_licences import ChildLicences
from services.db import reads_together
from services.driver_rows import Read, rows_ahead, turn_reads
from services.exchange import ExchangeService
from services.exchange.lvs import LvsVerifier
from services.helpdesk import HelpdeskService
from services.licences import ExtraChildren, GroupLinks
from services.notify.outbox import Outbox
from services.notify.references import ConversationRefs
from services.pincodes import PincodeService
from services.results import ResultsService
from services.results.client import ResultsClient
from services.school import SchoolService
from services.secrets import SecretBox
from services.shared.context import ServiceContext
from services.sync import SyncService


@dataclass(frozen=True)
class Services:
    school: SchoolService
    links: GroupLinks
    extra_children: ExtraChildren
    child_licences: ChildLicences
    pincodes: PincodeService
    exchange: ExchangeService
    sync: SyncService
    helpdesk: HelpdeskService
    outbox: Outbox
    references: ConversationRefs
    audit: AuditService
    results: ResultsService

    @classmethod
    def build(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime] | None = None,
        secrets: SecretBox | None = None,
        lvs: LvsVerifier | None = None,
        helpdesk_agents: Iterable[str] = (),
        results_clients: Mapping[str, ResultsClient] | None = None,
    ) -> Services:
        """Every area over one context. Without `secrets` the areas that need the secret box
        (pincodes, LVS keys) fail when used; without `lvs` nothing is checked with an LVS;
        `helpdesk_agents` are the Entra object ids that may resolve helpdesk tickets;
        `results_clients` are the LVSs results are sent to (none: results stay queued)."""
        ctx = ServiceContext(sessions, clock=clock, secrets=secrets)
        return cls(
            school=SchoolService(ctx),
            links=GroupLinks(ctx),
            extra_children=ExtraChildren(ctx),
            child_licences=ChildLicences(ctx),
            pincodes=PincodeService(ctx),
            exchange=ExchangeService(ctx, lvs),
            sync=SyncService(ctx),
            helpdesk=HelpdeskService(ctx, helpdesk_agents),
            outbox=Outbox(ctx),
            references=ConversationRefs(ctx),
            audit=AuditService(ctx),
            results=ResultsService(ctx, results_clients),
        )

    @asynccontextmanager
    async def reads_together(self, ahead: Iterable[Read | None] = (),
                             later: Iterable[Read] = ()) -> AsyncIterator[None]:
        """A block whose reads share one connection (services.db.reads_together): for the
        few reads every turn starts with. The reads in `ahead` (from the services' `…_read`
        methods) are made when it begins, in one round trip where the database is a server
        (services.driver_rows.rows_ahead); with them the reads in `later`, which the turn's
        next block is expected to make (in a `turn_reads` scope)."""
        async with reads_together(self.school.ctx.sessions) as connection, rows_ahead(
                connection, [read for read in ahead if read is not None], list(later)):
            yield

    @staticmethod
    def turn_reads() -> AbstractContextManager[None]:
        """The scope of one turn's reads ahead (services.driver_rows.turn_reads)."""
        return turn_reads()
