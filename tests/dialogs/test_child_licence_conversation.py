"""Kindlicenties through the real app: a new user's walk by button titles, the undo warning,
too many children, two chats racing for the last seats, the helpdesk card, and bad input."""

from __future__ import annotations

from tests.conftest import Chat, open_school
from tests.licence_tasks_support import licence_id, other_school, pupils_of, seats

REGENBOOG, KOMPAS = 1, 2


async def test_new_user_assigns_child_licences(chat: Chat, db):
    await open_school(chat)
    await chat.click("Kindlicenties")
    texts = chat.texts()
    assert "Open Bingel groep 3 t/m 8" in texts and "21 van 30 vrij" in texts
    assert "Niet voor elk product van Malmberg zijn licenties per kind beschikbaar." in texts
    await chat.click("Open Bingel groep 3 t/m 8")
    texts = chat.texts()
    assert "Gekoppelde kinderen (9)" in texts and "Een kindlicentie kun je niet zelf" in texts
    await chat.click("Kind toevoegen")
    await chat.click("Groep 8")
    choices = chat.choices("child_ids")
    picked = list(choices)[:3]
    await chat.click("Verder", child_ids=",".join(choices[name] for name in picked))
    texts = chat.texts()
    assert "Kindlicentie toewijzen?" in texts and all(name in texts for name in picked)
    assert "Daarna zijn er nog 18 van 30 vrij." in texts
    assert "Let op: dit kun je niet ongedaan maken." in texts and "073 - 628 87 22" in texts
    bingel = await licence_id(db, REGENBOOG, "Bingel")
    assert (await seats(db, bingel))[1] == 9
    confirm = chat.button("Toewijzen")["data"]

    await chat.click("Toewijzen")
    texts = chat.texts()
    assert "Toegewezen" in texts and "18 van 30 vrij" in texts
    assert "het lopende blok of thema starten voor dat kind (oefensoftware)" in texts
    total, taken, assigned = await seats(db, bingel)
    assert taken == 12 == len(assigned) and {int(choices[n]) for n in picked} <= assigned
    to_licence = chat.button("Naar de licentie")["data"]
    await chat.submit(confirm)  # a double click
    assert "Deze kaart is verlopen" in chat.texts()
    assert (await seats(db, bingel))[1] == 12

    await chat.submit(to_licence)
    assert "Gekoppelde kinderen (12)" in chat.texts()
    await chat.click("Verkeerd kind gekoppeld?")
    texts = chat.texts()
    assert "niet zelf ontkoppelen" in texts and "helpdesk van Malmberg" in texts
    assert "Bingel groep 3 t/m 8 — 2026-2027" in texts
    on_licence = chat.choices("wrong_child")
    assert len(on_licence) == 12  # only the children on the licence are offered
    wrong_name, wrong_id = next(iter(on_licence.items()))
    await chat.click("Verder", wrong_child=wrong_id, reason="Verwisseld met haar zus",
                     intended_group="none")
    texts = chat.texts()
    assert "Melding naar de helpdesk" in texts and wrong_name in texts
    assert "Verwisseld met haar zus" in texts and "Geen ander kind" in texts
    await chat.click("Melding versturen")
    texts = chat.texts()
    assert "Melding HD-000001 is gemaakt" in texts and "krijgt je melding per e-mail" in texts
    urls = {a.get("url") for a in chat.actions() if a["type"] == "Action.OpenUrl"}
    assert "tel:+31736288722" in urls
    assert "mailto:helpdesk.bao@malmberg.nl?subject=HD-000001" in urls
    assert (await seats(db, bingel))[1] == 12  # nothing changes until the helpdesk acts
    await chat.click("Mijn meldingen")
    assert "HD-000001 — open" in chat.texts()


async def test_more_children_than_free_seats_and_a_full_licence(chat: Chat, db):
    await open_school(chat, "CBS Het Kompas (34CD 01)")
    await chat.click("Kindlicenties")
    assert "2 van 12 vrij" in chat.texts()
    await chat.click("Open Bingel groep 3 t/m 8")
    await chat.click("Kind toevoegen")
    assert "2 van 12 vrij" in chat.texts()
    await chat.click("Groep 7")
    choices = chat.choices("child_ids")
    values = list(choices.values())
    await chat.click("Verder", child_ids=",".join(values[:3]))
    texts = chat.texts()
    assert "Je kiest 3 kinderen, maar er zijn nog maar 2 van de 12 licenties vrij." in texts
    assert "Er is niets gewijzigd." in texts
    bingel = await licence_id(db, KOMPAS, "Bingel")
    assert (await seats(db, bingel))[1] == 10

    await chat.click("Menu")
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 7")
    await chat.click("Verder", child_ids=",".join(values[:2]))
    await chat.click("Toewijzen")
    assert "0 van 12 vrij" in chat.texts()
    await chat.click("Naar de licentie")
    assert "Alle licenties zijn in gebruik" in chat.texts()
    assert "Kind toevoegen" not in [a["title"] for a in chat.actions()]


async def test_two_chats_confirm_the_last_seats(bot_client, db):
    """Two coördinatoren (here two chats of Alex) both at 'Toewijzen' for the last 2 seats."""
    first, second = Chat(bot_client), Chat(bot_client)
    pupils = [str(c) for c, _ in await pupils_of(db, KOMPAS, "Groep 6/7")]
    for chat, children in ((first, pupils[:2]), (second, pupils[2:4])):
        await open_school(chat, "CBS Het Kompas (34CD 01)")
        await chat.click("Kindlicenties")
        await chat.click("Open Bingel groep 3 t/m 8")
        await chat.click("Kind toevoegen")
        await chat.click("Groep 6/7")
        await chat.click("Verder", child_ids=",".join(children))
        assert "Daarna zijn er nog 0 van 12 vrij." in chat.texts()
    await first.click("Toewijzen")
    assert "Toegewezen" in first.texts()
    await second.click("Toewijzen")
    assert "maar er zijn nog maar 0 van de 12 licenties vrij" in second.texts()
    bingel = await licence_id(db, KOMPAS, "Bingel")
    total, taken, assigned = await seats(db, bingel)
    assert taken == 12 == len(assigned) and {int(p) for p in pupils[:2]} <= assigned


async def test_search_among_the_assigned_children(chat: Chat, db):
    await open_school(chat)
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    name = (await pupils_of(db, REGENBOOG, "Groep 7"))[0][1]
    await chat.click("Zoeken", query=name)
    assert f"kind gevonden voor '{name}'" in chat.texts() and name in chat.texts()
    await chat.click("Zoeken", query="Niemand Nergens")
    assert "Geen gekoppeld kind gevonden met die naam." in chat.texts()


async def test_bad_input_changes_nothing(chat: Chat, db):
    await open_school(chat)
    stranger = await other_school(db)
    bingel = await licence_id(db, REGENBOOG, "Bingel")
    staal5 = await licence_id(db, REGENBOOG, "Staal", "5")
    not_seated = (await pupils_of(db, REGENBOOG, "Groep 8"))[0][0]
    cases = [
        ({"action": "childlic", "school_id": stranger["school"]}, "geen ict-coördinator"),
        ({"action": "childlic.open", "school_id": 1, "licence_id": stranger["child_licence"]},
         "geen ict-coördinator"),
        ({"action": "childlic.open", "school_id": 1, "licence_id": staal5},
         "bestaat niet (meer)"),
        ({"action": "childlic.open", "school_id": 1, "licence_id": bingel, "page": -1},
         "klopt niet"),
        ({"action": "childlic.open", "school_id": 1, "licence_id": bingel, "query": "x" * 300},
         "te lang"),
        ({"action": "childlic.assign", "school_id": 1, "licence_id": stranger["child_licence"]},
         "geen ict-coördinator"),
        ({"action": "childlic.assign", "school_id": 1, "licence_id": staal5},
         "bestaat niet (meer)"),
        ({"action": "childlic.assign", "school_id": 1, "licence_id": None}, "klopt niet"),
        ({"action": "childlic.wrong", "school_id": 1, "licence_id": staal5},
         "bestaat niet (meer)"),
        ({"action": "childlic.wrong", "school_id": "1; drop", "licence_id": bingel},
         "klopt niet"),
    ]
    for payload, message in cases:
        await chat.submit(payload)
        assert "Dat lukt niet" in chat.texts(), payload
        assert message in chat.texts() and "Er is niets gewijzigd." in chat.texts(), payload
    assert (await seats(db, bingel))[1] == 9

    # Inside the flow: another school's child, a child with a seat already.
    await chat.click("Menu")
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 8")
    await chat.click("Verder", child_ids=str(stranger["pupil"]))
    assert "hoort niet bij deze school" in chat.texts()
    seated = (await pupils_of(db, REGENBOOG, "Groep 4"))[0]
    await chat.click("Menu")
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 8")
    await chat.click("Verder", child_ids=f"{not_seated},{seated[0]}")
    assert f"{seated[1]} heeft al een licentie van deze kindlicentie." in chat.texts()
    assert (await seats(db, bingel))[1] == 9


async def test_an_old_add_button_of_a_full_licence_says_so_at_once(chat: Chat, db):
    """'Kind toevoegen' from a card shown before the last seats went: no picking for nothing."""
    await open_school(chat, "CBS Het Kompas (34CD 01)")
    await chat.click("Kindlicenties")
    await chat.click("Open Bingel groep 3 t/m 8")
    add = chat.button("Kind toevoegen")["data"]
    await chat.click("Kind toevoegen")
    await chat.click("Groep 7")
    await chat.click("Verder", child_ids=",".join(list(chat.choices("child_ids").values())[:2]))
    await chat.click("Toewijzen")
    assert "0 van 12 vrij" in chat.texts()
    await chat.submit(add)
    texts = chat.texts()
    assert "Alle 12 licenties van deze kindlicentie zijn in gebruik." in texts
    assert "Kies de groep van het kind:" not in texts and "Er is niets gewijzigd." in texts
    assert (await seats(db, await licence_id(db, KOMPAS, "Bingel")))[1] == 12
