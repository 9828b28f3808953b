"""Pincodes through the real app: a new user's walk by button titles, Action.Execute invokes,
typed shortcuts, refusals, the Action.Submit fallback, and no code in logs or the database."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from pypdf import PdfReader
from sqlalchemy import select, update

from dialogs.pincode_dialog import replace_card
from services.demo import PLAYGROUND_TENANT
from services.models import AuditEvent, Group, Person, Role
from services.pincodes.results import MODE_DIGITS, MODE_PICTURES, picture_names
from tests.conftest import MEGAN_AAD, sqlite_only
from tests.pincode_support import (
    CARD,
    PincodeChat,
    all_codes,
    assert_codes_absent,
    codes_by_pupil,
    plaintext_dump,
    raw_database,
    stored_codes,
)

REGENBOOG = 1  # the first demo school
KOMPAS = 2


@pytest.fixture
def pchat(bot_client) -> PincodeChat:
    return PincodeChat(bot_client)


async def _open_group(chat: PincodeChat, group: str = "Groep 4") -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")
    await chat.click("Pincodes")
    assert "Kies een groep van OBS De Regenboog" in chat.texts()
    await chat.click(group)
    assert f"Pincodes {group}" in chat.texts()


def _pupil_rows(card: dict) -> list[dict]:
    return [e for e in card["body"] if e.get("type") == "ColumnSet"
            and e["columns"][-1]["items"][0].get("type") == "ActionSet"
            and e["columns"][-1]["items"][0]["actions"][0]["data"].get("person_id")]


def _rows(card: dict) -> dict[str, str]:
    """{pupil name: what the code line under the name shows} of a group card."""
    return {row["columns"][0]["items"][0]["text"]: row["columns"][0]["items"][1]["text"]
            for row in _pupil_rows(card)}


async def _change_first(chat: PincodeChat, index: int = 0) -> None:
    """Press the first (or index-th) pupil's 'Wijzig <name>' button."""
    (button,) = _pupil_rows(chat.card)[index]["columns"][-1]["items"][0]["actions"]
    assert button["title"].startswith("Wijzig ")
    await chat.click(button["title"])


async def _audit_actions(db) -> list[str]:
    async with db() as session:
        return list((await session.scalars(select(AuditEvent.action)
                                           .where(AuditEvent.outcome == "ok"))).all())


# -- the walk of a new user ------------------------------------------------------------------------

async def test_new_user_walk_view_hide_change_switch_print(pchat: PincodeChat, db, bot_client):
    chat = pchat
    await _open_group(chat)
    stored = await stored_codes(db, "Groep 4", REGENBOOG)
    hidden = _rows(chat.card)
    assert set(hidden) == set(stored) and set(hidden.values()) == {"••••"}
    assert not any(code in chat.texts() for _, code in stored.values())
    assert "inloggen met cijfer-wachtwoord" in chat.texts()

    # Toon pincodes: the card is replaced in place by the invoke response.
    shown = await chat.execute("Toon pincodes")
    assert _rows(shown) == {name: code for name, (_, code) in stored.items()}
    assert "reveal_pincodes" in await _audit_actions(db)
    # Verberg: replaced again, the codes are gone.
    again = await chat.execute("Verberg")
    assert set(_rows(again).values()) == {"••••"}
    assert not any(code in json.dumps(again) for _, code in stored.values())

    # Wijzig pincode: bad input first, each with its reason; then a good code.
    first = next(iter(_rows(again)))  # the first pupil of the card
    await _change_first(chat)
    assert "Wijzig pincode" in chat.texts() and first in chat.texts()
    for bad, reason in (("1234", "rijtje opeenvolgende cijfers"),
                        ("7777", "Alle cijfers zijn hetzelfde"),
                        ("12a45", "alleen uit cijfers"),
                        ("123", "4 tot 6 cijfers"),
                        ("", "Typ een nieuwe pincode"),
                        (stored[first][1], "huidige pincode")):
        await chat.click("Wijzig pincode", new_code=bad)
        assert reason in chat.texts(), bad
        assert "Wijzig pincode" in chat.texts()  # asked again, on a fresh card
    assert (await stored_codes(db, "Groep 4", REGENBOOG))[first] == stored[first]
    new = "730519" if stored[first][1] != "730519" else "730529"
    await chat.click("Wijzig pincode", new_code=new)
    assert "Pincode gewijzigd" in chat.texts() and new in chat.texts()
    assert (await stored_codes(db, "Groep 4", REGENBOOG))[first] == (MODE_DIGITS, new)
    hidden_new = await chat.execute("Verberg")
    assert new not in json.dumps(hidden_new) and "is gewijzigd" in json.dumps(hidden_new)

    # Inlogmethode: confirm, then every pupil has a picture code.
    await chat.click("Terug naar de groep")
    await chat.click("Inlogmethode")
    assert "Inlogmethode wijzigen?" in chat.texts() and "nieuwe pincode" in chat.texts()
    await chat.click("Overstappen op plaatjes")
    assert "Inlogmethode gewijzigd" in chat.texts()
    switched = await stored_codes(db, "Groep 4", REGENBOOG)
    assert {kind for kind, _ in switched.values()} == {MODE_PICTURES}

    # Print: a link on the bot's own server; the PDF has every pupil with their pictures.
    await chat.click("Print pincodes")
    url = chat.button("Open de PDF")["url"]
    assert url.startswith("http://127.0.0.1:3978/downloads/pincodes/")
    response = await bot_client.get(url.removeprefix("http://127.0.0.1:3978"))
    assert response.status == 200 and response.content_type == "application/pdf"
    assert response.headers["Cache-Control"].startswith("no-store")
    assert 'filename="pincodes-groep-4.pdf"' in response.headers["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(await response.read())).pages)
    names = sorted(switched, key=lambda n: text.index(n))
    for name, following in zip(names, names[1:] + [None], strict=True):
        card_text = text[text.index(name): text.index(following) if following else None]
        for picture in picture_names(switched[name][1]):
            assert f"\n{picture}\n" in card_text, (name, picture)
    assert {"pincode_print_link", "print_pincodes", "switch_login_mode",
            "change_pincode"} <= set(await _audit_actions(db))


async def test_invoke_through_the_real_app_returns_200_and_the_card(pchat: PincodeChat):
    await _open_group(pchat)
    action = next(a for a in pchat.actions() if a.get("type") == "Action.Execute")
    response = await pchat.client.post("/api/messages", json=pchat._activity(
        "invoke", name="adaptiveCard/action", deliveryMode=None, serviceUrl="http://127.0.0.1:9/",
        value={"action": {"type": "Action.Execute", "verb": action["verb"],
                          "data": action["data"]}}))
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200 and body["type"] == CARD
    assert body["value"]["type"] == "AdaptiveCard" and "Verberg" in json.dumps(body["value"])


async def test_pictures_and_a_generated_code_through_the_chat(pchat: PincodeChat, db):
    await _open_group(pchat, "Groep 3")
    first = next(iter(_rows(pchat.card)))
    await _change_first(pchat)
    assert len([e for e in pchat.card["body"] if e["type"] == "Input.ChoiceSet"]) == 4
    await pchat.click("Wijzig pincode", picture_1="zon", picture_2="zon", picture_3="vis",
                      picture_4="boot")
    assert "verschillende plaatjes" in pchat.texts()
    await pchat.click("Wijzig pincode", picture_1="zon", picture_2="maan", picture_3="vis")
    assert "precies 4 plaatjes" in pchat.texts()
    wanted = ("kroon", "wolk", "vis", "boot")
    await pchat.click("Wijzig pincode", **{f"picture_{i}": p for i, p in enumerate(wanted, 1)})
    assert "👑 kroon · ☁️ wolk · 🐟 vis · ⛵ boot" in pchat.texts()
    assert (await stored_codes(db, "Groep 3", REGENBOOG))[first] == (MODE_PICTURES,
                                                                     "-".join(wanted))
    await pchat.click("Terug naar de groep")
    await _change_first(pchat)
    await pchat.click("Bedenk er een voor mij")
    generated = (await stored_codes(db, "Groep 3", REGENBOOG))[first][1]
    assert generated != "-".join(wanted) and "Pincode gewijzigd" in pchat.texts()


async def test_cancel_and_an_old_card_change_nothing(pchat: PincodeChat, db):
    await _open_group(pchat)
    before = await stored_codes(db, "Groep 4", REGENBOOG)
    await _change_first(pchat)
    old_save = pchat.button("Wijzig pincode")["data"]
    await pchat.click("Annuleren")
    assert "Geannuleerd" in pchat.texts()
    await pchat.submit({**old_save, "new_code": "730519"})
    assert "verlopen" in pchat.texts()
    await pchat.say("pincodes groep 4")
    await pchat.click("Inlogmethode")
    await pchat.click("Annuleren")
    assert await stored_codes(db, "Groep 4", REGENBOOG) == before


# -- typed shortcuts -------------------------------------------------------------------------------

async def test_typed_pincodes_open_the_group(pchat: PincodeChat):
    await pchat.join()
    await pchat.choose_school("OBS De Regenboog (12AB 00)")
    await pchat.say("pincodes groep 4")
    assert "Pincodes Groep 4" in pchat.texts() and "Toon pincodes" in pchat.texts()
    await pchat.say("pincode 5B")
    assert "Pincodes Groep 5b" in pchat.texts()
    await pchat.say("pincodes")
    assert "Kies een groep van OBS De Regenboog" in pchat.texts()
    await pchat.say("pincodes groep 12z")
    assert "Ik vind geen groep 'groep 12z'" in pchat.texts()
    await pchat.say("andere school")
    await pchat.click("CBS Het Kompas (34CD 01)")
    await pchat.say("Pincodes Groep 4B")
    assert "Pincodes Groep 4b" in pchat.texts()
    await pchat.say("pincode 4")
    assert "Meerdere groepen passen bij '4'" in pchat.texts()
    assert {"Groep 4a", "Groep 4b"} <= {a["title"] for a in pchat.actions()}


# -- who may see codes -----------------------------------------------------------------------------

async def _group_id(db, school_id: int, name: str) -> int:
    async with db() as session:
        return await session.scalar(select(Group.id).where(Group.school_id == school_id,
                                                           Group.name == name))


async def test_a_teacher_invoking_gets_the_refusal_and_no_code(bot_client, db):
    group = await _group_id(db, REGENBOOG, "Groep 4")
    megan = PincodeChat(bot_client, user_id="megan", name="Megan Bowen", aad=MEGAN_AAD)
    status, body = await megan.invoke({"verb": "pincodes.show", "data": {
        "action": "pincodes.show", "school_id": REGENBOOG, "group_id": group}})
    assert status == 200
    card = json.dumps(body["value"], ensure_ascii=False)
    assert "alleen voor ict-coördinatoren" in card
    assert not any(code in card for _, code in (await stored_codes(db, "Groep 4")).values())
    await megan.submit({"action": "pincodes.show", "school_id": REGENBOOG, "group_id": group})
    assert "alleen voor ict-coördinatoren" in megan.texts()


async def test_another_schools_coordinator_and_forged_invokes_are_refused(bot_client, db):
    async with db.begin() as session:
        await session.execute(update(Person).where(Person.basispoort_key == "coord-fatima")
                              .values(aad_object_id="fatima-aad", aad_tenant_id=PLAYGROUND_TENANT))
    fatima = PincodeChat(bot_client, user_id="fatima", name="Fatima el Amrani", aad="fatima-aad")
    regenboog4 = await _group_id(db, REGENBOOG, "Groep 4")
    codes = {code for _, code in (await stored_codes(db, "Groep 4", REGENBOOG)).values()}
    for data in ({"school_id": REGENBOOG, "group_id": regenboog4},
                 {"school_id": KOMPAS, "group_id": regenboog4},
                 {"school_id": "1 or 1=1", "group_id": regenboog4},
                 {"school_id": KOMPAS}):
        status, body = await fatima.invoke({"verb": "pincodes.show",
                                            "data": {"action": "pincodes.show", **data}})
        card = json.dumps(body["value"], ensure_ascii=False)
        assert status == 200 and "Dat lukt niet" in card, data
        assert not any(code in card for code in codes)
    status, body = await fatima.invoke({"verb": "pincodes.explode", "data": {}})
    assert status == 200 and "verlopen" in json.dumps(body["value"])
    # Not an Action.Execute at all: the SDK answers 400 and nothing runs.
    activity = fatima._activity("invoke", name="adaptiveCard/action",
                                value={"action": {"type": "Action.Submit"}})
    activity.pop("deliveryMode")
    response = await bot_client.post("/api/messages", json=activity)
    assert response.status == 400
    async with db() as session:
        refused = (await session.scalars(select(AuditEvent.action)
                                         .where(AuditEvent.outcome == "refused"))).all()
    assert refused.count("pincode_group") >= 2


async def test_every_invoke_is_authorised_afresh(pchat: PincodeChat, db):
    await _open_group(pchat)
    async with db.begin() as session:  # tonight's sync: Alex is no coördinator any more
        alex = await session.scalar(select(Person.id).where(Person.basispoort_key == "coord-alex"))
        await session.execute(update(Role).where(Role.person_id == alex).values(role="teacher"))
    status, body = await pchat.invoke(_executes(pchat)["Toon pincodes"])
    card = json.dumps(body["value"], ensure_ascii=False)
    assert status == 200 and "alleen voor ict-coördinatoren" in card
    codes = {code for _, code in (await stored_codes(db, "Groep 4", REGENBOOG)).values()}
    assert not any(code in card for code in codes)


def _executes(chat: PincodeChat) -> dict[str, dict]:
    return {a["title"]: a for a in chat.actions() if a.get("type") == "Action.Execute"}


# -- the Action.Submit fallback ----------------------------------------------------------------------

async def test_without_action_execute_the_fallback_submit_still_shows_and_hides(pchat, db):
    await _open_group(pchat)
    stored = await stored_codes(db, "Groep 4", REGENBOOG)
    await pchat.click("Toon pincodes")  # the Action.Submit fallback, as a message
    assert _rows(pchat.card) == {name: code for name, (_, code) in stored.items()}
    await pchat.click("Verberg")
    assert set(_rows(pchat.card).values()) == {"••••"}


def _context(adapter: TestAdapter, **fields) -> TurnContext:
    activity = Activity(type=ActivityTypes.message, channel_id="msteams", id="act-1",
                        service_url="https://smba.example.invalid/",
                        from_property=ChannelAccount(id="user"),
                        recipient=ChannelAccount(id="bot"),
                        conversation=ConversationAccount(id="conv"), **fields)
    return TurnContext(adapter, activity)


async def test_the_fallback_updates_the_message_the_button_was_on():
    adapter = TestAdapter()
    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    await replace_card(_context(adapter, reply_to_id="msg-with-codes"), card)
    [updated] = adapter.updated_activities
    assert updated.id == "msg-with-codes"
    assert updated.attachments[0].content == card
    assert not adapter.activity_buffer


async def test_when_the_update_fails_the_card_is_sent_anew(monkeypatch):
    adapter = TestAdapter()

    async def refuse(context, activity):
        raise RuntimeError("connector said no")

    monkeypatch.setattr(adapter, "update_activity", refuse)
    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    await replace_card(_context(adapter, reply_to_id="msg-with-codes"), card)
    [sent] = adapter.activity_buffer
    assert sent.attachments[0].content == card


# -- no code in logs or in the database file ---------------------------------------------------------

@sqlite_only
async def test_no_code_in_logs_or_the_database_file(pchat: PincodeChat, db, migrated_demo_db,
                                                    bot_client, caplog):
    # SQL logging (off in production) echoes ciphertext, whose repr may hold digits by chance;
    # that no plaintext reaches SQL at all is what the database-file check proves.
    caplog.set_level(logging.WARNING, logger="sqlalchemy")
    caplog.set_level(logging.WARNING, logger="aiosqlite")
    caplog.set_level(logging.DEBUG)  # last: it also sets the capturing handler's level
    db_path = Path(migrated_demo_db.removeprefix("sqlite+aiosqlite:///"))
    typed = next(str(n) for n in range(730519, 999999, 7919)
                 if str(n).encode() not in raw_database(db_path))
    await _open_group(pchat)
    shown = await all_codes(db)  # Groep 4's digit codes are shown now and replaced later
    await pchat.execute("Toon pincodes")
    await pchat.execute("Verberg")
    await pchat.click("Toon pincodes")  # the fallback path too
    await pchat.click("Verberg")
    await _change_first(pchat)
    await pchat.click("Wijzig pincode", new_code="1234")
    await pchat.click("Wijzig pincode", new_code=typed)
    await pchat.execute("Verberg")
    await pchat.click("Terug naar de groep")
    await _change_first(pchat, 1)
    await pchat.click("Bedenk er een voor mij")
    await pchat.click("Terug naar de groep")
    await pchat.click("Inlogmethode")
    await pchat.click("Overstappen op plaatjes")
    await pchat.click("Print pincodes")
    url = pchat.button("Open de PDF")["url"].removeprefix("http://127.0.0.1:3978")
    assert (await bot_client.get(url)).status == 200
    assert (await bot_client.get(url[:-4] + "AAAA")).status == 403

    codes = await all_codes(db) | shown | {typed}
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for code in codes:
        assert code not in logged
    for name, (_, code) in (await stored_codes(db, "Groep 4", REGENBOOG)).items():
        assert " ".join(picture_names(code)) not in logged, name
    raw = raw_database(db_path)
    assert typed.encode() not in raw
    assert assert_codes_absent(codes, raw, plaintext_dump(db_path)) > 0.95 * len(codes)


# -- one change per click --------------------------------------------------------------------------

async def test_a_double_click_changes_once(pchat: PincodeChat, db):
    await _open_group(pchat, "Groep 4")
    await _change_first(pchat)
    generate = pchat.button("Bedenk er een voor mij")["data"]
    before = await stored_codes(db, "Groep 4", REGENBOOG)
    texts = await pchat.submit_at_once(generate, 2)
    after = await stored_codes(db, "Groep 4", REGENBOOG)
    assert len([name for name in after if after[name] != before[name]]) == 1
    assert sum("Pincode gewijzigd" in t for t in texts) == 1
    # The other lost the claim, or (on a slow run) came after the flow had ended.
    assert sum("al gedaan" in t or "verlopen" in t for t in texts) == 1, texts
    assert not any("ging iets mis" in t.lower() for t in texts), texts
    assert (await _audit_actions(db)).count("change_pincode") == 1
    # The flow ended normally: the conversation goes on.
    await pchat.say("pincodes groep 4")
    assert "Pincodes Groep 4" in pchat.texts()


async def test_two_conversations_of_one_coordinator_keep_their_flows(bot_client, db):
    here, there = PincodeChat(bot_client), PincodeChat(bot_client)
    await _open_group(here, "Groep 4")
    await there.say("andere school")
    await there.click("CBS Het Kompas (34CD 01)")
    await there.say("Pincodes Groep 4B")
    for chat in (here, there):
        await _change_first(chat)
    before = await codes_by_pupil(db)
    # Both conversations write the profile they share (the school last chosen) at once.
    clicks = [chat._activity("message", value=chat.button("Bedenk er een voor mij")["data"])
              for chat in (here, there)]
    responses = await asyncio.gather(*(bot_client.post("/api/messages", json=a) for a in clicks))
    for chat, response in zip((here, there), responses, strict=True):
        assert response.status == 200
        chat.replies = (await response.json())["activities"]
        assert "Pincode gewijzigd" in chat.texts(), chat.texts()
    after = await codes_by_pupil(db)
    assert len([pupil for pupil, code in after.items() if before[pupil] != code]) == 2
    for chat in (here, there):
        await chat.click("Terug naar de groep")
        assert "Pincodes Groep" in chat.texts()


async def test_an_execute_pressed_twice_at_once_changes_once(pchat: PincodeChat, db):
    """The same through Action.Execute (an invoke each), as Teams sends it."""
    await _open_group(pchat, "Groep 4")
    await _change_first(pchat)
    action = next(a for a in pchat.actions() if a.get("type") == "Action.Execute"
                  and a.get("title") == "Bedenk er een voor mij")
    before = await stored_codes(db, "Groep 4", REGENBOOG)
    pressed = {"verb": action["verb"], "data": action.get("data", {})}
    answers = await asyncio.gather(pchat.invoke(pressed), pchat.invoke(pressed))
    texts = []
    for status, body in answers:
        assert status == 200, body
        texts.append(json.dumps(body, ensure_ascii=False))
    after = await stored_codes(db, "Groep 4", REGENBOOG)
    assert len([name for name in after if after[name] != before[name]]) == 1
    assert sum("Pincode gewijzigd" in t for t in texts) == 1, texts
    # The other press lost the claim ('al gedaan'), or came after the flow had ended (the card
    # is 'verlopen'): which one depends only on how the two turns interleave.
    assert all("Pincode gewijzigd" in t or "al gedaan" in t or "verlopen" in t for t in texts)
    assert not any("ging iets mis" in t.lower() for t in texts), texts
    assert (await _audit_actions(db)).count("change_pincode") == 1
