"""The aiohttp application: /api/messages for Teams, /healthz for the load balancer."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from bot.adapter import MAX_BODY, BeheerAdapter, make_turn_error_handler
from bot.config import Settings
from bot.downloads import ROUTE as DOWNLOAD_ROUTE
from bot.downloads import pincode_download
from bot.hide_codes import hide_codes_context
from bot.limits import RateLimits
from bot.lvs import LVS_VERIFIER, RESULTS_CLIENTS, lvs_client_context, lvs_verify_context
from bot.mailer import mailer_context
from bot.nightly import nightly_context
from bot.outgoing import CardSizeGuard
from bot.perf import apply_msrest_fix
from bot.results import ROUTE as RESULTS_ROUTE
from bot.results import results_intake, results_sender_context
from bot.sender import NOTIFY_WAKE, sender_context
from bot.storage import SqlStorage, TurnConversationState, TurnUserState
from bot.teams_bot import TeamsBot
from cards.common import turn_error_card
from cards.i18n import Texts
from cards.notifications import render as render_outbox
from dialogs.context import card_activity, texts_of
from dialogs.main_dialog import MainDialog
from services.db import create_engine, create_sessions, upgrade
from services.helpdesk.mail import HelpdeskMailbox
from services.registry import Services
from services.secrets import load_secret_box
from services.state_store import StateStore

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    services: Services
    adapter: BeheerAdapter
    bot: TeamsBot
    limits: RateLimits


SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", object)
RUNTIME = web.AppKey("runtime", Runtime)


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None
               ) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[error_middleware])
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app.cleanup_ctx.append(lvs_client_context(settings.lvs))
    app.cleanup_ctx.append(runtime_context)
    app.cleanup_ctx.append(lvs_verify_context(settings.lvs,
                                              lambda a: a[RUNTIME].services.exchange))
    app.cleanup_ctx.append(sender_context(settings, lambda a: a[RUNTIME].services.outbox,
                                          render_outbox))
    app.cleanup_ctx.append(nightly_context(
        settings.nightly, lambda a: a[RUNTIME].services.sync,
        lambda a: a[CLOCK] or (lambda: datetime.now(UTC)), lambda a: a[NOTIFY_WAKE].set))
    app.cleanup_ctx.append(results_sender_context(settings, lambda a: a[RUNTIME].services.results))
    app.cleanup_ctx.append(mailer_context(
        settings.mail, lambda a: HelpdeskMailbox(a[RUNTIME].services.helpdesk.ctx)))
    app.cleanup_ctx.append(hide_codes_context(settings,
                                              lambda a: a[RUNTIME].services.pincodes.shown))
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_post(RESULTS_ROUTE, results_intake(settings,
                                                      lambda a: a[RUNTIME].services.results))
    app.router.add_get(DOWNLOAD_ROUTE, pincode_download(lambda a: a[RUNTIME].services.pincodes,
                                                        lambda a: a[RUNTIME].limits),
                       allow_head=False)
    return app


async def runtime_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    apply_msrest_fix()
    if not settings.auth_enabled:
        log.warning("LET OP: geen MicrosoftAppId ingesteld, authenticatie staat UIT. "
                    "Alleen voor lokaal gebruik (Agents Playground).")
    if not settings.allowed_tenants:
        log.warning("ALLOWED_TENANTS is leeg: %s", "niemand wordt toegelaten"
                    if settings.auth_enabled else "alleen lokaal gebruik zonder authenticatie")
    if settings.migrate_on_start:
        await upgrade(settings.database_url)
    secrets = load_secret_box(settings.secret_key, settings.database_url,
                              settings.previous_secret_key)
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
    sessions = create_sessions(engine)
    services = Services.build(sessions, clock=app[CLOCK], secrets=secrets,
                              lvs=app[LVS_VERIFIER], helpdesk_agents=settings.helpdesk_agents,
                              results_clients=app[RESULTS_CLIENTS])
    store = StateStore(sessions)
    storage = SqlStorage(store)
    conversation_state = TurnConversationState(storage)
    user_state = TurnUserState(storage)
    dialog = MainDialog(services, user_state.create_property("profile"))
    adapter = BeheerAdapter(settings)
    adapter.use(CardSizeGuard())
    adapter.on_turn_error = make_turn_error_handler(
        conversation_state, lambda context: card_activity(turn_error_card(_safe_texts(context))))
    limits = RateLimits(settings.message_rate, settings.download_rate)
    bot = TeamsBot(settings, services, conversation_state, user_state, dialog, store.claim,
                   limits)
    app[RUNTIME] = Runtime(services=services, adapter=adapter, bot=bot, limits=limits)
    try:
        yield
    finally:
        await engine.dispose()


def _safe_texts(context):
    try:
        return texts_of(context)
    except RuntimeError:  # the failure came before the actor was known
        return Texts()


async def messages(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    return await runtime.adapter.process(request, runtime.bot)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@web.middleware
async def error_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("onverwachte fout bij %s %s", request.method, request.path)
        return web.json_response({"error": "internal error"}, status=500)
