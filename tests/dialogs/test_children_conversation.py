"""Kinderen op licenties through the real app: a new user's walk by button titles, removing a
child, searching, and every kind of bad input."""

from __future__ import annotations

from services.models import LicenceExtraChild
from tests.conftest import Chat, open_school
from tests.licence_tasks_support import (
    count,
    extra_children,
    licence_id,
    other_school,
    pupils_of,
)

REGENBOOG = 1


async def click_where(chat: Chat, title: str, **data) -> None:
    """Click the button with this title whose payload names these ids (several rows carry a
    button with the same title)."""
    for action in chat.actions():
        payload = action.get("data", {})
        if action.get("title") == title and all(payload.get(k) == v for k, v in data.items()):
            await chat.submit(payload)
            return
    raise AssertionError(f"no button {title!r} with {data}")


async def test_new_user_adds_children_of_another_group_and_removes_one(chat: Chat, db):
    await open_school(chat)
    await chat.click("Kinderen op licenties")
    texts = chat.texts()
    assert "Kinderen op licenties" in texts and "Sinds schooljaar 2022-2023" in texts
    assert "Met kinderen van andere groepen" in texts and "1 kind" in texts
    assert "Licenties voor de topografiesoftware staan hier niet." in texts

    await chat.click("Staal groep 6")
    assert "Kinderen gekoppeld" in chat.texts()
    assert "Er zijn nog geen kinderen van andere groepen" in chat.texts()
    await chat.click("Kind toevoegen")
    assert "Kies de groep van het kind:" in chat.texts()
    await chat.click("Groep 3")
    assert "Uit Groep 3" in chat.texts()
    choices = chat.choices("child_ids")
    picked = list(choices)[:2]
    await chat.click("Verder", child_ids=",".join(choices[name] for name in picked))
    texts = chat.texts()
    assert "Klopt dit?" in texts and all(name in texts for name in picked)
    confirm = chat.button("Toevoegen")["data"]
    staal6 = await licence_id(db, REGENBOOG, "Staal", "6")
    assert await extra_children(db, staal6) == set()  # nothing before the confirmation

    await chat.click("Toevoegen")
    texts = chat.texts()
    assert "Toegevoegd" in texts and "staan nu op Staal groep 6 — 2026-2027" in texts
    assert "Let op: laat het de leerkracht weten" in texts
    assert "het lopende blok of thema starten voor dat kind (Basis papier)" in texts
    assert "Groep 3 · leerkracht: " in texts and "geen leerkracht bekend" not in texts
    added = {int(choices[name]) for name in picked}
    assert await extra_children(db, staal6) == added

    to_tab = chat.button("Naar kinderen gekoppeld")["data"]

    # A double click on 'Toevoegen' changes nothing.
    await chat.submit(confirm)
    assert "Deze kaart is verlopen" in chat.texts()
    assert await extra_children(db, staal6) == added

    await chat.submit(to_tab)  # the button on the card above the expired one
    assert all(name in chat.texts() for name in picked)
    await click_where(chat, "Verwijderen", child_id=int(choices[picked[0]]))
    assert "Kind verwijderen?" in chat.texts() and picked[0] in chat.texts()
    await chat.click("Verwijderen")
    assert "Verwijderd" in chat.texts()
    assert await extra_children(db, staal6) == {int(choices[picked[1]])}


async def test_the_licence_card_has_a_kinderen_gekoppeld_tab(chat: Chat, db):
    await open_school(chat)
    await chat.click("Licenties koppelen")
    await chat.click("Volgende")
    assert "Pagina 2 van 3" in chat.texts()
    await chat.click("Andere kinderen: Pluspunt groep 5")
    first_of_groep4 = (await pupils_of(db, REGENBOOG, "Groep 4"))[0][1]
    assert "Pluspunt groep 5 — 2026-2027" in chat.texts()
    assert first_of_groep4 in chat.texts() and "Groep 4" in chat.texts()


async def test_search_by_name_nothing_chosen_other_group_and_cancel(chat: Chat, db):
    await open_school(chat)
    await chat.click("Kinderen op licenties")
    await chat.click("Taal actief groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Zoeken")  # no group, no name
    assert "Kies een groep of typ (een deel van) de naam van het kind." in chat.texts()
    await chat.click("Zoeken", query="de vries")
    assert "Kinderen van de hele school met 'de vries' in hun naam" in chat.texts()
    choices = chat.choices("child_ids")
    assert "Finn de Vries (Groep 3)" in choices
    await chat.click("Verder")  # nothing ticked
    assert "Kies minstens één kind." in chat.texts()
    await chat.click("Andere groep")
    assert "Kies de groep van het kind:" in chat.texts()
    await chat.click("Groep 8")
    await chat.click("Annuleren")
    assert "Geannuleerd" in chat.texts()
    assert await count(db, LicenceExtraChild) == 1
    await chat.click("Menu")
    await chat.click("Kinderen op licenties")
    await chat.click("Taal actief groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Zoeken", query="finn de vries")
    finn = chat.choices("child_ids")["Finn de Vries (Groep 3)"]
    await chat.click("Verder", child_ids=finn)
    await chat.click("Toevoegen")
    assert "Finn de Vries staat nu op Taal actief groep 6" in chat.texts()


async def test_typing_leaves_a_running_flow(chat: Chat, db):
    await open_school(chat)
    await chat.click("Kinderen op licenties")
    await chat.click("Staal groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 3")
    await chat.say("menu")
    assert "Wat wil je doen?" in chat.texts()
    await chat.submit({"action": "pick.children", "flow": "old", "child_ids": "1"})
    assert "Deze kaart is verlopen" in chat.texts()
    assert await count(db, LicenceExtraChild) == 1


async def test_bad_input_changes_nothing(chat: Chat, db):
    await open_school(chat)
    stranger = await other_school(db)
    pluspunt5 = await licence_id(db, REGENBOOG, "Pluspunt", "5")
    bingel = await licence_id(db, REGENBOOG, "Bingel")
    cases = [
        ({"action": "children", "school_id": stranger["school"]}, "geen ict-coördinator"),
        ({"action": "children.licence", "school_id": 1,
          "licence_id": stranger["group_licence"]}, "geen ict-coördinator"),
        ({"action": "children.licence", "school_id": 1, "licence_id": "abc"}, "klopt niet"),
        ({"action": "children.licence", "school_id": 1, "licence_id": pluspunt5,
          "page": "zero"}, "klopt niet"),
        ({"action": "children.licence", "school_id": 1, "licence_id": bingel},
         "bestaat niet (meer)"),
        ({"action": "children.licence", "school_id": 1}, "klopt niet"),
        ({"action": "children.add", "school_id": 1, "licence_id": bingel},
         "bestaat niet (meer)"),
        ({"action": "children.add", "school_id": 1, "licence_id": 99999}, "bestaat niet (meer)"),
        ({"action": "children.remove", "school_id": 1, "licence_id": pluspunt5,
          "child_id": stranger["pupil"]}, "hoort niet bij deze school"),
        ({"action": "children.remove", "school_id": 1, "licence_id": pluspunt5,
          "child_id": [1]}, "klopt niet"),
        ({"action": "children.remove", "school_id": 1, "licence_id": pluspunt5,
          "child_id": (await pupils_of(db, REGENBOOG, "Groep 3"))[0][0]},
         "staat niet (meer) op deze licentie"),
    ]
    for payload, message in cases:
        await chat.submit(payload)
        assert "Dat lukt niet" in chat.texts(), payload
        assert message in chat.texts() and "Er is niets gewijzigd." in chat.texts(), payload
    assert await count(db, LicenceExtraChild) == 1


async def test_forged_answers_inside_the_flow(chat: Chat, db):
    await open_school(chat)
    stranger = await other_school(db)
    await chat.click("Kinderen op licenties")
    await chat.click("Staal groep 6")
    await chat.click("Kind toevoegen")
    flow = chat.button("Groep 3")["data"]["flow"]
    await chat.submit({"action": "pick.group", "flow": "forged", "group_id": 3})
    assert "Kies een van de knoppen op de laatste kaart" in chat.texts()
    await chat.submit({"action": "pick.group", "flow": flow, "group_id": stranger["group"]})
    assert "geen ict-coördinator" in chat.texts() and "Er is niets gewijzigd." in chat.texts()

    await chat.click("Menu")
    await chat.click("Kinderen op licenties")
    await chat.click("Staal groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 4")
    await chat.click("Verder", child_ids=f"{stranger['pupil']}")
    assert "hoort niet bij deze school" in chat.texts()

    await chat.click("Menu")
    await chat.click("Kinderen op licenties")
    await chat.click("Staal groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 4")
    await chat.click("Verder", child_ids="1,2,x")
    assert "klopt niet" in chat.texts()
    await chat.click("Menu")
    await chat.click("Kinderen op licenties")
    await chat.click("Staal groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Groep 4")
    await chat.click("Zoeken", query="a" * 150)
    assert "te lang" in chat.texts()
    assert await count(db, LicenceExtraChild) == 1


async def test_a_child_of_a_linked_group_has_access_already(chat: Chat, db):
    await open_school(chat)
    await chat.click("Kinderen op licenties")
    await chat.click("Pluspunt groep 5")
    await chat.click("Kind toevoegen")
    assert "Groep 5a" not in [a["title"] for a in chat.actions()]
    await chat.click("Groep 4")
    flow = chat.button("Verder")["data"]["flow"]  # the token of the card now shown
    in_5a = (await pupils_of(db, REGENBOOG, "Groep 5a"))[0][0]
    await chat.submit({"action": "pick.children", "flow": flow, "child_ids": str(in_5a)})
    assert "die al aan deze licentie gekoppeld is" in chat.texts()
    assert await count(db, LicenceExtraChild) == 1


async def test_an_emptied_school_search_goes_back_to_the_groups(chat: Chat, db):
    """Searching the whole school, then 'Zoeken' (or 'Volgende') with the name box emptied:
    back to the groups with a hint, the flow goes on."""
    await open_school(chat)
    await chat.click("Kinderen op licenties")
    await chat.click("Staal groep 6")
    await chat.click("Kind toevoegen")
    await chat.click("Zoeken", query="de")
    assert "Kinderen van de hele school met 'de' in hun naam" in chat.texts()
    await chat.click("Zoeken", query="")
    texts = chat.texts()
    assert "Kies een groep of typ (een deel van) de naam van het kind." in texts
    assert "Dat lukt niet" not in texts and "Kies de groep van het kind:" in texts
    await chat.click("Groep 4")
    name, child = next(iter(chat.choices("child_ids").items()))
    await chat.click("Verder", child_ids=child)
    await chat.click("Toevoegen")
    assert f"{name} staat nu op Staal groep 6" in chat.texts()
    assert await extra_children(db, await licence_id(db, REGENBOOG, "Staal", "6")) == {int(child)}
