"""Settings, read once from the environment by main() and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace

from bot.auth import OPENID_METADATA_URL
from bot.eventloop import LOOPS, chosen_loop, uvloop_installed
from bot.limits import DOWNLOADS, MESSAGES, valid_rate
from bot.mailer import MailSettings
from bot.nightly import NightlySettings
from cards.common import HELP_PAGE
from services.db import DEFAULT_URL, POOL_SIZE
from services.exchange.lvs import LvsSettings

MIN_TOKEN = 24  # the results intake's service token: long enough not to be guessed


class ConfigError(Exception):
    """The environment is incomplete or contradictory; start-up stops."""


@dataclass(frozen=True)
class Settings:
    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    database_url: str = DEFAULT_URL
    host: str = "127.0.0.1"
    port: int = 3978
    allowed_tenants: tuple[str, ...] = ()
    migrate_on_start: bool = True
    secret_key: str = field(default="", repr=False)
    previous_secret_key: str = field(default="", repr=False)  # still reads during a rotation
    public_url: str = ""  # how users' browsers reach this server (download links)
    openid_metadata_url: str = OPENID_METADATA_URL  # where the token signing keys are listed
    message_rate: str = MESSAGES  # per user, e.g. "40/minute"
    download_rate: str = DOWNLOADS  # per client address
    lvs: LvsSettings = field(default_factory=LvsSettings)  # result exchange
    nightly: NightlySettings = field(default_factory=NightlySettings)  # the Basispoort sync
    helpdesk_agents: tuple[str, ...] = ()  # Entra object ids of Malmberg's helpdesk agents
    mail: MailSettings = field(default_factory=MailSettings)  # tickets to the helpdesk
    help_page: str = HELP_PAGE  # the page 'Hulp' links to (HELP_PAGE_URL)
    results_token: str = field(default="", repr=False)  # POST /api/results; empty: refused
    db_pool_size: int = POOL_SIZE  # PostgreSQL connections kept per process (services/db.py)
    event_loop: str = "asyncio"  # serve's event loop: "uvloop" or "asyncio" (bot/eventloop.py)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        app_id = env.get("MicrosoftAppId") or env.get("MICROSOFT_APP_ID") or ""
        password = env.get("MicrosoftAppPassword") or env.get("MICROSOFT_APP_PASSWORD") or ""
        app_type = env.get("MicrosoftAppType") or env.get("MICROSOFT_APP_TYPE") or "MultiTenant"
        tenant = env.get("MicrosoftAppTenantId") or env.get("MICROSOFT_APP_TENANT_ID") or ""
        if app_id and not password and app_type != "UserAssignedMSI":
            raise ConfigError("MicrosoftAppId is gezet maar MicrosoftAppPassword ontbreekt.")
        port_text = env.get("PORT", "3978")
        if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
            raise ConfigError(f"PORT moet een poortnummer zijn, niet {port_text!r}.")
        tenants = tuple(t.strip() for t in env.get("ALLOWED_TENANTS", "").split(",") if t.strip())
        if app_id and not tenants:
            raise ConfigError("ALLOWED_TENANTS is leeg terwijl authenticatie aan staat: noem de "
                              "Entra-tenant(s) van de scholen, gescheiden door komma's.")
        public_url = env.get("PUBLIC_URL", "").rstrip("/")
        if app_id and not public_url.startswith("https://"):
            # Download links carry a capability to a group's pincodes: never over plain HTTP.
            raise ConfigError("PUBLIC_URL moet met https:// beginnen als authenticatie aan "
                              "staat (de downloadlinks van pincodes gaan erover).")
        rates = {name: env.get(name) or default
                 for name, default in (("RATE_MESSAGES", MESSAGES), ("RATE_DOWNLOADS", DOWNLOADS))}
        for name, rate in rates.items():
            if not valid_rate(rate):
                raise ConfigError(f"{name} moet een grens zijn als '40/minute', niet {rate!r}.")
        help_page = env.get("HELP_PAGE_URL", "").strip() or HELP_PAGE
        if not help_page.startswith("https://") or any(c.isspace() for c in help_page):
            raise ConfigError(f"HELP_PAGE_URL moet een https://-adres zijn, niet {help_page!r}.")
        try:
            lvs = LvsSettings.from_env(env)
            nightly = NightlySettings.from_env(env)
            mail = MailSettings.from_env(env)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        results_token = env.get("RESULTS_TOKEN", "").strip()
        if results_token and len(results_token) < MIN_TOKEN:
            raise ConfigError(f"RESULTS_TOKEN is te kort: minstens {MIN_TOKEN} tekens.")
        pool_text = env.get("DATABASE_POOL_SIZE", "").strip() or str(POOL_SIZE)
        if not (pool_text.isascii() and pool_text.isdigit()) or not 1 <= int(pool_text) <= 1000:
            raise ConfigError("DATABASE_POOL_SIZE moet een aantal verbindingen zijn (1 tot en met "
                              f"1000), niet {pool_text!r}.")
        event_loop = chosen_loop(env)
        if event_loop not in LOOPS:
            raise ConfigError(f"EVENT_LOOP moet uvloop of asyncio zijn, niet {event_loop!r}.")
        if event_loop == "uvloop" and not uvloop_installed():
            raise ConfigError("EVENT_LOOP=uvloop, maar uvloop is niet geïnstalleerd op dit "
                              "systeem: laat EVENT_LOOP leeg of kies asyncio.")
        return cls(
            app_id=app_id,
            app_password=password,
            app_type=app_type,
            app_tenant_id=tenant,
            database_url=env.get("DATABASE_URL") or DEFAULT_URL,
            host=env.get("HOST", "127.0.0.1"),
            port=int(port_text),
            allowed_tenants=tenants,
            secret_key=env.get("BEHEERBOT_SECRET_KEY", ""),
            previous_secret_key=env.get("BEHEERBOT_SECRET_KEY_PREVIOUS", ""),
            public_url=public_url,
            openid_metadata_url=env.get("BOT_OPENID_METADATA_URL") or OPENID_METADATA_URL,
            message_rate=rates["RATE_MESSAGES"],
            download_rate=rates["RATE_DOWNLOADS"],
            lvs=lvs,
            nightly=nightly,
            mail=mail,
            help_page=help_page,
            helpdesk_agents=tuple(a.strip() for a in env.get("HELPDESK_AGENTS", "").split(",")
                                  if a.strip()),
            results_token=results_token,
            db_pool_size=int(pool_text),
            event_loop=event_loop,
        )

    @property
    def auth_enabled(self) -> bool:
        return bool(self.app_id)

    def bot_auth(self) -> SimpleNamespace:
        """The upper-case attributes BotBuilder's credential factory looks up."""
        return SimpleNamespace(
            APP_ID=self.app_id,
            APP_PASSWORD=self.app_password,
            APP_TYPE=self.app_type,
            APP_TENANTID=self.app_tenant_id,
        )

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    def tenant_allowed(self, tenant_id: str | None) -> bool:
        """Only the listed tenants; an empty list admits everyone only with authentication off
        (local use), and no one with it on."""
        if not self.allowed_tenants:
            return not self.auth_enabled
        return (tenant_id or "") in self.allowed_tenants
