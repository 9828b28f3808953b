"""Typed shortcuts: the words (services.intents) and the forgiving lookup of names at the school."""

from __future__ import annotations

import pytest

from services import intents
from services.errors import InvalidInput, NotAllowed
from services.licences.products import school_products
from services.matching import match_groups, strip_group_word
from services.models import MODEL_GROUP, LicenceGroup
from tests.licence_tasks_support import count, kompas, other_school, regenboog


@pytest.mark.parametrize(("said", "kind", "args"), [
    ("koppel groep 5b aan pluspunt", intents.LinkGroup, {"group": "groep 5b",
                                                         "product": "pluspunt"}),
    ("Kopel groep 5B aan Pluspnt", intents.LinkGroup, {"group": "groep 5b",
                                                       "product": "pluspnt"}),
    ("koppel de groep 6/7 aan de licentie Staal", intents.LinkGroup,
     {"group": "groep 6/7", "product": "staal"}),
    ("koppel Pluspunt aan groep 4", intents.LinkGroup, {"group": "groep 4",
                                                        "product": "pluspunt"}),
    ("link group 5b to pluspunt", intents.LinkGroup, {"group": "group 5b",
                                                      "product": "pluspunt"}),
    ("kindlicenties", intents.ChildLicences, {}),
    ("Kindlicentis", intents.ChildLicences, {}),
    ("child licences", intents.ChildLicences, {}),
    ("kinderen op licenties", intents.Children, {}),
    ("kinderen op taal actief", intents.ChildrenOf, {"product": "taal actief"}),
    ("kinderne op Taal aktief", intents.ChildrenOf, {"product": "taal aktief"}),
    ("children on taal actief", intents.ChildrenOf, {"product": "taal actief"}),
    ("schoolgegevens", intents.School, {}),
    ("schoolgegevns", intents.School, {}),
    ("school data", intents.School, {}),
    ("leerling Sanne de Vries", intents.Pupil, {"name": "sanne de vries"}),
    ("leerlng sane de vris", intents.Pupil, {"name": "sane de vris"}),
    ("zoek leerling Sanne", intents.Pupil, {"name": "sanne"}),
    ("pupil Sanne de Vries", intents.Pupil, {"name": "sanne de vries"}),
    ("topografie", intents.Topography, {}),
    ("Hoe zit het met de topgrafie licenties?", intents.Topography, {}),
    ("topography", intents.Topography, {}),
    ("topografy", intents.Topography, {}),
    ("Topographie licences?", intents.Topography, {}),
    ("automatisch koppelen", intents.AutoLink, {}),
])
def test_typed_shortcuts(said, kind, args):
    assert intents.parse(said) == kind(**args)


@pytest.mark.parametrize(("said", "kind"), [
    ("licenties", intents.Licences), ("koppelen", intents.Licences),
    ("leerlingen", intents.School), ("leerling toevoegen", intents.Las),
    ("nieuwe leerling Sanne de Vries", intents.Las), ("koppel", intents.Unknown),
    ("leerling", intents.Unknown), ("hallo daar", intents.Unknown), ("menu", intents.Menu),
])
def test_other_words_keep_their_meaning(said, kind):
    assert type(intents.parse(said)) is kind


@pytest.mark.parametrize(("said", "kind"), [
    # Putting a child on a licence is a licence task (rules 6, 8), not the LAS (rule 1).
    ("leerling toevoegen aan kindlicentie", intents.ChildLicences),
    ("Kindlicentie toewijzen aan een leerling", intents.ChildLicences),
    ("add a pupil to a child licence", intents.ChildLicences),
    ("kind van een andere groep toevoegen", intents.Children),
    ("kinderen uit een andere groep koppelen", intents.Children),
    ("add a child from another group", intents.Children),
    ("zet kind op licentie", intents.Children),
    ("verkeerd kind gekoppeld", intents.ChildLicences), ("wrong child", intents.ChildLicences),
    ("kinderen", intents.Children), ("kind toevoegen", intents.Children),
    # ... while creating or moving pupils stays with the LAS.
    ("verplaats leerling naar andere groep", intents.Las),
    ("verplaats kind van een andere groep naar groep 5", intents.Las),
    ("maak een nieuwe leerling aan", intents.Las), ("nieuwe groep toevoegen", intents.Las),
    ("move a pupil to another group", intents.Las),
])
def test_children_on_licences_are_not_sent_to_the_las(said, kind):
    assert type(intents.parse(said)) is kind


def test_licence_words_after_a_pupil_name_are_not_part_of_the_name():
    assert intents.parse("leerling Sanne de Vries licenties") == intents.Pupil(**{"name": "sanne de vries"})
    assert intents.parse("kinderen op licentie taal actief") == intents.ChildrenOf(**{"product": "taal actief"})


def test_group_names_are_matched_forgivingly():
    groups = {1: "Groep 1/2a", 2: "Groep 3", 3: "Groep 5a", 4: "Groep 5b", 5: "Groep 6/7",
              6: "Groep 7"}
    assert match_groups("groep 5B", groups) == [4]
    assert match_groups("5b", groups) == [4]
    assert match_groups("gorep 5b", groups) == [4]
    assert sorted(match_groups("groep 5", groups)) == [3, 4]
    assert match_groups("6-7", groups) == [5] == match_groups("groep 6 7", groups)
    assert match_groups("groep 7", groups) == [6]
    assert match_groups("5c", groups) == [] == match_groups("", groups)
    assert match_groups("42x", {1: "Groep 4", 2: "Groep 5"}) == []  # not 'Groep 4' by a digit
    # A typo in the word 'groep' itself: the year and letter decide, not a fuzzy tie.
    for said in ("gorep 6/7", "grup 6/7", "goep 6-7", "grp 6/7"):
        assert match_groups(said, groups) == [5], said
    assert match_groups("gorep 7", groups) == [6]
    assert sorted(match_groups("grop 5", groups)) == [3, 4]
    assert strip_group_word("Gorep 6/7") == "6/7" and strip_group_word("Groep5b") == "5b"
    assert strip_group_word("Vlinders 3") == "Vlinders 3" and strip_group_word("7") == "7"


async def test_resolve_link_with_typos(services, alex):
    school = regenboog(alex)
    found = await services.links.resolve_link_shortcut(alex, school, "groep 5B", "Stal")
    assert [g.name for g in found.groups] == ["Groep 5b"] and found.product_name == "Staal"
    assert [lic.levels for lic in found.licences] == [(3,), (4,), (5,), (6,), (7,), (8,)]
    assert found.group_text == "5B"
    ambiguous = await services.links.resolve_link_shortcut(alex, school, "groep 5", "taal aktief")
    assert [g.name for g in ambiguous.groups] == ["Groep 5a", "Groep 5b"]
    assert ambiguous.product_name == "Taal actief"
    unknown = await services.links.resolve_link_shortcut(alex, school, "groep 9z", "wiskunde")
    assert unknown.groups == () and unknown.product_name is None
    assert "Pluspunt" in unknown.known_products and "Bingel" not in unknown.known_products
    # A product of the other school (Karakter) is not one of this school's licences.
    assert (await services.links.resolve_link_shortcut(alex, school, "5a", "karakter")
            ).product_name is None
    assert (await services.links.resolve_link_shortcut(alex, kompas(alex), "6", "karakter")
            ).product_name == "Karakter"


async def test_the_shortcut_knows_the_products_school_products_reads(services, alex, sessions):
    """The typed link takes the school's products from the year's licences it reads anyway:
    the same products, in the same order, as school_products."""
    for school_id in (regenboog(alex), kompas(alex)):
        found = await services.links.resolve_link_shortcut(alex, school_id, "5", "geen")
        async with sessions() as session:
            school = await services.links.ctx.coordinated_school(session, alex, school_id)
            products = await school_products(session, school, services.links.ctx.school_year(),
                                             MODEL_GROUP)
        assert found.known_products == tuple(p.name for p in products.values())
        assert found.known_products


async def test_a_matched_pair_previews_as_preview_link_does(services, alex):
    """The shortcut's confirmation card is built from the match itself: it must say what
    preview_link says about the same group and licence, for every pair that can be linked."""
    school = regenboog(alex)
    for group_text, product in (("5b", "staal"), ("5", "taal actief"), ("3", "pluspunt")):
        found = await services.links.resolve_link_shortcut(alex, school, group_text, product)
        pairs = [(g.id, lic.id) for g in found.groups for lic in found.licences]
        assert pairs
        for group_id, licence_id in pairs:
            own = found.preview(group_id, licence_id)
            linked = any(ln.group_id == group_id for lic in found.licences
                         if lic.id == licence_id for ln in lic.linked_groups)
            if linked:
                assert own is None
                continue
            assert own == await services.links.preview_link(alex, licence_id, [group_id])
    assert found.preview(-1, found.licences[0].id) is None
    assert found.preview(found.groups[0].id, -1) is None


async def test_resolving_changes_nothing_and_is_checked(services, alex, megan, sessions):
    school = regenboog(alex)
    before = await count(sessions, LicenceGroup)
    await services.links.resolve_link_shortcut(alex, school, "5a", "staal")
    assert await count(sessions, LicenceGroup) == before
    with pytest.raises(NotAllowed):
        await services.links.resolve_link_shortcut(megan, school, "5a", "staal")
    for group, product in (("", "staal"), ("5a", ""), (5, "staal"), ("5a", "x" * 101)):
        with pytest.raises(InvalidInput):
            await services.links.resolve_link_shortcut(alex, school, group, product)


async def test_children_on_a_product(services, alex, sessions):
    found = await services.extra_children.children_shortcut(alex, regenboog(alex), "plus punt")
    assert found.product_name == "Pluspunt"
    assert [o.licence.levels for o in found.licences] == [(3,), (4,), (5,), (6,), (7,), (8,)]
    assert [o.child_count for o in found.licences] == [0, 0, 1, 0, 0, 0]
    missing = await services.extra_children.children_shortcut(alex, regenboog(alex), "rekenrek")
    assert missing.product_name is None and missing.licences == ()
    with pytest.raises(InvalidInput):
        await services.extra_children.children_shortcut(alex, regenboog(alex), None)


async def test_find_a_pupil_by_name_with_typos(services, alex, sessions):
    school = regenboog(alex)
    exact = await services.school.find_pupil(alex, school, "Sanne de Vries")
    [sanne] = exact.matches
    assert (sanne.child.name, sanne.child.group_name) == ("Sanne de Vries", "Groep 5a")
    assert {(lic.product_name, lic.levels, lic.via) for lic in sanne.licences} == {
        ("Pluspunt", (5,), "group")}
    typo = await services.school.find_pupil(alex, school, "sane de vris")
    assert [m.child.name for m in typo.matches] == ["Sanne de Vries"]
    partial = await services.school.find_pupil(alex, school, "de vries")
    assert len(partial.matches) == 6 and partial.more == 0
    assert all(m.child.name.endswith("de Vries") for m in partial.matches)
    nobody = await services.school.find_pupil(alex, school, "Xerxes Qwerty")
    assert nobody.matches == ()
    # Another school's pupil with the same name is not found here.
    other = await services.school.find_pupil(alex, kompas(alex), "Sanne de Vries")
    assert all(m.child.name != "Sanne de Vries" for m in other.matches)


async def test_a_pupil_shows_every_kind_of_licence(services, alex, sessions):
    school = regenboog(alex)
    bingel = next(o.licence for o in (await services.child_licences.list_child_licences(alex, school)).licences)
    seated = (await services.child_licences.child_licence(alex, bingel.id)).children.items[0].child
    [found] = (await services.school.find_pupil(alex, school, seated.name)).matches[:1]
    vias = {lic.via for lic in found.licences}
    assert "seat" in vias and "group" in vias
    overview = (await services.extra_children.children_overview(alex, school)).licences
    pluspunt5 = next(o.licence for o in overview if o.licence.product_name == "Pluspunt"
                     and o.licence.levels == (5,))
    extra = (await services.extra_children.extra_children(alex, pluspunt5.id)).children.items[0].child
    lookup = await services.school.find_pupil(alex, school, extra.name)
    item = next(m for m in lookup.matches if m.child.id == extra.id)
    assert ("Pluspunt", (5,), "extra") in {(lic.product_name, lic.levels, lic.via)
                                           for lic in item.licences}


async def test_find_pupil_is_checked(services, alex, megan, sessions):
    stranger = await other_school(sessions)
    with pytest.raises(NotAllowed):
        await services.school.find_pupil(alex, stranger["school"], "Olaf Vreemd")
    with pytest.raises(NotAllowed):
        await services.school.find_pupil(megan, regenboog(alex), "Sanne")
    for bad in ("", "   ", None, 42, "x" * 101):
        with pytest.raises(InvalidInput):
            await services.school.find_pupil(alex, regenboog(alex), bad)


# -- bounded work per message --------------------------------------------------------------------

@pytest.mark.parametrize("size", [28 * 1024, 64 * 1024])
def test_a_long_message_is_answered_without_being_read(size, monkeypatch):
    from services import intents

    def never(_):
        raise AssertionError("a message over the limit was read")

    monkeypatch.setattr(intents, "normalise", never)
    hostile = ("maak " * (size // 5))[:size]
    assert intents.parse(hostile) == intents.TooLong(length=len(hostile))


def test_las_words_are_matched_in_one_pass(monkeypatch):
    """Counted, not timed: each rule looks at each word at most twice (as a first word and as
    a second), however the words are arranged."""
    from services import intents

    looks = []
    fits = intents._fits
    monkeypatch.setattr(intents, "_fits", lambda *a: looks.append(a[1]) or fits(*a))
    worst = ("maak " * 39)[: intents.MAX_TYPED]
    assert not isinstance(intents.parse(worst), intents.Las)
    words = len(worst.split())
    assert 0 < len(looks) <= 2 * len(intents._LAS_RULES) * words
    monkeypatch.setattr(intents, "_fits", fits)
    assert isinstance(intents.parse("maak een nieuwe leerling aan"), intents.Las)
    assert isinstance(intents.parse("leerling naar een andere groep"), intents.Las)
    assert isinstance(intents.parse("move a pupil"), intents.Las)
