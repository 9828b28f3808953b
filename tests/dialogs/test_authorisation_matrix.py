"""The authorisation matrix, table-driven from the action registry: every card action and every
Action.Execute verb, sent by everyone who is not this school's coördinator (the coördinator of
another school, a teacher, a pupil, an unknown user, a user of another tenant with the
coördinator's object id). Nothing changes, no pupil of the school is shown, and every try is
audited as refused. An action without a row here fails the test."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.pool import NullPool

from bot.app import create_app
from cards.locale import en, nl
from dialogs.registry import load_tasks
from services import intents
from services.db import READ_ONLY, create_engine
from services.demo import PLAYGROUND_TENANT
from tests.conftest import ALEX_AAD, MEGAN_AAD, db_rows, fixed_clock, make_settings, run_apart
from tests.pincode_support import PincodeChat

REGENBOOG = 1
OTHER_TENANT = "99999999-0000-0000-0000-000000000009"
EXECUTE_VERBS = ("pincodes.show", "pincodes.hide", "pincode.hide_new", "helpdesk.execute",
                 "helpdesk.reject",
                 # Action.Execute buttons of forms, answered by the running flow in their card
                 "pincode.save", "pincode.generate", "exchange.save", "cancel")

# action -> the fields its card sends besides the school (ids filled in from the database).
MATRIX: dict[str, tuple[str, ...]] = {
    "exchange.verify": ("link_id",), "exchange.grades": (), "exchange": (),
    "exchange.add": ("group_id",), "exchange.remove": ("link_id",),
    "language.set": ("language",), "help": (), "language": (), "las": (), "school.set": (),
    "menu": (), "unknown": ("text",), "school.pick": (),
    "welcome": (), "childlic.open": ("licence_id",), "childlic": (), "children": (),
    "shortcut.children": ("licence_id",), "children.licence": ("licence_id",),
    "shortcut.pupil": ("name",), "topography": (), "childlic.wrong": ("licence_id",),
    "children.add": ("licence_id", "child_ids"), "childlic.assign": ("licence_id", "child_ids"),
    "autolink": (), "shortcut.link": ("licence_id", "group_ids"),
    "children.remove": ("licence_id", "child_ids"), "licences": (),
    "link.start": ("licence_id",), "unlink.start": ("licence_id",),
    "pincode.hide_new": ("group_id", "person_id"), "pincodes.hide": ("group_id",),
    "pincodes.show": ("group_id",), "pincodes.group": ("group_id",),
    "pincodes.print": ("group_id",), "pincodes": (), "pincode.change": ("group_id", "person_id"),
    "pincodes.mode": ("group_id",), "school.coordinators": (), "school.group": ("group_id",),
    "school.groups": (), "school.pupils": ("query",), "school.home": (),
    "school.teachers": (), "changes": (), "changes.run": ("run_id",),
    "notify.link": ("licence_id", "group_id"), "notify.undo": ("licence_id", "group_id"),
    "helpdesk.tickets": (),
    "too_long": ("length",), "audit.recent": (),
}
# Actions that name no school data: they may answer without an audited refusal.
NO_SCHOOL_DATA = {"help", "language", "las", "welcome", "unknown", "school.pick",
                  "topography", "language.set", "menu", "school.set", "too_long"}


def _actions() -> set[str]:
    return {route.action for cls in load_tasks() for route in cls.declared_routes()}


def test_every_action_has_a_row():
    assert set(MATRIX) == _actions()


def _snapshot(url) -> dict[str, list]:
    """Every row of every table but the bot's own bookkeeping (audit, dialog state, claims,
    where it can reach people)."""
    return run_apart(_read_tables(url, skip=("audit_events", "bot_state", "step_claims",
                                             "alembic_version", "conversation_refs")))


async def _read_tables(url, skip) -> dict[str, list]:
    # Read-only: on SQLite it begins deferred, so it never waits for the write lock of the app
    # under test, whose event loop this read blocks (run_apart).
    engine = create_engine(url, poolclass=NullPool, execution_options={READ_ONLY: True})
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            return {t: sorted(map(repr, (await conn.execute(text(f"select * from {t}"))).all()))
                    for t in names if t not in skip}
    finally:
        await engine.dispose()


def _ids(url) -> dict[str, object]:
    one = lambda sql: db_rows(url, sql)[0][0]  # noqa: E731
    group = one("select id from groups where school_id = 1 and name = 'Groep 4'")
    pupil = one("select person_id from group_members where role = 'pupil' and group_id = "
                f"{group}")
    licence = one("select id from licences where school_id = 1 order by id")
    child_licence = one("select id from licences where school_id = 1 and model = 'child'")
    run = one("select max(id) from sync_runs where school_id = 1")
    pupils = [n for (n,) in db_rows(
        url, "select p.first_name || ' ' || case when p.tussenvoegsel = '' then '' else "
        "p.tussenvoegsel || ' ' end || p.last_name from people p join roles r on "
        "r.person_id = p.id where r.school_id = 1 and r.role = 'pupil'")]
    return {"group_id": group, "person_id": pupil, "licence_id": licence,
            "child_ids": str(pupil), "group_ids": str(group), "link_id": 1,
            "language": "en", "run_id": run, "text": "pincodes groep 4",
            "name": pupils[0], "query": "", "length": 500, "child_licence": child_licence, "pupils": pupils}


def _refused(url) -> int:
    return db_rows(url, "select count(*) from audit_events where outcome = 'refused'")[0][0]


ROLES = ["coordinator of another school", "teacher", "pupil", "unknown", "other tenant",
         "helpdesk agent"]
AGENT_AAD = "agent-aad"

# One typed example per typed request a view serves; a new typed shortcut without one fails.
TYPED: dict[type, str] = {
    intents.Help: "help", intents.Menu: "menu", intents.Language: "taal",
    intents.School: "schoolgegevens", intents.SwitchSchool: "andere school",
    intents.Licences: "licenties", intents.Exchange: "lvs", intents.Children: "kinderen",
    intents.ChildLicences: "kindlicenties", intents.Topography: "topografie",
    intents.AutoLink: "automatisch koppelen", intents.Changes: "wijzigingen",
    intents.Tickets: "meldingen", intents.RecentChanges: "logboek",
    intents.Pincodes: "pincodes groep 4", intents.ChildrenOf: "kinderen op pluspunt",
    intents.Las: "maak een nieuwe leerling aan", intents.LinkGroup: "koppel groep 4 aan staal",
    intents.Pupil: "leerling {pupil}", intents.TooLong: "x" * 300,
    intents.Unknown: "wat is het weer morgen",
}


def test_every_typed_request_has_an_example():
    typed = {route.typed for cls in load_tasks() for route in cls.declared_routes()
             if route.typed is not None}
    assert set(TYPED) == typed
    for kind, example in TYPED.items():
        assert isinstance(intents.parse(example.format(pupil="sanne de vries")), kind), example


@pytest.mark.parametrize("role", ROLES)
async def test_only_the_schools_coordinator_may_act(aiohttp_client, migrated_demo_db,
                                                    role):
    db_rows(migrated_demo_db, "update people set aad_object_id = 'fatima-aad', aad_tenant_id = :tenant "
            "where email = 'f.elamrani@cbshetkompas.nl'", tenant=PLAYGROUND_TENANT)
    db_rows(migrated_demo_db, "update people set aad_object_id = 'pupil-aad', aad_tenant_id = :tenant "
            "where id = (select person_id from roles where role = 'pupil' and school_id = 1 "
            "order by person_id limit 1)", tenant=PLAYGROUND_TENANT)
    settings = make_settings(migrated_demo_db, allowed_tenants=(PLAYGROUND_TENANT, OTHER_TENANT),
                             message_rate="100000/minute", helpdesk_agents=(AGENT_AAD,))
    client = await aiohttp_client(create_app(settings, clock=fixed_clock))
    aad, tenant = {
        "coordinator of another school": ("fatima-aad", PLAYGROUND_TENANT),
        "teacher": (MEGAN_AAD, PLAYGROUND_TENANT),
        "pupil": ("pupil-aad", PLAYGROUND_TENANT),
        "unknown": ("nobody-aad", PLAYGROUND_TENANT),
        "other tenant": (ALEX_AAD, OTHER_TENANT),
        "helpdesk agent": (AGENT_AAD, PLAYGROUND_TENANT),
    }[role]
    chat = PincodeChat(client, user_id=f"user-{role}", name="Iemand", aad=aad, tenant=tenant)
    ids = _ids(migrated_demo_db)
    before = _snapshot(migrated_demo_db)
    not_refused = []
    for action in sorted(MATRIX):
        data = {"action": action, "school_id": REGENBOOG, "flow": "x",
                **{field: ids[field] for field in MATRIX[action]}}
        if action.startswith("childlic") or action.startswith("children"):
            data["licence_id"] = ids["child_licence"]
        refused_before = _refused(migrated_demo_db)
        await chat.submit(data)
        shown = chat.texts()
        assert not any(name in shown for name in ids["pupils"]), (role, action)
        # The other school's coördinator may use the bot, so only actions on school data are
        # refusals; everyone else is refused (and audited) whatever they send.
        if role != "coordinator of another school" or action not in NO_SCHOOL_DATA:
            if _refused(migrated_demo_db) == refused_before:
                not_refused.append(action)
    # Typed words: the same, whatever is typed (a name one types may be echoed, no other; the
    # help texts' example pupil is no leak either).
    examples = str(nl.CATALOG) + str(en.CATALOG)
    unechoed = [name for name in ids["pupils"][1:] if name not in examples]
    for kind, example in TYPED.items():
        said = example.format(pupil=ids["pupils"][0])
        refused_before = _refused(migrated_demo_db)
        await chat.say(said)
        shown = chat.texts()
        assert not any(name in shown for name in unechoed), (role, said)
        if role != "coordinator of another school" and _refused(migrated_demo_db) == refused_before:
            not_refused.append(f"typed {kind.__name__}")
    for verb in EXECUTE_VERBS:
        status, body = await chat.invoke({"verb": verb, "data": {
            "school_id": REGENBOOG, "group_id": ids["group_id"], "person_id": ids["person_id"],
            "ticket_id": 1, "reason": "nee"}})
        assert status == 200
        assert not any(name in str(body) for name in ids["pupils"]), (role, verb)
    assert _snapshot(migrated_demo_db) == before, role
    assert not_refused == [], f"not audited as refused: {not_refused}"


async def test_the_checks_can_see_what_the_coordinator_may(aiohttp_client, migrated_demo_db):
    """The control: the same sweep's checks do see the school's pupils and a change when this
    school's coördinator acts (so the matrix above is not passing by seeing nothing)."""
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    chat = PincodeChat(client)
    ids = _ids(migrated_demo_db)
    before = _snapshot(migrated_demo_db)
    await chat.submit({"action": "school.pupils", "school_id": REGENBOOG, "query": ""})
    assert any(name in chat.texts() for name in ids["pupils"])
    await chat.submit({"action": "language.set", "school_id": REGENBOOG, "language": "en"})
    assert _snapshot(migrated_demo_db) != before
