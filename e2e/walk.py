"""The walk through beheerbot in a real Teams client: `make e2e`.

Starts the bot on a fresh demo database and the Microsoft 365 Agents Playground (pinned in
e2e/package.json), and drives the Playground's web client with Playwright in the system's
headless Chromium, as a person would: by the titles of the buttons it sees. The page may reach
loopback only. Every step leaves a screenshot in build/e2e/; a failing step says which one it
was and keeps its screenshot and the bot's log. Everything started here is stopped by process
group, pass or fail. At the end a table compares the taps per task with the manual's steps.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND = ROOT / "e2e" / "node_modules" / ".bin" / "agentsplayground"
TEACHER_CONFIG = ROOT / "e2e" / "teacher.m365agentsplayground.yml"
DEMO_DELIVERY = ROOT / "services" / "demo_data" / "12AB-00-2026-10-02.edexml.xml"
BEHEERBOT = Path(sys.executable).parent / "beheerbot"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PLAYGROUND_ALEX = "00000000-0000-0000-0000-0000000000020"  # his aadObjectId in the Playground
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
WAIT_MS = 20_000  # one answer of the bot, or one proactive message, at most

# Clicks for the same task in the web beheerdeel, counted from the manual
# (shared/seed/handleiding-beheerdeel-ict-coordinator.txt): reaching the beheerdeel takes 5
# (log in, choose the school, tab Lesmateriaal, Beheer, tab), a choice in a drop-down 2, typing
# a value none. None: the manual has no such task.
MANUAL_STEPS = {
    "link a group": 12,
    "unlink a group": None,
    "child of another group": 14,
    "per-child licence seat": 14,
    "pincodes: view and hide": 7,
    "pincodes: change one": 9,
    "pincodes: print": 8,
    "LVS coupling": 9,
    "language and back": None,
    "notification: Nu koppelen": None,
    "helpdesk channel loop": None,
}


class StepFailed(Exception):
    pass


@dataclass
class Processes:
    """The bot and the Playground, each in a process group of its own."""

    tmp: Path
    bot_port: int
    playground_port: int
    env: dict[str, str] = field(default_factory=dict)
    started: list[subprocess.Popen] = field(default_factory=list)

    def bot_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite+aiosqlite:///{self.tmp / 'beheerbot.db'}",
            HOST="127.0.0.1",
            PORT=str(self.bot_port),
            PUBLIC_URL=f"http://127.0.0.1:{self.bot_port}",
            NOTIFY_INTERVAL="1",
            SYNC_INBOX="",
            LVS_VERIFY_INTERVAL_SECONDS="0",
            # The walk taps faster than a person (about one tap a second, 40 and more in a
            # minute) and would meet the per-user message limit, which has tests of its own.
            RATE_MESSAGES="600/minute",
            # Alex Wilber (the Playground's default user) is a helpdesk agent too, so one
            # Playground can show the helpdesk's channel as well as the coördinator's chat.
            HELPDESK_AGENTS=PLAYGROUND_ALEX,
        )
        return env

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(BEHEERBOT), *args], cwd=self.tmp, env=self.bot_env(),
            capture_output=True, text=True, timeout=120,
        )
        if done.returncode != 0:
            raise StepFailed(f"beheerbot {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start_bot(self) -> None:
        self.cli("db", "upgrade")
        self.cli("demo-data")
        log = open(self.tmp / "bot.log", "w")
        self.started.append(subprocess.Popen(
            [str(BEHEERBOT), "serve"], cwd=self.tmp, env=self.bot_env(),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        ))
        wait_http(f"http://127.0.0.1:{self.bot_port}/healthz", "the bot's /healthz")

    def start_playground(self, config: Path | None = None) -> subprocess.Popen:
        env = dict(os.environ)
        env.update(
            APPLICATION_INSIGHTS_NO_STATSBEAT="true",
            TEAMSAPPTESTER_BROWSER="none",
            # its log goes to the temp folder, so no devTools/ is left in the checkout
            M365_AGENTS_PLAYGROUND_LOGFILE=str(self.tmp / "playground-devtools.log"),
        )
        if config is not None:
            env["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = str(config)
        log = open(self.tmp / "playground.log", "a")
        proc = subprocess.Popen(
            [str(PLAYGROUND), "-e", f"http://127.0.0.1:{self.bot_port}/api/messages",
             "-c", "msteams", "-p", str(self.playground_port), "--disable-telemetry"],
            cwd=self.tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(proc)
        wait_http(f"http://127.0.0.1:{self.playground_port}/", "the Playground")
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        if proc in self.started:
            self.started.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.started)):
            self.stop(proc)


def port_free(port: int) -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise StepFailed(f"port {port} is in use already: stop what runs there, or choose "
                             "another with E2E_BOT_PORT / E2E_PLAYGROUND_PORT")


def wait_http(url: str, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise StepFailed(f"{what} did not answer on {url} within {timeout:.0f} s")


class Walk:
    """A person in the Playground: taps buttons by their titles, waits for what the bot says."""

    def __init__(self, page: Page, shots: Path, prefix: str) -> None:
        self.page = page
        self.shots = shots
        self.prefix = prefix
        self.step = 0
        self.task_name = "start"
        self.taps: dict[str, int] = {}
        self.last_action = "opening the Playground"

    async def run(self, scenarios, context, keep_open: bool = False) -> None:
        """Run the scenarios; on a failure keep a screenshot of the page as it was."""
        try:
            await scenarios
        except BaseException:
            try:
                await self.page.screenshot(path=self.shots / f"{self.prefix}-FAILED.png")
            except Exception:
                pass
            await context.close()
            raise
        if not keep_open:
            await context.close()

    @property
    def cards(self):
        return self.page.locator(".ac-adaptiveCard")

    @contextmanager
    def task(self, name: str):
        self.task_name = name
        self.taps.setdefault(name, 0)
        yield
        self.task_name = "between tasks"

    def _tapped(self, n: int = 1) -> None:
        if self.task_name in self.taps:
            self.taps[self.task_name] += n

    async def shot(self, what) -> None:
        self.step += 1
        what = what.pattern if isinstance(what, re.Pattern) else what
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.task_name} {what}".lower()).strip("-")[:70]
        await self.page.screenshot(path=self.shots / f"{self.prefix}{self.step:02d}-{slug}.png")

    async def tap(self, title: str) -> None:
        """The last button with exactly this title in any card (the newest one on screen).

        An Action.OpenUrl is rendered as a link, every other action as a button."""
        self.last_action = f"tap {title!r}"
        target = self.cards.get_by_role("button", name=title, exact=True).or_(
            self.cards.get_by_role("link", name=title, exact=True))
        await target.last.click(timeout=WAIT_MS)
        self._tapped()

    async def tap_in_row(self, row: str, title: str) -> None:
        """The button titled `title` on the row of the last card that shows `row`."""
        self.last_action = f"tap {title!r} on the row of {row!r}"
        button = self.page.get_by_role("button", name=title)
        container = self.cards.last.locator(".ac-container").filter(has_text=row).filter(
            has=button).last
        await container.get_by_role("button", name=title).first.click(timeout=WAIT_MS)
        self._tapped()

    async def choose(self, label: str, option: str) -> None:
        self.last_action = f"choose {option!r} in {label!r}"
        await self.page.get_by_role("combobox", name=label).last.click(timeout=WAIT_MS)
        await self.page.get_by_role("option", name=option).last.click(timeout=WAIT_MS)
        self._tapped(2)

    async def check(self, label: str) -> None:
        self.last_action = f"tick {label!r}"
        box = self.cards.last.get_by_role("checkbox", name=re.compile(re.escape(label)))
        await box.first.check(timeout=WAIT_MS)
        self._tapped()

    async def fill(self, label: str, value: str) -> None:
        self.last_action = f"type into {label!r}"
        await self.cards.last.get_by_label(label).last.fill(value, timeout=WAIT_MS)

    async def see(self, text: str, *, anywhere: bool = False) -> None:
        """Wait until the newest card (or any card) shows `text`, then take a screenshot."""
        scope = self.cards if anywhere else self.cards.last
        try:
            await scope.get_by_text(text).last.wait_for(state="visible", timeout=WAIT_MS)
        except Exception as exc:
            raise StepFailed(f"after {self.last_action}: {text!r} did not appear") from exc
        await self.shot(text)

    async def gone(self, text) -> None:
        """Wait until no card shows `text` any more (codes hidden again)."""
        try:
            await self.cards.get_by_text(text).first.wait_for(state="hidden", timeout=WAIT_MS)
        except Exception as exc:
            raise StepFailed(f"after {self.last_action}: {text!r} is still visible") from exc

    async def open_conversation(self, name: str) -> None:
        """Click a chat or channel in the Playground's left rail."""
        self.last_action = f"open {name!r}"
        await self.page.get_by_text(name, exact=True).first.click(timeout=WAIT_MS)
        self._tapped()

    async def post_mention(self, text: str) -> None:
        """A new post in the open channel that @mentions the bot, as Teams requires there."""
        self.last_action = f"post '@Test Bot {text}'"
        await self.page.locator('[data-lexical-editor="true"]').first.click(timeout=WAIT_MS)
        await self.page.keyboard.type("@Test")
        await self.page.get_by_text("Test Bot", exact=True).last.click(timeout=WAIT_MS)
        await self.page.keyboard.type(f" {text}")
        await self.page.get_by_role("button", name="Post", exact=True).click(timeout=WAIT_MS)
        self._tapped(2)

    async def say(self, text: str) -> None:
        self.last_action = f"type {text!r} in the chat"
        await self.page.locator('[data-lexical-editor="true"]').click()
        await self.page.keyboard.type(text)
        await self.page.keyboard.press("Enter")


async def open_browser(playwright, tmp: Path, name: str):
    context = await playwright.chromium.launch_persistent_context(
        str(tmp / f"chromium-{name}"), executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
        headless=True, viewport={"width": 1280, "height": 900}, locale="nl-NL",
    )
    blocked: list[str] = []

    async def loopback_only(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()

    await context.route("**/*", loopback_only)
    await context.add_init_script(RECORD_OPENED)
    return context, blocked


# The Playground opens an Action.OpenUrl with window.open (or a link); either is remembered here,
# so the walk can fetch what the button opened.
RECORD_OPENED = """
(() => {
  window.__openedUrls = [];
  const open = window.open;
  window.open = function (url, ...rest) {
    window.__openedUrls.push(String(url));
    return open.call(window, url, ...rest);
  };
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href]');
    if (link) window.__openedUrls.push(link.href);
  }, true);
})();
"""


async def opened_url(page: Page) -> str:
    handle = await page.wait_for_function(
        "() => window.__openedUrls && window.__openedUrls.length && "
        "window.__openedUrls[window.__openedUrls.length - 1]", timeout=WAIT_MS)
    return await handle.json_value()


def later_delivery(tmp: Path) -> Path:
    """The demo school's next delivery: a new Groep 8b with one pupil, which needs licences."""
    xml = DEMO_DELIVERY.read_text(encoding="utf-8")
    group = ('\n    <groep key="12AB-G10">\n      <naam>Groep 8b</naam>\n'
             "      <jaargroep>8</jaargroep>\n    </groep>\n  </groepen>\n")
    pupil = ('\n    <leerling key="P009901" eckid="https://ketenid.nl/201703/demop009901">\n'
             "      <achternaam>Brink</achternaam>\n      <voorvoegsel>van den</voorvoegsel>\n"
             "      <roepnaam>Lotte</roepnaam>\n      <jaargroep>8</jaargroep>\n"
             '      <groep key="12AB-G10"/>\n    </leerling>\n  </leerlingen>\n')
    # the school's own lists end at two spaces' indent (a teacher's <groepen> is deeper)
    if xml.count("\n  </groepen>\n") != 1 or xml.count("\n  </leerlingen>\n") != 1:
        raise StepFailed(f"{DEMO_DELIVERY.name} no longer has the expected layout")
    xml = xml.replace("\n  </groepen>\n", group).replace("\n  </leerlingen>\n", pupil)
    path = tmp / "deliveries" / "12AB-00-2026-12-03.edexml.xml"
    path.parent.mkdir()
    path.write_text(xml, encoding="utf-8")
    return path


def manual_links(db: Path, group: str) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "select p.name || ' ' || l.year_levels from licence_groups lg "
            "join groups g on g.id = lg.group_id join licences l on l.id = lg.licence_id "
            "join products p on p.id = l.product_id where g.name = ? and lg.origin = 'manual'",
            (group,),
        ).fetchall()
    return [r[0] for r in rows]


async def coordinator_walk(w: Walk, procs: Processes) -> None:
    page = w.page
    with w.task("welcome"):
        await page.goto(f"http://127.0.0.1:{procs.playground_port}/")
        await w.see("Hallo Alex Wilber!", anywhere=True)
        # The demo's second delivery left a summary card in the outbox: it arrives as soon as
        # the Playground has installed the bot.
        await w.see("Wijzigingen uit Basispoort van", anywhere=True)
        await w.choose("Kies een school", "OBS De Regenboog")
    w.taps.pop("welcome")

    with w.task("link a group"):
        await w.tap("Licenties koppelen")
        await w.see("Groepslicenties van OBS De Regenboog")
        await w.tap("Koppel Naut groep 5")
        await w.see("Welke groepen wil je koppelen?")
        await w.check("Groep 5a")
        await w.tap("Verder")
        await w.see("Klopt dit?")
        await w.tap("Koppelen")
        await w.see("Groep 5a is gekoppeld aan Naut groep 5")

    with w.task("unlink a group"):
        await w.tap("Naar de licenties")
        await w.see("Groepslicenties van OBS De Regenboog")
        await w.tap("Ontkoppel Groep 5a van Naut groep 5")
        await w.see("Groep ontkoppelen?")
        await w.tap("Ontkoppelen")
        await w.see("Groep 5a is ontkoppeld van Naut groep 5")

    with w.task("child of another group"):
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Kinderen op licenties")
        await w.see("Kies een licentie")
        await w.tap("Naut groep 6")
        await w.see("Kind toevoegen")
        await w.tap("Kind toevoegen")
        await w.see("Kies de groep van het kind")
        await w.tap("Groep 5a")
        await w.see("Welke kinderen?")
        await w.check("Sanne de Vries")
        await w.tap("Verder")
        await w.see("Je koppelt Sanne de Vries aan Naut groep 6")
        await w.tap("Toevoegen")
        await w.see("Sanne de Vries staat nu op Naut groep 6")

    with w.task("per-child licence seat"):
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Kindlicenties")
        await w.see("21 van 30 vrij")
        await w.tap("Open Bingel groep 3 t/m 8")
        await w.see("Gekoppelde kinderen")
        await w.tap("Kind toevoegen")
        await w.see("Kies de groep van het kind")
        await w.tap("Groep 5a")
        await w.see("Welke kinderen?")
        await w.check("Sanne de Vries")
        await w.tap("Verder")
        await w.see("Kindlicentie toewijzen?")
        await w.tap("Toewijzen")
        await w.see("Sanne de Vries heeft nu een licentie")
        await w.see("20 van 30 vrij")

    with w.task("pincodes: view and hide"):
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Pincodes")
        await w.see("Kies een groep van OBS De Regenboog")
        await w.tap("Groep 4")
        await w.see("De pincodes zijn verborgen")
        await w.tap("Toon pincodes")
        await w.see(re.compile(r"^\d{4,6}$"))
        await w.tap("Verberg")
        await w.see("De pincodes zijn verborgen")
        await w.gone(re.compile(r"^\d{4,6}$"))

    with w.task("pincodes: change one"):
        await w.tap_in_row("Isa el Amrani", "Wijzig")
        await w.see("Nieuwe pincode")
        await w.fill("Nieuwe pincode (4 tot 6 cijfers)", "4827")
        await w.tap("Wijzig pincode")
        await w.see("Pincode gewijzigd")
        await w.see("4827")
        await w.tap("Verberg")
        await w.see("De pincode van Isa el Amrani (Groep 4) is gewijzigd")
        await w.gone("4827")

    with w.task("pincodes: print"):
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Pincodes")
        await w.see("Kies een groep van OBS De Regenboog")
        await w.tap("Groep 4")
        await w.see("De pincodes zijn verborgen")
        await w.tap("Print pincodes")
        await w.see("staat klaar")
        await w.tap("Open de PDF")
        url = await opened_url(page)
        answer = await page.context.request.get(url)
        body = await answer.body()
        if answer.status != 200 or not body.startswith(b"%PDF"):
            raise StepFailed(f"'Open de PDF' gave {answer.status}, not a PDF ({url})")

    with w.task("LVS coupling"):
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Resultaten uitwisselen")
        await w.see("Je school heeft nog geen koppeling")
        await w.tap("Koppeling toevoegen")
        await w.see("Met welk leerlingvolgsysteem wil je koppelen?")
        await w.tap("ParnasSys")
        await w.see("plak hier de autorisatiesleutel")
        await w.fill("Autorisatiesleutel", "Pk77881FG-HJ99777737=")
        await w.tap("Opslaan")
        await w.see("De koppeling met ParnasSys is opgeslagen")
        await w.see("Wacht op eerste uitwisseling")

    with w.task("language and back"):
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Taal / Language")
        await w.see("Which language do you want?")
        await w.tap("English")
        await w.see("What would you like to do?")
        await w.see("Link licences")
        await w.tap("Taal / Language")
        await w.see("Which language do you want?")
        await w.tap("Nederlands")
        await w.see("Wat wil je doen?")

    with w.task("notification: Nu koppelen"):
        delivery = later_delivery(procs.tmp)
        w.last_action = "beheerbot sync of a later delivery with a new Groep 8b"
        out = procs.cli("sync", str(delivery))
        (w.shots / "sync.txt").write_text(out, encoding="utf-8")
        await w.see("Groep 8b heeft nog geen licentie voor")
        await w.tap("Groep 8b → Naut groep 8")
        await w.see("Klopt dit?")
        await w.tap("Koppelen")
        await w.see("Groep 8b is gekoppeld aan")
        linked = manual_links(procs.tmp / "beheerbot.db", "Groep 8b")
        if len(linked) != 1:
            raise StepFailed(f"after 'Nu koppelen' the database has {linked!r} for Groep 8b")


async def helpdesk_walk(w: Walk) -> None:
    with w.task("helpdesk channel loop"):
        await w.open_conversation("General")
        await w.post_mention("helpdesk")
        await w.see("Dit kanaal krijgt voortaan de meldingen over kindlicenties", anywhere=True)
        await w.open_conversation("Personal Chat")
        await w.tap("Menu")
        await w.see("Wat wil je doen?")
        await w.tap("Kindlicenties")
        await w.see("Licenties per kind")
        await w.tap("Open Bingel groep 3 t/m 8")
        await w.see("Gekoppelde kinderen")
        await w.tap("Verkeerd kind gekoppeld?")
        await w.see("Welk kind staat er verkeerd op?")
        await w.choose("Welk kind staat er verkeerd op?", "Hanna Kok")
        await w.fill("Waarom klopt het niet? (kort)", "Verwisseld met een klasgenoot")
        await w.tap("Verder")
        await w.see("Melding naar de helpdesk")
        await w.tap("Melding versturen")
        await w.see("Melding HD-000001 is gemaakt")
        await w.open_conversation("General")
        await w.see("Melding HD-000001: kindlicentie", anywhere=True)
        await w.tap("Uitvoeren")
        await w.see("Uitgevoerd door Alex Wilber", anywhere=True)
        await w.open_conversation("Personal Chat")
        await w.see("Melding HD-000001 is uitgevoerd", anywhere=True)


async def teacher_walk(w: Walk, procs: Processes) -> None:
    with w.task("teacher refused"):
        await w.page.goto(f"http://127.0.0.1:{procs.playground_port}/")
        await w.see("Deze bot is voor ict-coördinatoren", anywhere=True)
        await w.say("pincodes groep 4")
        await w.see("Deze bot is voor ict-coördinatoren")
    w.taps.pop("teacher refused")


def print_taps(taps: dict[str, int]) -> None:
    print()
    print("| task | taps in Teams | steps in the manual |")
    print("|---|---|---|")
    for name, n in taps.items():
        manual = MANUAL_STEPS.get(name)
        print(f"| {name} | {n} | {'—' if manual is None else f'about {manual}'} |")


async def main_async(args: argparse.Namespace) -> int:
    shots = ROOT / "build" / "e2e"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp(prefix="beheerbot-e2e-"))
    procs = Processes(tmp, args.bot_port, args.playground_port)
    walk: Walk | None = None
    started = time.monotonic()
    try:
        port_free(args.bot_port)
        port_free(args.playground_port)
        procs.start_bot()
        async with async_playwright() as pw:
            playground = procs.start_playground()
            context, blocked = await open_browser(pw, tmp, "coordinator")
            walk = Walk(context.pages[0], shots, "a")
            await walk.run(coordinator_walk(walk, procs), context, keep_open=True)
            await walk.run(helpdesk_walk(walk), context)
            procs.stop(playground)
            taps = walk.taps

            procs.start_playground(TEACHER_CONFIG)
            context, blocked_teacher = await open_browser(pw, tmp, "teacher")
            walk = Walk(context.pages[0], shots, "b")
            await walk.run(teacher_walk(walk, procs), context)
        print_taps(taps)
        outside = sorted({urlsplit(u).hostname or u for u in blocked + blocked_teacher})
        print(f"\nBlocked requests to: {', '.join(outside) or 'none'}")
        print(f"e2e: all scenarios passed in {time.monotonic() - started:.0f} s; "
              f"screenshots in {shots.relative_to(ROOT)}/")
        return 0
    except Exception as exc:
        where = f"{walk.task_name}: {walk.last_action}" if walk else "start-up"
        print(f"\ne2e FAILED at step [{where}]\n  {exc or repr(exc)}", file=sys.stderr)
        return 1
    finally:
        procs.stop_all()
        for log in ("bot.log", "playground.log"):
            if (tmp / log).exists():
                shutil.copy(tmp / log, shots / log)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bot-port", type=int, default=int(os.environ.get("E2E_BOT_PORT", 3991)))
    parser.add_argument("--playground-port", type=int,
                        default=int(os.environ.get("E2E_PLAYGROUND_PORT", 56001)))
    code = asyncio.run(main_async(parser.parse_args()))
    if code:
        log = ROOT / "build" / "e2e" / "bot.log"
        if log.exists():
            print("\n--- last lines of the bot's log (build/e2e/bot.log) ---", file=sys.stderr)
            print("\n".join(log.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
