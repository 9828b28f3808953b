"""Shared fixtures: a temporary SQLite file or PostgreSQL database, the real services, the real
app, a chat driver."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import faulthandler
import io
import itertools
import os
import shutil
import sqlite3
import sys
import threading
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.app import create_app
from bot.config import Settings
from bot.eventloop import LOOPS, chosen_loop, loop_factory
from services.actor import Actor, Identity
from services.db import create_engine, create_sessions, normalise_url, sqlite_file, upgrade
from services.demo import PLAYGROUND_COORDINATOR, PLAYGROUND_TEACHER, PLAYGROUND_TENANT, load_demo
from services.driver_rows import CHECK
from services.models import Base
from services.registry import Services
from services.secrets import SecretBox
from tests.cardcheck import card_actions, card_texts, check_card, elements

# Every read that goes straight to the driver is also read through SQLAlchemy, and the two must
# agree (services/driver_rows.py): the whole suite checks the fast path on both databases.
os.environ.setdefault(CHECK, "1")

TODAY = date(2026, 11, 29)
ALEX_AAD = PLAYGROUND_COORDINATOR[3]
MEGAN_AAD = PLAYGROUND_TEACHER[3]


def fixed_clock() -> datetime:
    return datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


TEST_KEY = b"k" * 32


async def create_schema(engine) -> None:
    """All tables straight from the models, for tests that need no migration."""
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


# The whole suite runs on one backend: SQLite files (the default) or PostgreSQL with
# TEST_BACKEND=postgresql and TEST_DATABASE_URL naming the cluster (`make test-all` runs both).
BACKEND = os.environ.get("TEST_BACKEND", "sqlite").strip().lower() or "sqlite"
PG_URL = os.environ.get("TEST_DATABASE_URL")
ON_PG = BACKEND == "postgresql"
if BACKEND not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
if ON_PG and not PG_URL:
    raise pytest.UsageError("TEST_BACKEND=postgresql needs TEST_DATABASE_URL (.ci/run sets it)")
needs_pg = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set (.ci/run sets it)")
sqlite_only = pytest.mark.skipif(ON_PG, reason="looks inside the SQLite file itself")
_RUN = uuid.uuid4().hex[:8]


# The tests run on the event loop `serve` runs on (bot/eventloop.py: uvloop where it is
# installed); EVENT_LOOP=asyncio runs them on asyncio's own.
LOOP = chosen_loop()
if LOOP not in LOOPS:
    raise pytest.UsageError(f"EVENT_LOOP must be one of {LOOPS}, not {LOOP!r}")


def pytest_asyncio_loop_factories(config, item):
    make = loop_factory(LOOP)

    def recorded():
        loop = make()
        _TEST_LOOP[0] = loop
        return loop

    return {LOOP: recorded}


# A test that takes longer than this (setup, run and teardown) is stopped and fails, showing
# where each of its asyncio tasks was waiting, and the run goes on: a hang costs minutes, not
# the whole CI run. Where its event loop no longer answers, every thread's stack is printed and
# the run ends.
TIME_LIMIT = float(os.environ.get("TEST_TIME_LIMIT", "300"))
_TEST_LOOP: list[asyncio.AbstractEventLoop | None] = [None]  # of the test running now
_OVERRAN = pytest.StashKey[str]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    finished = threading.Event()
    watchdog = threading.Timer(TIME_LIMIT, _overran, (item, finished))
    watchdog.daemon = True
    watchdog.start()
    try:
        return (yield)
    finally:
        finished.set()
        watchdog.cancel()


def _overran(item, finished: threading.Event) -> None:
    loop = _TEST_LOOP[0]
    if loop is not None and loop.is_running():
        stacks: concurrent.futures.Future[str] = concurrent.futures.Future()

        def stop_its_tasks() -> None:
            stacks.set_result(_waiting_tasks(loop))
            for task in asyncio.all_tasks(loop):
                task.cancel()

        loop.call_soon_threadsafe(stop_its_tasks)
        with contextlib.suppress(concurrent.futures.TimeoutError):
            item.stash[_OVERRAN] = stacks.result(timeout=10)
            if finished.wait(60):
                return
    capture = item.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:  # what follows is for the terminal, not the test's captured output
        capture.suspend_global_capture()
    sys.stderr.write(f"\n{item.nodeid} took over {TIME_LIMIT:g} s and does not stop; "
                     "the stack of every thread:\n")
    faulthandler.dump_traceback(sys.stderr, all_threads=True)
    sys.stderr.flush()
    os._exit(3)


def _waiting_tasks(loop: asyncio.AbstractEventLoop) -> str:
    out = io.StringIO()
    for task in asyncio.all_tasks(loop):
        task.print_stack(file=out)
    return out.getvalue() or "(none)"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    stacks = item.stash.get(_OVERRAN, None)
    if stacks is not None and call.excinfo is not None:
        report.sections.append((f"over {TIME_LIMIT:g} s: stopped; its asyncio tasks then",
                                stacks))
    return report




def run_apart(coroutine):
    """Run a coroutine to its end on a thread and loop of its own: usable from sync code and
    from inside a running event loop (fixtures asked for lazily, sync helpers in async tests)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_run_on_loop, coroutine).result()


def _run_on_loop(coroutine):
    with asyncio.Runner(loop_factory=loop_factory(LOOP)) as runner:
        return runner.run(coroutine)


def _pg_database_url(name: str) -> str:
    return normalise_url(PG_URL).rsplit("/", 1)[0] + f"/{name}"


async def _pg_admin(statement: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


@contextlib.asynccontextmanager
async def fresh_pg_database(template: str | None = None, prefix: str = "beheerbot"):
    """A new database on the test cluster (a copy of `template` if given), dropped afterwards.
    Copying a template is much faster than loading the demo again."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    await _pg_admin(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield _pg_database_url(name)
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _build_template(target: Path | str, migrate: bool, demo: bool = True) -> dict:
    """Loading the demo takes a while: build it once per run and copy it per test (a file
    on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL)."""

    async def build() -> dict:
        if ON_PG:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            await _pg_admin(f'CREATE DATABASE "{target}"')
            url = _pg_database_url(str(target))
        else:
            url = f"sqlite+aiosqlite:///{target}"
        if migrate:
            await upgrade(url)
        engine = create_engine(url, poolclass=NullPool)
        if not migrate:
            await create_schema(engine)
        counts = {}
        if demo:
            counts = await load_demo(create_sessions(engine), today=TODAY,
                                     secrets=SecretBox(TEST_KEY))
        await engine.dispose()
        return counts

    return run_apart(build())


def _template(tmp_path_factory, name: str, **kwargs) -> tuple[Path | str, dict]:
    if ON_PG:
        target = f"beheerbot_tpl_{_RUN}_{name}"
    else:
        target = tmp_path_factory.mktemp(f"template-{name}") / "demo.db"
    return target, _build_template(target, **kwargs)


def _drop_template(target) -> None:
    if ON_PG:
        run_apart(_pg_admin(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))


@pytest.fixture
async def pg_url():
    """A fresh database on the test PostgreSQL cluster, dropped afterwards."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL (.ci/run starts one and sets it)")
    async with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> tuple[Path | str, dict]:
    """The demo on the schema made from the models: a file (SQLite) or a database name."""
    target, counts = _template(tmp_path_factory, "demo", migrate=False)
    yield target, counts
    _drop_template(target)


@pytest.fixture(scope="session")
def migrated_demo_template(tmp_path_factory) -> Path | str:
    target, _ = _template(tmp_path_factory, "migrated", migrate=True)
    yield target
    _drop_template(target)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path | str | None:
    """PostgreSQL only: the empty schema, copied per test (create_all is slower there)."""
    if not ON_PG:
        yield None
        return
    target, _ = _template(tmp_path_factory, "empty", migrate=False, demo=False)
    yield target
    _drop_template(target)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file of this test (on PostgreSQL the test's database is `db_url`)."""
    return tmp_path / "beheerbot-test.db"


@pytest.fixture
async def db_url(request, db_path):
    """This test's database: a SQLite file, or a fresh PostgreSQL database that already holds
    what the test asks for (the migrated demo, the demo, or the empty schema)."""
    if not ON_PG:
        yield f"sqlite+aiosqlite:///{db_path}"
        return
    names = request.fixturenames
    if "migrated_demo_db" in names:
        template = request.getfixturevalue("migrated_demo_template")
    elif "demo" in names:
        template = request.getfixturevalue("demo_template")[0]
    elif "sessions" in names:
        template = request.getfixturevalue("empty_template")
    else:
        template = None  # an empty database: the test migrates it itself
    async with fresh_pg_database(template) as url:
        yield url


@pytest.fixture
async def sessions(request, db_path, db_url):
    """Sessions on this test's database: empty schema, or a copy of the demo if the test
    also asks for `demo`."""
    wants_demo = "demo" in request.fixturenames
    if wants_demo and not ON_PG:
        template, _ = request.getfixturevalue("demo_template")
        shutil.copyfile(template, db_path)
    engine = create_engine(db_url)
    if not wants_demo and not ON_PG:
        await create_schema(engine)
    yield create_sessions(engine)
    await engine.dispose()


def db_rows(db_url: str, sql: str, **params) -> list[tuple]:
    """Rows of one SQL statement (`:name` parameters) on a test database, straight from the
    database, whichever the backend; callable from sync and async tests alike. SQLite is read
    with the standard library, as any other program would: a SELECT takes no write lock, so it
    never waits for the app under test (whose event loop this call blocks)."""
    path = sqlite_file(db_url)
    if path is not None:
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn, conn:
            return [tuple(row) for row in conn.execute(sql, params)]

    async def run() -> list[tuple]:
        engine = create_engine(db_url, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(sql), params)
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            await engine.dispose()

    return run_apart(run())


@pytest.fixture
async def services(sessions) -> Services:
    return Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY))


@pytest.fixture
def demo(demo_template) -> dict:
    """The demo schools (copied into this test's database by `sessions`)."""
    return dict(demo_template[1])


@pytest.fixture
async def alex(services, demo) -> Actor:
    """The demo coördinator of both demo schools."""
    return await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD), "conv-test")


@pytest.fixture
async def megan(services, demo) -> Actor:
    """A teacher: known, but no coördinator."""
    return await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=MEGAN_AAD), "conv-test")


# -- driving the real app over HTTP -----------------------------------------------------------

@pytest.fixture
def migrated_demo_db(migrated_demo_template, db_path, db_url) -> str:
    """A migrated database with the demo schools, for tests through the real app."""
    if not ON_PG:
        shutil.copyfile(migrated_demo_template, db_path)
    return db_url


TEST_KEY_TEXT = base64.urlsafe_b64encode(TEST_KEY).decode()


def make_settings(db_url: str, **overrides) -> Settings:
    """Settings for an app under test: the same secret key as the `services` fixture."""
    return Settings(database_url=db_url, **{"secret_key": TEST_KEY_TEXT, **overrides})


@pytest.fixture
async def bot_client(aiohttp_client, migrated_demo_db):
    return await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))


_ids = itertools.count(1)


class Chat:
    """One personal chat with the bot through POST /api/messages with expectReplies."""

    def __init__(self, client, *, user_id="user-id-0", name="Alex Wilber", aad=ALEX_AAD,
                 conversation_id: str | None = None, tenant=PLAYGROUND_TENANT):
        self.client = client
        self.user = {"id": user_id, "name": name}
        if aad:
            self.user["aadObjectId"] = aad
        self.conversation_id = conversation_id or f"conv-{next(_ids)}"
        self.tenant = tenant
        self.replies: list[dict] = []

    def _activity(self, kind: str, **fields) -> dict:
        activity = {
            "type": kind,
            "id": f"act-{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": "https://smba.example.invalid/",
            "deliveryMode": "expectReplies",
            "from": self.user,
            "recipient": {"id": "bot-id", "name": "beheerbot"},
            "conversation": {"id": self.conversation_id, "conversationType": "personal"},
            "channelData": {"tenant": {"id": self.tenant}},
            "locale": "en-US",
        }
        activity.update(fields)
        return activity

    async def post(self, activity: dict) -> list[dict]:
        response = await self.client.post("/api/messages", json=activity)
        assert response.status == 200, await response.text()
        self.replies = (await response.json())["activities"]
        for card in self.cards:
            check_card(card)
        return self.replies

    async def join(self) -> list[dict]:
        return await self.post(self._activity(
            "conversationUpdate", membersAdded=[{"id": self.user["id"]}, {"id": "bot-id"}]))

    async def say(self, text: str) -> list[dict]:
        return await self.post(self._activity("message", text=text))

    async def submit(self, data: dict) -> list[dict]:
        return await self.post(self._activity("message", value=data))

    async def submit_at_once(self, data: dict, times: int) -> list[str]:
        """The same card button pressed `times` times before any answer came back: the texts
        of each answer, in the order sent (the replies of the last are kept)."""
        answers = await asyncio.gather(*(self.post(self._activity("message", value=data))
                                         for _ in range(times)))
        texts = []
        for replies in answers:
            self.replies = replies
            texts.append(self.texts())
        return texts

    # -- reading replies ------------------------------------------------------------------------
    @property
    def cards(self) -> list[dict]:
        return [att["content"] for reply in self.replies for att in reply.get("attachments", [])
                if att.get("contentType") == "application/vnd.microsoft.card.adaptive"]

    @property
    def card(self) -> dict:
        assert self.cards, f"no card in {self.replies}"
        return self.cards[-1]

    def texts(self) -> str:
        """Every text the replies show, cards included, as one string."""
        out = [r.get("text") or "" for r in self.replies]
        for card in self.cards:
            out.extend(card_texts(card))
        return "\n".join(out)

    def actions(self) -> list[dict]:
        return [action for card in self.cards for action in card_actions(card)]

    def button(self, title: str) -> dict:
        matches = [a for a in self.actions() if a.get("title") == title]
        assert matches, f"no button {title!r} in {[a.get('title') for a in self.actions()]}"
        return matches[0]

    async def click(self, title: str, index: int = 0, **inputs) -> list[dict]:
        matches = [a for a in self.actions() if a.get("title") == title]
        assert len(matches) > index, f"no button {title!r} #{index}"
        return await self.submit({**matches[index].get("data", {}), **inputs})

    async def page_to(self, text: str, next_title: str = "Volgende") -> None:
        """Turn the pages of a paged list until `text` shows (a text or a button title)."""
        while text not in self.texts() and not any(a.get("title") == text
                                                   for a in self.actions()):
            await self.click(next_title)

    async def choose_school(self, title: str) -> list[dict]:
        """Choose a school in the last card: its drop-down (first contact) or its button."""
        for element in elements(self.card):
            if element.get("type") == "Input.ChoiceSet" and element.get("id") == "school_id":
                value = {c["title"]: c["value"] for c in element["choices"]}[title]
                return await self.submit({"action": "school.set", "school_id": value})
        return await self.click(title)

    def choices(self, input_id: str) -> dict[str, str]:
        """{title: value} of an Input.ChoiceSet in the last card."""
        for element in elements(self.card):
            if element.get("type") == "Input.ChoiceSet" and element.get("id") == input_id:
                return {c["title"]: c["value"] for c in element["choices"]}
        raise AssertionError(f"no choice set {input_id}")


@pytest.fixture
def chat(bot_client) -> Chat:
    return Chat(bot_client)


@pytest.fixture
async def db(migrated_demo_db):
    """Sessions on the database the app under test uses."""
    engine = create_engine(migrated_demo_db)
    yield create_sessions(engine)
    await engine.dispose()


async def open_school(chat: Chat, school: str = "OBS De Regenboog (12AB 00)") -> None:
    """Start the chat and choose a school, as a new user does."""
    await chat.join()
    if "Andere school" in [a.get("title") for a in chat.actions()]:  # a school chosen before
        await chat.click("Andere school")
    await chat.choose_school(school)
