"""Nederlandse teksten (de standaardtaal)."""

CATALOG: dict[str, str] = {
    # algemeen
    "common.menu": "Menu",
    "common.back": "Terug",
    "common.cancel": "Annuleren",
    "cancelled.title": "Geannuleerd",
    "cancelled.text": "Er is niets gewijzigd.",
    "stale.title": "Deze kaart is verlopen",
    "stale.text": "Deze knop hoort bij een eerdere stap die al is afgerond of afgebroken. "
    "Er is niets gewijzigd. Open het menu om opnieuw te beginnen.",
    "step.wrong_card": "Kies een van de knoppen op de laatste kaart, of typ 'menu' om opnieuw "
    "te beginnen. Er is niets gewijzigd.",
    "turn_error.text": "Sorry, er ging iets mis aan mijn kant. Er is niets half gewijzigd. "
    "Typ 'menu' om opnieuw te beginnen. Blijft het misgaan? Bel de helpdesk: 073 - 628 87 22.",
    "unknown.title": "Dat begreep ik niet",
    "unknown.text": "Ik begreep '{text}' niet. Kies hieronder wat je wilt doen, of typ 'help'.",
    # menu
    "menu.greeting": "Hallo {name}!",
    "menu.intro": "Ik ben de beheerbot van Malmberg. Hier regel je als ict-coördinator de "
    "licenties, pincodes en koppelingen van je school.",
    "menu.title": "Wat wil je doen?",
    "menu.school": "School: {school}",
    "menu.licences": "Licenties koppelen",
    "menu.children": "Kinderen op licenties",
    "menu.child_licences": "Kindlicenties",
    "menu.pincodes": "Pincodes",
    "menu.exchange": "Resultaten uitwisselen",
    "menu.school_data": "Schoolgegevens",
    "menu.changes": "Wijzigingen",
    "menu.help": "Hulp",
    "menu.switch_school": "Andere school",
    "menu.language": "Taal / Language",
    "feature.not_built": "'{feature}' kan ik nog niet. Dit komt in een volgende versie van "
    "de beheerbot. Tot die tijd regel je dit in het beheerdeel op de website van Malmberg.",
    "feature.children": "Kinderen op licenties",
    "feature.child_licences": "Kindlicenties",
    "feature.pincodes": "Pincodes",
    "feature.exchange": "Resultaten uitwisselen",
    "feature.changes": "Wijzigingen",
    # school kiezen, taal
    "school_pick.title": "Kies een school",
    "school_pick.intro": "Je bent ict-coördinator van meerdere scholen. Voor welke school wil je "
    "iets regelen? Je kunt later wisselen via het menu.",
    "language.title": "Taal / Language",
    "language.intro": "In welke taal wil je de beheerbot gebruiken? / Which language do you want?",
    # hulp
    "help.title": "Hulp",
    "help.intro": "Met de beheerbot regel je als ict-coördinator het beheer van de digitale "
    "programma's van Malmberg voor je school.",
    "help.tasks": "- **Licenties koppelen**: groepen koppelen aan groepslicenties\n"
    "- **Schoolgegevens**: je school, groepen, leerkrachten en leerlingen bekijken\n"
    "- Typ **menu** voor het menu en **help** voor deze uitleg.",
    "help.helpdesk": "Malmberg helpdesk",
    "help.phone": "Telefoon",
    "help.email": "E-mail",
    "help.page": "Hulppagina",
    "help.open_page": "Hulppagina openen",
    "help.las": "Gebruikers en groepen beheer je in je schooladministratiepakket (bijv. ParnasSys "
    "of ESIS). Wijzigingen komen 's nachts via Basispoort binnen.",
    # LAS / Basispoort
    "las.title": "Dat regel je in je administratiepakket",
    "las.text": "Gebruikers aanmaken en leerlingen naar een andere groep verplaatsen doe je in het "
    "schooladministratiepakket van je school (bijv. ParnasSys of ESIS), niet hier. Basispoort geeft "
    "de wijziging 's nachts door aan Malmberg: morgen zie je haar hier en kun je ermee verder.",
    # weigeringen
    "refusal.title": "Deze bot is voor ict-coördinatoren",
    "refusal.staff": "De beheerbot is alleen voor ict-coördinatoren. Vraag je ict-coördinator om "
    "hulp met licenties of pincodes:",
    "refusal.school_line": "**{school}**: {names}",
    "refusal.no_coordinator": "nog geen ict-coördinator bekend",
    "refusal.unknown": "De beheerbot is er voor ict-coördinatoren van scholen die met Malmberg "
    "werken. Ik ken je (nog) niet als ict-coördinator. Ben je wel ict-coördinator? Dan moet je "
    "school je die rol geven in het administratiepakket; via Basispoort komt die de volgende dag "
    "hier aan.",
    "refusal.tenant": "Deze bot is niet beschikbaar voor jouw organisatie.",
    "refusal.helpdesk": "Vragen? Malmberg helpdesk: {phone}, {email}.",
    # fouten
    "error.title": "Dat lukt niet",
    "error.nothing_changed": "Er is niets gewijzigd.",
    "error.unexpected": "Er ging iets onverwachts mis.",
    "error.not_allowed": "Je bent geen ict-coördinator van deze school, of dit hoort bij een "
    "andere school.",
    "error.not_found": "Dit bestaat niet (meer).",
    "error.invalid_input": "Deze invoer klopt niet.",
    "error.conflict": "Dit botst met de huidige gegevens.",
    "error.invalid_field": "Er ontbreekt iets in de kaart of het klopt niet ({field}). Open het "
    "menu en probeer het opnieuw.",
    "error.nothing_chosen": "Je hebt niets gekozen.",
    "error.school_not_found": "Deze school bestaat niet (meer).",
    "error.group_not_found": "Deze groep bestaat niet (meer). Misschien is ze vannacht via "
    "Basispoort gewijzigd of verwijderd.",
    "error.licence_not_found": "Deze licentie bestaat niet (meer).",
    "error.already_linked": "Deze groepen zijn al aan de licentie gekoppeld.",
    "error.not_linked": "{group} is niet aan deze licentie gekoppeld.",
    "error.query_too_long": "Je zoekterm is te lang (hooguit {limit} tekens).",
    # licenties koppelen
    "licence.label": "{product} groep {levels} — {year}",
    "licence.auto": "automatisch gekoppeld",
    "licence.manual": "handmatig gekoppeld",
    "licences.title": "Licenties koppelen",
    "licences.intro": "Groepslicenties van {school} voor schooljaar {year}. Alle gebruikers van "
    "een gekoppelde groep krijgen toegang.",
    "licences.none": "Je school heeft geen groepslicenties voor {year}.",
    "licences.count": "{count} groep(en) gekoppeld",
    "licences.no_groups": "Nog geen groep gekoppeld",
    "licences.link": "Groepen koppelen",
    "licences.unlink": "Ontkoppelen",
    "licences.more": "En nog {count} licenties. Typ de naam van een methode om te zoeken.",
    "licences.back": "Naar de licenties",
    "link.title": "Groepen koppelen",
    "link.already": "Al gekoppeld: {groups}",
    "link.no_groups": "Alle groepen van je school zijn al aan deze licentie gekoppeld.",
    "link.fits": "past bij deze licentie",
    "link.choose": "Welke groepen wil je koppelen?",
    "link.choose_error": "Kies minstens één groep.",
    "link.next": "Verder",
    "link.confirm_title": "Klopt dit?",
    "link.confirm_text": "Je koppelt **{groups}** aan **{licence}**. Alle leerlingen en "
    "leerkrachten van deze groepen krijgen dan toegang.",
    "link.misfit": "Let op: {groups} past niet bij het leerjaar van deze licentie.",
    "link.confirm": "Koppelen",
    "link.done_title": "Gekoppeld",
    "link.done": "{groups} is gekoppeld aan {licence}.",
    "link.was_linked": "Was al gekoppeld: {groups}.",
    "link.now_linked": "Nu gekoppeld",
    "unlink.confirm_title": "Groep ontkoppelen?",
    "unlink.confirm_text": "Je ontkoppelt **{group}** van **{licence}**.",
    "unlink.consequence": "Leerlingen en leerkrachten van deze groep hebben daarna geen toegang "
    "meer via deze licentie.",
    "unlink.confirm": "Ontkoppelen",
    "unlink.done_title": "Ontkoppeld",
    "unlink.done": "{group} is ontkoppeld van {licence}.",
    "unlink.was_not_linked": "{group} was al niet (meer) gekoppeld. Er is niets gewijzigd.",
    # schoolgegevens
    "school.title": "Schoolgegevens",
    "school.name": "Naam",
    "school.brin": "BRIN",
    "school.vestiging": "Vestiging",
    "school.city": "Plaats",
    "school.year": "Schooljaar",
    "school.groups": "Groepen",
    "school.teachers": "Leerkrachten",
    "school.pupils": "Leerlingen",
    "school.las_note": "Deze gegevens komen uit je administratiepakket via Basispoort. Wijzigen "
    "doe je daar; hier zie je ze de volgende dag.",
    "school.tab_home": "Home",
    "school.tab_groups": "Groepen",
    "school.tab_coordinators": "ICT-coördinatoren",
    "school.tab_teachers": "Leerkrachten",
    "school.tab_pupils": "Leerlingen",
    "school.no_groups": "Je school heeft nog geen groepen.",
    "school.group_line": "{pupils} leerlingen · {teachers}",
    "school.no_teacher": "geen leerkracht",
    "school.open": "Bekijken",
    "school.group_teachers": "Leerkrachten",
    "school.group_pupils": "Leerlingen ({count})",
    "school.no_pupils": "Geen leerlingen.",
    "school.missing_hint": "Mis je een leerling of groep? Wijzigingen uit het "
    "administratiepakket komen 's nachts via Basispoort binnen: morgen staan ze hier.",
    "school.no_teachers": "Geen leerkrachten gevonden.",
    "school.no_group": "geen groep",
    "school.search_label": "Zoek een leerling op naam",
    "school.search_placeholder": "bijv. Sanne de Vries",
    "school.search": "Zoeken",
    "school.search_result": "{count} leerling(en) gevonden voor '{query}'.",
    "school.no_pupils_found": "Geen leerling gevonden met die naam.",
    "school.page": "Pagina {page} van {pages} ({total} leerlingen)",
    "school.previous": "Vorige",
    "school.next": "Volgende",
    # --- licence tasks: children, kindlicenties, auto-linking, shortcuts (issue 3) ---
    # --- pincodes (issue 4) ---
    # --- result exchange / LVS (issue 5) ---
}
