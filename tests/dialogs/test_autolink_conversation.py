"""'Automatisch koppelen' through the real app: one proposal in which the coördinator chooses per
doubtful group, one 'Koppelen' that applies all of it, and a stale proposal that changes
nothing."""

from __future__ import annotations

import re

from services.models import LicenceGroup
from tests.conftest import Chat, open_school
from tests.licence_tasks_support import count, group_id, licence_id, links

REGENBOOG = 1


def rows(chat: Chat) -> dict[str, tuple[str, dict[str, str]]]:
    """{method: (input id, {choice title: value})} of the proposal's doubtful rows."""
    found = {}
    stack = [chat.card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "Input.ChoiceSet" and node.get("id", "").startswith(
                    "autolink.row."):
                method = re.search(r"(?:van|of) (.+)\?$", node["label"]).group(1)
                found[method] = (node["id"], {c["title"]: c["value"] for c in node["choices"]})
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


async def test_choices_per_row_stay_in_the_proposal_and_one_koppelen_applies_all(chat: Chat, db):
    await open_school(chat)
    await chat.click("Licenties koppelen")
    assert "Groep 4 (automatisch gekoppeld)" in chat.texts()  # the demo's automatic links
    before = await count(db, LicenceGroup)
    await chat.click("Automatisch koppelen")
    texts = chat.texts()
    assert "koppelingen maak ik automatisch:" in texts and "Kies zelf" in texts
    doubtful = rows(chat)
    # Groep 6/7 fits year 6 and year 7 of four methods: one row per method, nothing preselected.
    assert sorted(doubtful) == ["Naut", "Pluspunt", "Staal", "Taal actief"]
    pluspunt_input, pluspunt = doubtful["Pluspunt"]
    assert list(pluspunt) == ["Niet koppelen", "Pluspunt groep 6", "Pluspunt groep 7"]
    assert await count(db, LicenceGroup) == before

    staal_input, staal = doubtful["Staal"]
    answer = {**chat.button("Koppelen")["data"], pluspunt_input: pluspunt["Pluspunt groep 6"],
              staal_input: staal["Staal groep 7"]}
    await chat.submit(answer)
    texts = chat.texts()
    assert "verlopen" not in texts  # the old proposal lost its 'Koppelen' to a separate flow
    assert "Automatisch gekoppeld" in texts
    assert "Nog zelf te kiezen (2 groepen)" in texts
    assert await links(db, await licence_id(db, REGENBOOG, "Staal", "5")) == {
        "Groep 5a": "auto", "Groep 5b": "auto"}
    assert await links(db, await licence_id(db, REGENBOOG, "Pluspunt", "6")) == {
        "Groep 6/7": "manual"}
    assert (await links(db, await licence_id(db, REGENBOOG, "Staal", "7")))["Groep 6/7"] == "manual"
    assert "Groep 6/7" not in await links(db, await licence_id(db, REGENBOOG, "Pluspunt", "7"))
    made = await count(db, LicenceGroup)

    rest = chat.button("Kies voor de overige 2 groepen")["data"]

    # Clicking the same 'Koppelen' again changes nothing.
    await chat.submit({**answer, pluspunt_input: pluspunt["Pluspunt groep 7"]})
    assert "verlopen" in chat.texts() and "Er is niets gewijzigd" in chat.texts()
    assert await count(db, LicenceGroup) == made

    # The two rows left come back in the next proposal, with nothing automatic left.
    await chat.submit(rest)
    assert "Er is niets meer dat ik automatisch kan koppelen." in chat.texts()
    assert sorted(rows(chat)) == ["Naut", "Taal actief"]
    await chat.click("Koppelen")  # every row left at 'Niet koppelen'
    assert "Er is niets gekoppeld" in chat.texts()
    assert await count(db, LicenceGroup) == made
    await chat.click("Naar de licenties")
    await chat.page_to("Groep 6/7 (handmatig gekoppeld)")


async def test_a_stale_proposal_is_refused_and_changes_nothing(chat: Chat, db):
    await open_school(chat)
    await chat.click("Licenties koppelen")
    await chat.click("Automatisch koppelen")
    pluspunt_input, pluspunt = rows(chat)["Pluspunt"]
    proposal = chat.button("Koppelen")["data"]
    # Someone else links Groep 6/7 to Pluspunt groep 7 while the proposal is open.
    async with db.begin() as session:
        session.add(LicenceGroup(licence_id=await licence_id(db, REGENBOOG, "Pluspunt", "7"),
                                 group_id=await group_id(db, REGENBOOG, "Groep 6/7"),
                                 origin="manual"))
    before = await count(db, LicenceGroup)
    await chat.submit({**proposal, pluspunt_input: pluspunt["Pluspunt groep 6"]})
    assert "Sinds dit voorstel is er iets veranderd" in chat.texts()
    assert "Er is niets gewijzigd." in chat.texts()
    assert await count(db, LicenceGroup) == before  # not even the automatic links
    assert await links(db, await licence_id(db, REGENBOOG, "Staal", "5")) == {}
    await chat.click("Nieuw voorstel")  # the proposal as it is now
    assert "Pluspunt" not in rows(chat) and "Staal" in rows(chat)


async def test_an_automatic_link_made_meanwhile_makes_the_proposal_stale(chat: Chat, db):
    await open_school(chat)
    await chat.say("automatisch koppelen")
    staal5 = await licence_id(db, REGENBOOG, "Staal", "5")
    async with db.begin() as session:
        session.add(LicenceGroup(licence_id=staal5,
                                 group_id=await group_id(db, REGENBOOG, "Groep 5a"),
                                 origin="manual"))
    before = await count(db, LicenceGroup)
    await chat.click("Koppelen")
    assert "Sinds dit voorstel is er iets veranderd" in chat.texts()
    assert await count(db, LicenceGroup) == before
    assert await links(db, staal5) == {"Groep 5a": "manual"}


async def test_forged_choices_change_nothing(chat: Chat, db):
    await open_school(chat)
    await chat.say("automatisch koppelen")
    doubtful = rows(chat)
    pluspunt_input, _ = doubtful["Pluspunt"]
    proposal = chat.button("Koppelen")["data"]
    before = await count(db, LicenceGroup)
    staal5 = await licence_id(db, REGENBOOG, "Staal", "5")  # a licence never offered for 6/7
    for forged in (str(staal5), ["1"], "x", "99999"):
        await chat.submit({**proposal, pluspunt_input: forged})
        assert "Dat lukt niet" in chat.texts(), forged
        assert await count(db, LicenceGroup) == before
        await chat.say("automatisch koppelen")
        proposal = chat.button("Koppelen")["data"]


async def test_automatic_linking_in_english_keeps_the_names(chat: Chat, db):
    await open_school(chat)
    await chat.click("Taal / Language")
    await chat.click("English")
    await chat.say("link automatically")
    texts = chat.texts()
    assert "I make these" in texts and "Choose yourself" in texts
    _, pluspunt = rows(chat)["Pluspunt"]
    assert list(pluspunt) == ["Do not link", "Pluspunt groep 6", "Pluspunt groep 7"]
    # Licence and group names are names: never 'Staal group 5'.
    assert " group 5" not in texts and "Staal groep 5" in texts and "Groep 5a" in texts
