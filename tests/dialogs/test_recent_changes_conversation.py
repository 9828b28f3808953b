"""'Recente wijzigingen': the coördinator reads the school's audit trail (who, when, what, from
which conversation; refusals included), paged, in Dutch or English; nobody else sees it."""

from __future__ import annotations

from sqlalchemy import select

from services.models import AuditEvent, School
from tests.conftest import MEGAN_AAD, Chat
from tests.dialogs.test_link_conversation import _licence_id


async def _regenboog(chat: Chat) -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")


async def _link_staal_5(chat: Chat, db_url: str) -> None:
    await chat.click("Licenties koppelen")
    await chat.page_to("Koppel Staal groep 5")
    licence_id = await _licence_id(db_url, "Staal", "5")
    await chat.submit(next(a["data"] for a in chat.actions()
                           if a["data"].get("licence_id") == licence_id
                           and a["data"]["action"] == "link.start"))
    choices = chat.choices("group_ids")
    await chat.click("Verder", group_ids=",".join(list(choices.values())[:2]))
    await chat.click("Koppelen")
    assert "Gekoppeld" in chat.texts()


async def test_the_coordinator_sees_who_did_what_from_where(bot_client, migrated_demo_db):
    alex = Chat(bot_client)
    await _regenboog(alex)
    await _link_staal_5(alex, migrated_demo_db)
    megan = Chat(bot_client, user_id="user-id-1", name="Megan Bowen", aad=MEGAN_AAD)
    await megan.submit({"action": "licences", "school_id": 1})  # a teacher: refused, audited

    await alex.say("menu")
    await alex.click("Recente wijzigingen")
    texts = alex.texts()
    assert "Recente wijzigingen" in texts and "School: OBS De Regenboog" in texts
    lines = [b["text"] for b in alex.card["body"] if b.get("type") == "TextBlock"]
    refused = lines.index("Geweigerd: Iemand zonder toegang probeerde de bot te gebruiken")
    linked = next(i for i, line in enumerate(lines)
                  if line.startswith("Groepen gekoppeld aan een licentie: "))
    assert refused < linked  # newest first
    assert lines[refused - 1].endswith("· Megan Bowen")
    assert lines[refused + 1].startswith("Vanuit een ander gesprek (…")
    assert lines[linked - 1].endswith("· Alex Wilber")
    assert lines[linked + 1] == "Vanuit dit gesprek"
    assert "Staal groep 5 (2026-2027)" in lines[linked]
    refusal_block = next(b for b in alex.card["body"] if b.get("text", "").startswith("Geweigerd"))
    assert refusal_block["color"] == "Attention"

    # From the school's card, by the typed shortcut, and in English for a user who chose it.
    await alex.say("schoolgegevens")
    await alex.click("Recente wijzigingen")
    assert "Wie wat deed voor deze school" in alex.texts()
    await alex.say("logboek")
    assert "Wie wat deed voor deze school" in alex.texts()
    await alex.click("Menu")
    await alex.click("Taal / Language")
    await alex.click("English")
    await alex.say("recent changes")
    assert "Recent changes" in alex.texts()
    assert "Refused: Someone without access tried to use the bot" in alex.texts()
    assert "From this conversation" in alex.texts()


async def test_the_trail_is_paged_newest_first(bot_client, db):
    megan = Chat(bot_client, user_id="user-id-1", name="Megan Bowen", aad=MEGAN_AAD)
    for _ in range(12):
        await megan.submit({"action": "pincodes", "school_id": 1})
    alex = Chat(bot_client)
    await _regenboog(alex)
    await alex.say("recente wijzigingen")
    assert "Pagina 1 van 2" in alex.texts()
    first_page = alex.texts().count("Geweigerd")
    assert first_page == 10
    await alex.click("Volgende")
    assert "Pagina 2 van 2" in alex.texts() and alex.texts().count("Geweigerd") == 2
    await alex.click("Vorige")
    assert "Pagina 1 van 2" in alex.texts()
    # A page past the end shows the last page; a garbled page number is a clear refusal.
    await alex.submit({"action": "audit.recent", "school_id": 1, "page": 99})
    assert "Pagina 2 van 2" in alex.texts()
    await alex.submit({"action": "audit.recent", "school_id": 1, "page": "①"})
    assert "Er is niets gewijzigd" in alex.texts() and "Pagina" not in alex.texts()


async def test_no_one_else_sees_the_trail(bot_client, db):
    alex = Chat(bot_client)
    await _regenboog(alex)
    await alex.say("pincodes groep 4")  # something of Regenboog in the trail
    megan = Chat(bot_client, user_id="user-id-1", name="Megan Bowen", aad=MEGAN_AAD)
    for attempt in ({"action": "audit.recent", "school_id": 1}, "logboek"):
        if isinstance(attempt, dict):
            await megan.submit(attempt)
        else:
            await megan.say(attempt)
        assert "Recente wijzigingen" not in megan.texts()
        assert "Alex Wilber" in megan.texts()  # the refusal names who to ask, nothing more
        assert "Geweigerd" not in megan.texts()
    async with db() as session:
        refused = (await session.execute(select(AuditEvent.action, AuditEvent.school_id).where(
            AuditEvent.outcome == "refused"))).all()
    # Both tries are audited; the card's under the school it named, typed words under none.
    assert sorted(refused, key=str) == [("bot_refused", 1), ("bot_refused", None)]


async def test_each_school_sees_only_its_own_trail(bot_client, db):
    alex = Chat(bot_client)
    await _regenboog(alex)
    megan = Chat(bot_client, user_id="user-id-1", name="Megan Bowen", aad=MEGAN_AAD)
    await megan.submit({"action": "licences", "school_id": 1})
    await alex.click("Andere school") if any(a.get("title") == "Andere school"
                                             for a in alex.actions()) else None
    async with db() as session:
        kompas = await session.scalar(select(School.id).where(School.name == "CBS Het Kompas"))
    await alex.submit({"action": "audit.recent", "school_id": kompas})
    assert "School: CBS Het Kompas" in alex.texts()
    assert "Megan Bowen" not in alex.texts() and "Geweigerd" not in alex.texts()
