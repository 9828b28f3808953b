"""Nederlandse teksten (de standaardtaal)."""

CATALOG: dict[str, str | dict[str, str]] = {
    # algemeen
    "common.menu": "Menu",
    "common.back": "Terug",
    "common.cancel": "Annuleren",
    "cancelled.title": "Geannuleerd",
    "cancelled.text": "Er is niets gewijzigd.",
    "stale.title": "Deze kaart is verlopen",
    "stale.text": "Deze knop hoort bij een eerdere stap die al is afgerond of afgebroken. "
    "Er is niets gewijzigd. Open het menu om opnieuw te beginnen.",
    # One change per click: the second of two clicks on one button.
    "step.already_done": "Dit is al gedaan: op deze knop was al gedrukt. Er is niets opnieuw "
    "gewijzigd.",
    "step.wrong_card": "Kies een van de knoppen op de laatste kaart, of typ 'menu' om opnieuw "
    "te beginnen. Er is niets gewijzigd.",
    "turn_error.text": "Sorry, er ging iets mis aan mijn kant. Er is niets half gewijzigd. "
    "Typ 'menu' om opnieuw te beginnen. Blijft het misgaan? Bel de helpdesk: 073 - 628 87 22.",
    "unknown.title": "Dat begreep ik niet",
    "unknown.secret": "Dat leek op een sleutel of code; die herhaal ik niet. Een "
    "autorisatiesleutel plak je in het veld onder 'Resultaten uitwisselen' → 'Koppeling "
    "toevoegen'. Kies hieronder wat je wilt doen, of typ 'help'.",
    "unknown.text": "Ik begreep '{text}' niet. Kies hieronder wat je wilt doen, of typ 'help'.",
    # menu
    "menu.greeting": "Hallo {name}!",
    "menu.intro": "Ik ben de beheerbot van Malmberg. Hier regel je als ict-coördinator de "
    "licenties, pincodes en koppelingen van je school.",
    "menu.title": "Wat wil je doen?",
    "menu.school": "School: {school}",
    "menu.choose_school_intro": "Je bent ict-coördinator van {count} scholen. Kies eerst de "
    "school; je kunt later wisselen via 'Andere school'.",
    "menu.choose_school": "Kies een school",
    "menu.choose_school_error": "Kies eerst de school waarvoor je iets wilt regelen.",
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
    # -- helpdesk handoff: tickets for a wrongly assigned kindlicentie ---------------------------
    "helpdesk.number": "Melding",
    "helpdesk.licence": "Licentie",
    "helpdesk.wrong_child": "Verkeerd gekoppeld",
    "helpdesk.intended_child": "Bedoeld kind",
    "helpdesk.executed_title": "Melding {number} is uitgevoerd",
    "helpdesk.executed_moved": "De helpdesk heeft {wrong} van {licence} gehaald en {intended} "
    "erop gezet.",
    "helpdesk.executed_skipped": "De helpdesk heeft {wrong} van {licence} gehaald. {intended} "
    "kon de plek niet krijgen (niet meer op school, of al gekoppeld); de plek is vrij.",
    "helpdesk.executed_freed": "De helpdesk heeft {wrong} van {licence} gehaald; de plek is "
    "weer vrij.",
    "helpdesk.rejected_title": "Melding {number} is afgewezen",
    "helpdesk.rejected": "De helpdesk heeft niets veranderd. Reden: {reason}",
    "helpdesk.to_licence": "Naar {licence}",
    "ticket.intro": "Een kindlicentie kun je als school niet zelf ontkoppelen: de helpdesk van "
    "Malmberg doet dat voor je. Geef aan welk kind verkeerd op {licence} staat en waarom.",
    "ticket.wrong_label": "Welk kind staat er verkeerd op?",
    "ticket.wrong_error": "Kies het kind dat er verkeerd op staat.",
    "ticket.reason_label": "Waarom klopt het niet? (kort)",
    "ticket.reason_placeholder": "Bijv. verwisseld met een klasgenoot",
    "ticket.group_label": "Had een ander kind de plek moeten krijgen? Kies dan zijn of haar groep.",
    "ticket.no_intended": "Geen ander kind",
    "ticket.next": "Verder",
    "ticket.intended_title": "Welk kind uit {group}?",
    "ticket.intended_label": "Het kind dat de plek had moeten krijgen",
    "ticket.intended_error": "Kies een kind.",
    "ticket.intended_none": "Alle kinderen van {group} staan al op deze licentie.",
    "ticket.confirm_title": "Melding naar de helpdesk",
    "ticket.confirm_text": "De helpdesk van Malmberg krijgt deze melding per e-mail. Tot die "
    "hem heeft uitgevoerd, blijft de kindlicentie zoals hij is.",
    "ticket.reason": "Reden",
    "ticket.send": "Melding versturen",
    "ticket.sent_title": "Melding {number} is gemaakt",
    "ticket.sent_text": "De helpdesk van Malmberg krijgt je melding per e-mail en bekijkt hem. "
    "Zodra die hem heeft uitgevoerd of afgewezen, krijg je hier bericht. Je ziet de stand ook "
    "in 'Mijn meldingen'.",
    "ticket.sent_contact": "Haast, of een vraag? Noem het nummer van je melding.",
    "ticket.call": "Bel de helpdesk ({phone})",
    "ticket.mail": "Mail {email}",
    "ticket.my_tickets": "Mijn meldingen",
    "ticket.none": "Je school heeft nog geen meldingen.",
    "ticket.line": "{wrong} op {licence}, gemeld op {date}",
    "ticket.status.open": "open",
    "ticket.status.executed": "uitgevoerd",
    "ticket.status.rejected": "afgewezen",
    "ticket.status.rejected_with": "afgewezen: {reason}",
    "channel.title": "Melding {number}: kindlicentie",
    "channel.reject_label": "Reden bij afwijzen (de ict-coördinator leest dit)",
    "channel.reject_placeholder": "Bijv. het kind staat er terecht op",
    "channel.execute": "Uitvoeren",
    "channel.reject": "Afwijzen",
    "channel.executed": "Uitgevoerd door {name}. De ict-coördinator heeft bericht gekregen.",
    "channel.rejected": "Afgewezen door {name}: {reason}. De ict-coördinator heeft bericht "
    "gekregen.",
    "channel.handled": "Deze melding was al afgehandeld; er is niets veranderd.",
    "channel.registered": "Dit kanaal krijgt voortaan de meldingen over kindlicenties.",
    "channel.hint": "Noem mij hier met 'helpdesk' om dit kanaal de meldingen over "
    "kindlicenties te laten krijgen.",
    "mail.subject": "Melding {number}: kindlicentie {school} ({brin} {vestiging})",
    "mail.intro": "Een ict-coördinator meldt een verkeerd gekoppelde kindlicentie.",
    "mail.school": "School",
    "mail.by": "Gemeld door",
    "mail.how": "Uitvoeren of afwijzen doe je in het helpdeskkanaal in Teams, of met: beheerbot "
    "helpdesk uitvoeren {number} --agent <je Entra-id> (afwijzen: beheerbot helpdesk afwijzen "
    "{number} --agent <je Entra-id> --reden \"...\"). De beheerbot voert de correctie uit en "
    "laat het de ict-coördinator weten.",
    # -- the nightly sync: the morning summary and 'Wijzigingen' --------------------------------
    "notify.title": "Wijzigingen uit Basispoort",
    "notify.school": "School: {school}",
    "notify.open_heading": {"one": "1 koppeling nog te doen",
                           "other": "{count} koppelingen nog te doen"},
    "notify.open_line": "{group} heeft nog geen licentie voor {licence}.",
    "notify.link_button": "{group} → {licence}",
    "notify.link_button_full": "Koppel {group} aan {licence}",
    "notify.auto_heading": {"one": "1 groep automatisch gekoppeld",
                           "other": "{count} groepen automatisch gekoppeld"},
    "notify.auto_line": "{group} is gekoppeld aan {licence}, net als de andere groepen van "
    "dat leerjaar.",
    "notify.undo_button": "Ontkoppel {group} → {licence}",
    "notify.undo_button_full": "Ontkoppel {group} van {licence}",
    "notify.more": {"one": "En nog 1: zie 'Bekijk wijzigingen'.",
                   "other": "En nog {count}: zie 'Bekijk wijzigingen'."},
    "notify.reminder_heading": "Denk aan de nieuwe leerlingen",
    "notify.reminder.digitaal": "{child} is nieuw in {group}. De leerkracht ({teachers}) start "
    "in {product} de lopende lesweek voor dit kind.",
    "notify.reminder.papier": "{child} is nieuw in {group}. De leerkracht ({teachers}) start "
    "in {product} het lopende blok of thema voor dit kind.",
    "notify.reminder.oefensoftware": "{child} is nieuw in {group}. De leerkracht ({teachers}) "
    "zet in {product} het lopende blok klaar voor dit kind.",
    "notify.view_changes": "Bekijk wijzigingen",
    "changes.title": "Wijzigingen uit Basispoort",
    "changes.run_at": "{date} om {time}",
    "changes.run_title": "Wijzigingen van {date}",
    "changes.open_run": "Bekijk {date}",
    "changes.none": "Er zijn nog geen wijzigingen binnengekomen.",
    "changes.nothing": "Deze levering veranderde niets.",
    "changes.rejected": "Deze levering was niet in orde en is niet verwerkt. Malmberg is op de "
    "hoogte; je gegevens zijn ongewijzigd.",
    "changes.first_delivery": "De eerste levering van je school.",
    "changes.links_only": "Alleen koppelingen of herinneringen.",
    "changes.and_more": " en meer",
    "changes.page": "Pagina {page} van {pages}",
    "changes.all_runs": "Alle wijzigingen",
    "changes.kind.group_added": {"one": "1 nieuwe groep",
                                "other": "{count} nieuwe groepen"},
    "changes.kind.group_removed": {"one": "1 groep verdwenen",
                                  "other": "{count} groepen verdwenen"},
    "changes.kind.group_renamed": {"one": "1 groep kreeg een andere naam",
                                  "other": "{count} groepen kregen een andere naam"},
    "changes.kind.group_levels": {"one": "1 groep in een ander leerjaar",
                                 "other": "{count} groepen in een ander leerjaar"},
    "changes.kind.pupil_added": {"one": "1 nieuwe leerling",
                                "other": "{count} nieuwe leerlingen"},
    "changes.kind.pupil_left": {"one": "1 leerling vertrokken",
                               "other": "{count} leerlingen vertrokken"},
    "changes.kind.pupil_moved": {"one": "1 leerling naar een andere groep",
                                "other": "{count} leerlingen naar een andere groep"},
    "changes.kind.teacher_added": {"one": "1 nieuwe leerkracht",
                                  "other": "{count} nieuwe leerkrachten"},
    "changes.kind.teacher_left": {"one": "1 leerkracht vertrokken",
                                 "other": "{count} leerkrachten vertrokken"},
    "changes.kind.teacher_groups": {"one": "1 leerkracht met andere groepen",
                                   "other": "{count} leerkrachten met andere groepen"},
    "changes.kind.coordinator_added": {"one": "1 nieuwe ict-coördinator",
                                      "other": "{count} nieuwe ict-coördinatoren"},
    "changes.kind.coordinator_removed": {"one": "1 ict-coördinator minder",
                                        "other": "{count} ict-coördinatoren minder"},
    "changes.kind.link_ended": {"one": "1 koppeling beëindigd",
                               "other": "{count} koppelingen beëindigd"},
    "changes.kind.auto_linked": {"one": "1 automatische koppeling",
                                "other": "{count} automatische koppelingen"},
    "changes.kind.reminder": {"one": "1 herinnering voor een leerkracht",
                             "other": "{count} herinneringen voor leerkrachten"},
    "changes.line.group_added": "{subject} (leerjaar {levels})",
    "changes.line.group_removed": "{subject}",
    "changes.line.group_renamed": "{previous} heet nu {subject}",
    "changes.line.group_levels": "{subject}: leerjaar {previous} werd {levels}",
    "changes.line.pupil_added": "{subject} in {group}",
    "changes.line.pupil_left": "{subject}",
    "changes.line.pupil_moved": "{subject}: van {previous} naar {group}",
    "changes.line.pupil_moved_in": "{subject}: naar {group}",
    "changes.line.teacher_added": "{subject}",
    "changes.line.teacher_left": "{subject}",
    "changes.line.teacher_groups_added": "erbij {groups}",
    "changes.line.teacher_groups_removed": "niet meer {groups}",
    "changes.line.coordinator_added": "{subject}",
    "changes.line.coordinator_removed": "{subject}",
    "changes.line.link_ended": "{subject} niet meer aan {licence} (de groep is verdwenen)",
    "changes.line.auto_linked": "{subject} aan {licence}",
    "changes.line.reminder": "{subject} in {group}: {product}",
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
    "help.tasks": "- **Licenties koppelen**: groepen aan groepslicenties koppelen, ook automatisch\n"
    "- **Kinderen op licenties**: een kind van een andere groep aan een groepslicentie "
    "koppelen\n"
    "- **Kindlicenties**: kinderen een licentie per kind geven; je ziet hoeveel er nog vrij zijn\n"
    "- **Pincodes**: de pincodes van een groep bekijken, wijzigen en printen, en kiezen tussen "
    "plaatjes en cijfers\n"
    "- **Resultaten uitwisselen**: de koppeling met het LVS van je school (ParnasSys, Momento, "
    "Easyrapport) toevoegen, vervangen of verwijderen\n"
    "- **Schoolgegevens**: je school, groepen, leerkrachten en leerlingen bekijken\n\n"
    "Typ bijvoorbeeld **koppel groep 5b aan Staal**, **kinderen op Taal actief**, "
    "**kindlicenties**, **pincodes groep 4**, **leerling Sanne de Vries** of **topografie**. "
    "Typ **menu** voor het menu en **help** voor deze uitleg.",
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
    # Rate limits: too many messages or downloads in a short time.
    "error.too_many_messages": "Je stuurt veel berichten kort na elkaar. Wacht een minuut en "
    "probeer het dan opnieuw. Er is niets gewijzigd.",
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
    "error.reason_missing": "Schrijf kort waarom: de helpdesk heeft een reden nodig.",
    "error.reason_too_long": "De reden is te lang: hooguit {max} tekens.",
    "error.intended_not_pupil": "Het bedoelde kind is geen leerling van deze school (of is "
    "hetzelfde kind).",
    "error.intended_has_seat": "{name} staat al op deze licentie.",
    "error.ticket_not_found": "Deze melding bestaat niet (meer).",
    "error.no_children_assigned": "Er staan nog geen kinderen op deze kindlicentie.",
    "error.not_an_agent": "Alleen medewerkers van de Malmberg-helpdesk mogen meldingen "
    "afhandelen.",
    "error.person_not_found": "Er is geen actieve persoon met dit e-mailadres.",
    "error.run_not_found": "Deze synchronisatie bestaat niet (meer).",
    "error.group_not_found": "Deze groep bestaat niet (meer). Misschien is ze vannacht via "
    "Basispoort gewijzigd of verwijderd.",
    "error.licence_not_found": "Deze licentie bestaat niet (meer).",
    "error.already_linked": "Deze groepen zijn al aan de licentie gekoppeld.",
    "error.not_linked": "{group} is niet aan deze licentie gekoppeld.",
    "error.query_too_long": "Je zoekterm is te lang (hooguit {limit} tekens).",
    # licenties koppelen
    "licence.auto": "automatisch gekoppeld",
    "licence.manual": "handmatig gekoppeld",
    "licences.title": "Licenties koppelen",
    "licences.intro": "Groepslicenties van {school} voor schooljaar {year}. Alle gebruikers van "
    "een gekoppelde groep krijgen toegang.",
    "licences.none": "Je school heeft geen groepslicenties voor {year}.",
    "licences.count": {"one": "{count} groep gekoppeld", "other": "{count} groepen gekoppeld"},
    "licences.no_groups": "Nog geen groep gekoppeld",
    # licentielijst: per methode, gepagineerd, knoppen met naam
    "licences.attention": {"one": "{count} licentie zonder groep",
                           "other": "{count} licenties zonder groep"},
    "licences.all_linked": "Elke licentie heeft een groep.",
    "licences.link_named": "Koppel {licence}",
    "licences.unlink_named": "Ontkoppel {group} van {licence}",
    "licences.children_named": "Andere kinderen: {licence}",
    "licences.page": "Pagina {page} van {pages}",
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
    "school.search_result": {"one": "{count} leerling gevonden voor '{query}'.",
                             "other": "{count} leerlingen gevonden voor '{query}'."},
    "school.no_pupils_found": "Geen leerling gevonden met die naam.",
    "school.page": "Pagina {page} van {pages} ({total} leerlingen)",
    "school.previous": "Vorige",
    "school.next": "Volgende",
    # --- licence tasks: children, kindlicenties, auto-linking, shortcuts ---
    "levels.range": "{first} t/m {last}",
    "licences.autolink": "Automatisch koppelen",
    # kinderen op groepslicenties
    "children.title": "Kinderen op licenties",
    "children.title_product": "Kinderen op {product}",
    "children.intro": "Groepslicenties van {school} voor schooljaar {year}. Sinds schooljaar "
    "2022-2023 kun je ook een kind van een andere groep aan een groepslicentie koppelen.",
    "children.with_children": "Met kinderen van andere groepen",
    "children.count": {"one": "{count} kind", "other": "{count} kinderen"},
    "children.choose": "Kies een licentie",
    "children.more": {"one": "En nog 1 licentie. Typ bijvoorbeeld 'kinderen op Pluspunt'.",
                      "other": "En nog {count} licenties. Typ bijvoorbeeld 'kinderen op "
                      "Pluspunt'."},
    "children.tab": "Kinderen gekoppeld",
    "children.groups": "Gekoppelde groepen: {groups}",
    "children.no_groups": "nog geen",
    "children.none": "Er zijn nog geen kinderen van andere groepen aan deze licentie gekoppeld.",
    "children.added_by": "{group} · toegevoegd door {name}",
    "children.page": "Pagina {page} van {pages} ({total} kinderen)",
    "children.add": "Kind toevoegen",
    "children.back": "Naar kinderen op licenties",
    "children.to_tab": "Naar kinderen gekoppeld",
    "children.remove": "Verwijderen",
    "children.confirm_title": "Klopt dit?",
    "children.confirm_text": "Je koppelt **{children}** aan **{licence}**.",
    "children.confirm_note": "Deze kinderen houden hun eigen groep en krijgen daarnaast toegang "
    "via deze licentie.",
    "children.confirm": "Toevoegen",
    "children.done_title": "Toegevoegd",
    "children.done": {"one": "{children} staat nu op {licence}.",
                      "other": "{children} staan nu op {licence}."},
    "children.remove_title": "Kind verwijderen?",
    "children.remove_text": "Je haalt **{child}** van **{licence}**.",
    "children.remove_note": "Het kind heeft daarna geen toegang meer via deze licentie (wel via "
    "de licenties van de eigen groep).",
    "children.removed_title": "Verwijderd",
    "children.removed": "{child} staat niet meer op {licence}.",
    "children.was_not_on": "{child} stond al niet (meer) op deze licentie. Er is niets gewijzigd.",
    # kind kiezen (kinderen op licenties en kindlicenties)
    "pick.title": "Kind toevoegen",
    "pick.choose_group": "Kies de groep van het kind:",
    "pick.search_school": "Of zoek het kind op naam in de hele school",
    "pick.no_groups": "Er zijn geen groepen waaruit je een kind kunt kiezen: alle groepen zijn "
    "al aan deze licentie gekoppeld.",
    "pick.group_or_name": "Kies een groep of typ (een deel van) de naam van het kind.",
    "pick.children_title": "Kies de kinderen",
    "pick.in_group": "Uit {group}",
    "pick.in_school": "Kinderen van de hele school met '{query}' in hun naam",
    "pick.already_on": {"one": "{count} kind hieruit staat al op deze licentie en zie je niet.",
                        "other": "{count} kinderen hieruit staan al op deze licentie en zie je "
                        "niet."},
    "pick.choose_children": "Welke kinderen? Je kunt er meerdere kiezen.",
    "pick.nothing_chosen": "Kies minstens één kind.",
    "pick.page": "Pagina {page} van {pages} ({total} kinderen). Je keuze geldt voor deze pagina.",
    "pick.none_found": "Hier is geen kind dat je nog kunt toevoegen.",
    "pick.search_label": "Zoek op naam",
    "pick.other_group": "Andere groep",
    # herinnering (regel 7)
    "reminder.title": "Let op: laat het de leerkracht weten",
    "reminder.digitaal": "Voeg je tijdens een lesweek een kind toe? Dan moet de leerkracht in "
    "{product} de lopende lesweek starten voor dat kind (Basis digitaal).",
    "reminder.papier": "Voeg je tijdens een blok of thema een kind toe? Dan moet de leerkracht in "
    "{product} het lopende blok of thema starten voor dat kind (Basis papier).",
    "reminder.oefensoftware": "Voeg je tijdens een blok of thema een kind toe? Dan moet de "
    "leerkracht in {product} het lopende blok of thema starten voor dat kind (oefensoftware).",
    "reminder.teacher_line": "{group} · leerkracht: {teachers}",
    "reminder.no_teacher": "geen leerkracht bekend",
    # kindlicenties
    "childlic.title": "Kindlicenties",
    "childlic.intro": "Licenties per kind van {school} voor schooljaar {year}.",
    "childlic.none": "Je school heeft geen licenties per kind voor {year}.",
    "childlic.not_every_product": "Niet voor elk product van Malmberg zijn licenties per kind "
    "beschikbaar.",
    "childlic.free": "{free} van {seats} vrij",
    "childlic.open": "Open {licence}",
    "childlic.assigned": "Gekoppelde kinderen ({count})",
    "childlic.no_children": "Er zijn nog geen kinderen aan deze licentie gekoppeld.",
    "childlic.no_children_found": "Geen gekoppeld kind gevonden met die naam.",
    "childlic.search_label": "Zoek een gekoppeld kind",
    "childlic.search_result": {"one": "{count} kind gevonden voor '{query}'.",
                               "other": "{count} kinderen gevonden voor '{query}'."},
    "childlic.full": "Alle licenties zijn in gebruik. Meer nodig? Bestel ze bij Malmberg.",
    "childlic.no_undo_short": "Een kindlicentie kun je niet zelf ontkoppelen.",
    "childlic.back": "Naar de kindlicenties",
    "childlic.to_licence": "Naar de licentie",
    "childlic.confirm_title": "Kindlicentie toewijzen?",
    "childlic.confirm_text": {"one": "Je geeft {count} kind een licentie van **{licence}**:",
                               "other": "Je geeft {count} kinderen een licentie van **{licence}**:"},
    "childlic.after": "Daarna zijn er nog {free} van {seats} vrij.",
    "childlic.no_undo": "Let op: dit kun je niet ongedaan maken. Een verkeerd gekoppeld kind kan "
    "alleen de helpdesk van Malmberg ontkoppelen ({phone}).",
    "childlic.confirm": "Toewijzen",
    "childlic.done_title": "Toegewezen",
    "childlic.done": {"one": "{children} heeft nu een licentie van {licence}.",
                       "other": "{children} hebben nu een licentie van {licence}."},
    "childlic.wrong": "Verkeerd kind gekoppeld?",
    "childlic.wrong_text": "Een kindlicentie kun je als school niet zelf ontkoppelen. Heb je per "
    "ongeluk een verkeerde leerling gekoppeld? Neem dan contact op met de helpdesk van Malmberg: "
    "zij zetten het recht.",
    "childlic.wrong_licence": "Licentie",
    "childlic.wrong_child": "Kind",
    "childlic.wrong_tell": "Noem de licentie, het kind dat er verkeerd op staat en het kind dat "
    "de licentie had moeten krijgen.",
    # automatisch koppelen (regel 5)
    "autolink.title": "Automatisch koppelen",
    "autolink.intro": "Ik koppel elke groep die nog geen licentie van een methode heeft aan de "
    "groepslicentie van {year} die precies past bij haar leerjaar. Twijfelgevallen laat ik aan "
    "jou.",
    "autolink.will_link": {"one": "Deze koppeling maak ik automatisch:",
                           "other": "Deze {count} koppelingen maak ik automatisch:"},
    "autolink.nothing": "Er is niets meer dat ik automatisch kan koppelen.",
    "autolink.suggestions": "Kies zelf",
    "autolink.choose_intro": "Deze groepen passen bij meer dan één licentie. Kies per groep "
    "welke licentie erbij hoort, of laat 'Niet koppelen' staan. 'Koppelen' maakt alles in één "
    "keer.",
    "autolink.choice_label": "{group} — welke licentie van {product}?",
    "autolink.skip": "Niet koppelen",
    "autolink.suggestion": "{group} past bij {licences}.",
    "autolink.and": "{first} en {last}",
    "autolink.more": {"one": "En nog 1 groep om zelf te kiezen: die komt in het volgende "
                      "voorstel.",
                      "other": "En nog {count} groepen om zelf te kiezen: die komen in het "
                      "volgende voorstel."},
    "autolink.more_links": {"one": "En nog 1 koppeling.", "other": "En nog {count} koppelingen."},
    "autolink.confirm": "Koppelen",
    "autolink.done_title": "Automatisch gekoppeld",
    "autolink.done": {"one": "{count} koppeling gemaakt:", "other": "{count} koppelingen gemaakt:"},
    "autolink.none_made": "Er is niets gekoppeld: je koos bij geen enkele groep een licentie.",
    "autolink.left": {"one": "Nog zelf te kiezen (1 groep)",
                      "other": "Nog zelf te kiezen ({count} groepen)"},
    "autolink.new_proposal": "Nieuw voorstel",
    "autolink.choose_rest": {"one": "Kies voor de overige groep",
                             "other": "Kies voor de overige {count} groepen"},
    # topografie (regel 9)
    "topography.title": "Topografie",
    "topography.button": "Topografie",
    "topography.hint": "Licenties voor de topografiesoftware staan hier niet.",
    "topography.text": "Licenties voor de topografiesoftware van Malmberg beheer je niet hier en "
    "ook niet in het beheerdeel. Als ict-coördinator ontvang je per e-mail aparte inloggegevens "
    "voor het beheer van deze software.",
    "topography.helpdesk": "Geen inloggegevens ontvangen? Bel de helpdesk ({phone}) of mail "
    "{email}.",
    # getypte opdrachten
    "shortcut.not_found_title": "Dat kon ik niet vinden",
    "shortcut.understood_link": "Ik begreep: koppel groep '{group}' aan '{product}'.",
    "shortcut.understood_children": "Ik begreep: kinderen op '{product}'.",
    "shortcut.no_group": "Een groep '{group}' vond ik niet op je school. Mis je een groep? "
    "Nieuwe groepen komen 's nachts via Basispoort binnen.",
    "shortcut.no_product": "Een methode '{product}' vond ik niet bij de groepslicenties van dit "
    "schooljaar. Je school heeft: {products}.",
    "shortcut.no_licence": "Je school heeft dit schooljaar geen groepslicentie van {product}.",
    "shortcut.which_group": "Welke groep bedoel je?",
    "shortcut.which_licence": "Welke licentie van {product}?",
    "shortcut.licence_for": "Voor {group} (leerjaar {levels}):",
    "shortcut.none_fits": "Geen van deze licenties past bij het leerjaar van {group}.",
    "pupil.title": "Leerling '{query}'",
    "pupil.none": "Ik vond geen leerling die lijkt op '{query}'.",
    "pupil.open_group": "Groep bekijken",
    "pupil.no_licences": "Geen licenties dit schooljaar.",
    "pupil.via_group": "{licence} (via de groep)",
    "pupil.via_extra": "{licence} (kind van een andere groep)",
    "pupil.via_seat": "{licence} (kindlicentie)",
    "pupil.more": {"one": "En nog 1 leerling. Typ een langere naam.",
                   "other": "En nog {count} leerlingen. Typ een langere naam."},
    # fouten
    "error.child_not_found": "Dit kind bestaat niet (meer). Misschien is het vannacht via "
    "Basispoort gewijzigd.",
    "error.child_other_school": "Dit kind hoort niet bij deze school. Je kunt alleen leerlingen "
    "van je eigen school toevoegen.",
    "error.child_left": "{names} staat niet meer ingeschreven op je school.",
    "error.child_already_on": "{names} staat al op deze licentie.",
    "error.child_has_access": "{name} zit in {group}, die al aan deze licentie gekoppeld is: het "
    "kind heeft al toegang.",
    "error.child_not_on": "{name} staat niet (meer) op deze licentie.",
    "error.child_already_assigned": "{names} heeft al een licentie van deze kindlicentie.",
    "error.child_not_assigned": "Dit kind heeft geen licentie van deze kindlicentie.",
    "error.not_enough_seats": {"one": "Je kiest 1 kind, maar geen van de {seats} licenties is "
                               "nog vrij. Bestel meer licenties.",
                               "other": "Je kiest {count} kinderen, maar er zijn nog maar {free} "
                               "van de {seats} licenties vrij. Kies minder kinderen of bestel "
                               "meer licenties."},
    "error.extra_children_since": "Een kind van een andere groep koppelen kan pas vanaf "
    "schooljaar {year}.",
    "error.choose_group_or_name": "Kies een groep of typ (een deel van) de naam van het kind.",
    "error.autolink_changed": "Sinds dit voorstel is er iets veranderd: een van de groepen is "
    "intussen gekoppeld of gewijzigd. Kies opnieuw 'Automatisch koppelen' voor een nieuw "
    "voorstel.",
    "error.no_free_seats": "Alle {seats} licenties van deze kindlicentie zijn in gebruik. Meer "
    "nodig? Bestel ze bij Malmberg.",
    "shortcut.already_linked_title": "Al gekoppeld",
    "shortcut.already_linked": "{group} is al gekoppeld aan {licence}. Er is niets gewijzigd.",
    # --- pincodes ---
    "pincodes.title": "Pincodes",
    "pincodes.pick_group": "Kies een groep van {school} om de pincodes te bekijken.",
    "pincodes.no_match": "Ik vind geen groep '{query}'. Kies hieronder een groep.",
    "pincodes.several": "Meerdere groepen passen bij '{query}'. Welke bedoel je?",
    "pincodes.group_line": "{count} leerlingen · {mode}",
    "pincodes.mode_pictures": "plaatjes",
    "pincodes.mode_digits": "cijfer-wachtwoord",
    "pincodes.group_title": "Pincodes {group}",
    "pincodes.group_intro": "{school} · inloggen met {mode}",
    "pincodes.hidden_note": "De pincodes zijn verborgen. Kies 'Toon pincodes' om ze te zien.",
    "pincodes.shown_note": "De pincodes zijn zichtbaar. Ze verdwijnen uit deze chat zodra je "
    "verder gaat, en uiterlijk na {minutes} minuten. Klaar? Kies 'Verberg'.",
    "pincodes.no_code": "geen pincode",
    "pincodes.unreadable": "onleesbaar: wijzig deze pincode",
    "pincodes.page": "Pagina {page} van {pages} ({total} leerlingen)",
    "pincodes.show": "Toon pincodes",
    "pincodes.hide": "Verberg",
    "pincodes.switch_mode": "Inlogmethode",
    "pincodes.print": "Print pincodes",
    "pincodes.other_group": "Andere groep",
    "pincodes.back_to_group": "Terug naar de groep",
    "pincodes.mode_title": "Inlogmethode wijzigen?",
    "pincodes.mode_text": "{group} logt nu in met **{current}**. Wil je overstappen op "
    "**{target}**?",
    "pincodes.mode_consequence": "Alle {count} leerlingen van de groep krijgen dan een nieuwe "
    "pincode; de oude pincodes werken niet meer. Print daarna de nieuwe pincodes.",
    "pincodes.mode_confirm": "Overstappen op {mode}",
    "pincodes.mode_done_title": "Inlogmethode gewijzigd",
    "pincodes.mode_done": "{group} logt nu in met {mode}. {count} leerlingen hebben een nieuwe "
    "pincode.",
    "pincodes.mode_print_hint": "Print de nieuwe pincodes en geef ze aan de leerlingen.",
    "pincodes.print_title": "Pincodes printen",
    "pincodes.print_ready": "De PDF met de pincodes van {group} ({count} leerlingen) staat klaar: "
    "één kaartje per leerling om uit te knippen.",
    "pincodes.print_expiry": "De link werkt 10 minuten. Deel hem niet: iedereen met de link ziet "
    "de pincodes. Daarna vraag je hier een nieuwe aan.",
    "pincodes.print_open": "Open de PDF",
    "pincode.change_title": "Wijzig pincode",
    "pincode.change_intro": "**{pupil}** ({group}) logt in met {mode}.",
    "pincode.digits_label": "Nieuwe pincode ({min} tot {max} cijfers)",
    "pincode.digits_placeholder": "Typ de nieuwe pincode",
    "pincode.digits_rules": "Niet toegestaan: allemaal hetzelfde cijfer (1111), een rijtje "
    "(1234 of 9876) en de huidige pincode. Of kies 'Bedenk er een voor mij'.",
    "pincode.picture_label": "Plaatje {number}",
    "pincode.picture_placeholder": "Kies een plaatje",
    "pincode.pictures_rules": "Kies {count} verschillende plaatjes, in de volgorde waarin de "
    "leerling ze aanklikt. Of kies 'Bedenk er een voor mij'.",
    "pincode.save": "Wijzig pincode",
    "pincode.generate": "Bedenk er een voor mij",
    "pincode.changed_title": "Pincode gewijzigd",
    "pincode.changed_shown": "De nieuwe pincode van **{pupil}** ({group}):",
    "pincode.changed_hide_hint": "Kies 'Verberg' zodra je de pincode hebt genoteerd.",
    "pincode.changed_hidden": "De pincode van {pupil} ({group}) is gewijzigd. Je ziet de nieuwe "
    "pincode via 'Toon pincodes' bij de groep.",
    "picture.appel": "appel",
    "picture.auto": "auto",
    "picture.bal": "bal",
    "picture.bloem": "bloem",
    "picture.boom": "boom",
    "picture.boot": "boot",
    "picture.hart": "hart",
    "picture.huis": "huis",
    "picture.kroon": "kroon",
    "picture.maan": "maan",
    "picture.paraplu": "paraplu",
    "picture.sleutel": "sleutel",
    "picture.ster": "ster",
    "picture.vis": "vis",
    "picture.wolk": "wolk",
    "picture.zon": "zon",
    "pdf.title": "Pincodes {group}",
    "pdf.header": "{school} · {group} · {count} leerlingen · knip langs de stippellijn",
    "pdf.code_digits": "Jouw pincode:",
    "pdf.code_pictures": "Klik deze plaatjes aan, in deze volgorde:",
    "pdf.no_code": "Nog geen pincode: vraag het je juf of meester.",
    "download.forbidden": "Deze link is ongeldig.",
    "download.too_many": "Te veel downloads kort na elkaar. Wacht een minuut en probeer het "
    "opnieuw.",
    "download.expired": "Deze link is verlopen. Vraag in de chat met de beheerbot een nieuwe aan.",
    "download.failed": "Het maken van de PDF is mislukt. Probeer het over een paar minuten "
    "opnieuw via de chat met de beheerbot.",
    "error.pincode_empty": "Typ een nieuwe pincode, of kies 'Bedenk er een voor mij'.",
    "error.pincode_digits_only": "Een cijfer-wachtwoord bestaat alleen uit cijfers (0 tot en "
    "met 9).",
    "error.pincode_length": "Een cijfer-wachtwoord heeft {min} tot {max} cijfers.",
    "error.pincode_same_digit": "Alle cijfers zijn hetzelfde (zoals 1111). Zo'n pincode is te "
    "makkelijk te raden.",
    "error.pincode_run": "Dit is een rijtje opeenvolgende cijfers (zoals 1234 of 9876). Zo'n "
    "pincode is te makkelijk te raden.",
    "error.pincode_current": "Dit is de huidige pincode van deze leerling. Kies een andere.",
    "error.pincode_pictures_count": "Kies precies {count} plaatjes.",
    "error.pincode_picture_unknown": "Dat plaatje ken ik niet. Kies plaatjes uit de lijst.",
    "error.pincode_pictures_repeat": "Kies {count} verschillende plaatjes: een plaatje mag maar "
    "één keer voorkomen.",
    "error.pupil_not_found": "Deze leerling zit niet (meer) in {group}. Misschien is dat vannacht "
    "via Basispoort gewijzigd.",
    "error.login_mode_same": "{group} gebruikt deze inlogmethode al.",
    "error.school_ambiguous": "Deze BRIN heeft meerdere vestigingen ({schools}): geef ook de "
    "vestiging op.",
    "error.group_ambiguous": "Meerdere groepen passen bij deze naam: {groups}.",
    "error.brin_format": "Geef de BRIN van de school op, bijv. 12AB, of met de vestiging erbij: "
    "12AB00.",
    # --- result exchange / LVS ---
    "exchange.title": "Resultaten uitwisselen",
    "exchange.consent": "Toets- en observatieresultaten uit de Resultatenmonitor van Malmberg "
    "gaan automatisch naar het leerlingvolgsysteem (LVS) van je school. Bingel stuurt alleen "
    "oefenresultaten, en alleen naar Momento.",
    "exchange.consent_explicit": "Dit gebeurt alleen met uitdrukkelijke toestemming van je "
    "school: een koppeling hieronder is die toestemming. Verwijder je een koppeling, dan stopt "
    "de uitwisseling en wissen we de sleutel.",
    "exchange.supported": "Koppelingen zijn er met ParnasSys, Momento en Easyrapport. Is het LVS "
    "van je school niet gekoppeld? Neem dan contact op met de leverancier van dat LVS.",
    "exchange.none": "Je school heeft nog geen koppeling: er worden geen resultaten uitgewisseld.",
    "exchange.status": "Status",
    "exchange.key": "Sleutel",
    "exchange.since": "Sinds",
    "exchange.by": "Door",
    "exchange.by_unknown": "onbekend",
    "exchange.verified": "Gecontroleerd",
    "exchange.grades": "Schoolcijfers doorsturen",
    "exchange.on": "aan",
    "exchange.off": "uit",
    "exchange.key_unreadable": "onleesbaar: vervang de sleutel",
    "exchange.status.pending": "Wacht op eerste uitwisseling",
    "exchange.status.active": "Actief",
    "exchange.status.rejected": "Sleutel geweigerd",
    "exchange.status.unreachable": "LVS niet bereikbaar",
    "exchange.hint.pending": "De sleutel is opgeslagen. Zodra Malmberg voor het eerst resultaten "
    "met {system} uitwisselt, zie je hier of de koppeling werkt.",
    "exchange.hint.active": "{system} heeft de sleutel geaccepteerd. Nieuwe resultaten gaan vanaf "
    "nu automatisch naar {system}.",
    "exchange.hint.rejected": "{system} heeft de sleutel geweigerd. Controleer in {system} of de "
    "koppeling met Malmberg aanstaat en of je de hele sleutel hebt gekopieerd. Kies daarna "
    "'Sleutel vervangen'.",
    "exchange.hint.unreachable": "Malmberg kon {system} nu niet bereiken. We proberen het "
    "automatisch opnieuw; je hoeft niets te doen.",
    "exchange.grades_note": "Schoolcijfers: de cijfergrenzen zijn door Malmberg per methode "
    "vastgesteld, in overleg met de uitgever, en kun je niet aanpassen. Ze verschillen daardoor "
    "per methode. Aan observaties koppelen we geen schoolcijfers.",
    "exchange.grades_on": "Schoolcijfers aanzetten",
    "exchange.grades_off": "Schoolcijfers uitzetten",
    "exchange.replace": "Sleutel vervangen",
    "exchange.remove": "Koppeling verwijderen",
    "exchange.recheck": "Opnieuw controleren",
    "exchange.add": "Koppeling toevoegen",
    "exchange.back": "Naar resultaten uitwisselen",
    "exchange.step1_title": "Stap 1: zet de koppeling aan in je LVS",
    "exchange.step1_general": "Zet eerst in het leerlingvolgsysteem van je school de automatische "
    "koppeling met Malmberg aan. Je krijgt dan een autorisatiesleutel. Het is belangrijk dat je "
    "dit eerst doet!",
    "exchange.choose": "Met welk leerlingvolgsysteem wil je koppelen?",
    "exchange.step1.parnassys": "Zet in ParnasSys de automatische koppeling met Malmberg aan. "
    "ParnasSys geeft je dan een autorisatiesleutel. Meer hulp vind je bij ParnasSys.",
    "exchange.step1.momento": "Ga in Momento naar **Instellingen** en vink verderop op die pagina "
    "de toestemming voor **Malmberg** aan. De autorisatiesleutel staat daarna bovenaan de pagina.",
    "exchange.step1.easyrapport": "Zet in Easyrapport de automatische koppeling met Malmberg aan. "
    "Easyrapport geeft je dan een autorisatiesleutel. Meer hulp vind je bij Easyrapport.",
    "exchange.bingel_note": "Let op: Bingel stuurt alleen oefenresultaten naar Momento.",
    "exchange.key_title": "Koppeling met {system}",
    "exchange.step2": "Stap 2: plak hier de autorisatiesleutel uit {system} en kies Opslaan.",
    "exchange.paste_here": "Plak de sleutel in het veld hieronder, niet als chatbericht: daar "
    "blijft hij leesbaar staan.",
    "exchange.key_label": "Autorisatiesleutel",
    "exchange.key_placeholder": "Plak hier de sleutel uit je LVS",
    "exchange.try_again": "Probeer het nog eens.",
    "exchange.save": "Opslaan",
    "exchange.replace_title": "Vervangen?",
    "exchange.replace_text": "Je school heeft al een koppeling met {system} (sleutel {masked}, "
    "status: {status}). Wil je die vervangen door een nieuwe sleutel? De oude sleutel wordt dan "
    "gewist.",
    "exchange.replace_confirm": "Vervangen",
    "exchange.replacing": "Je vervangt de sleutel van de koppeling met {system}.",
    "exchange.saved_title": "Koppeling opgeslagen",
    "exchange.replaced_title": "Sleutel vervangen",
    "exchange.saved": "De koppeling met {system} is opgeslagen.",
    "exchange.replaced": "De nieuwe sleutel voor {system} is opgeslagen; de oude is gewist.",
    "exchange.grades_title": "Schoolcijfers doorsturen",
    "exchange.grades_now_on": "Schoolcijfers worden nu doorgestuurd naar {system}.",
    "exchange.grades_now_off": "Schoolcijfers worden niet meer doorgestuurd naar {system}.",
    "exchange.remove_title": "Koppeling verwijderen?",
    "exchange.remove_text": "Je verwijdert de koppeling met {system} (sleutel {masked}). Daarmee "
    "trek je de toestemming in: de uitwisseling van resultaten met {system} stopt en de "
    "autorisatiesleutel wordt gewist.",
    "exchange.remove_note": "Zet de koppeling met Malmberg ook uit in {system}. Wil je later weer "
    "koppelen, dan heb je een (nieuwe) sleutel uit {system} nodig.",
    "exchange.remove_confirm": "Verwijderen",
    "exchange.removed_title": "Koppeling verwijderd",
    "exchange.removed": "De koppeling met {system} is verwijderd en de sleutel is gewist. Er "
    "worden geen resultaten meer naar {system} gestuurd.",
    "exchange.checked_title": "Status van de koppeling",
    "error.lvs_key_empty": "Je hebt geen sleutel ingevuld. Plak de autorisatiesleutel uit je LVS "
    "in het veld.",
    "error.lvs_key_too_short": "Deze sleutel is te kort ({length} tekens, minstens {minimum}). "
    "Kopieer de hele autorisatiesleutel uit je LVS.",
    "error.lvs_key_too_long": "Deze sleutel is te lang ({length} tekens, hooguit {limit}). "
    "Kopieer alleen de autorisatiesleutel, zonder de tekst eromheen.",
    "error.lvs_key_whitespace": "De sleutel bevat op plaats {position} een spatie of een nieuwe "
    "regel. Een autorisatiesleutel heeft geen spaties: kopieer alleen de sleutel zelf.",
    "error.lvs_key_unprintable": "Op plaats {position} staat een onzichtbaar of bijzonder teken "
    "(zoals een letter met accent) dat niet in een autorisatiesleutel hoort. Kopieer de sleutel "
    "opnieuw uit je LVS.",
    "error.lvs_system_unknown": "Kies ParnasSys, Momento of Easyrapport.",
    "error.lvs_coupling_exists": "Je school heeft al een koppeling met {system}. Wil je de sleutel "
    "vervangen? Kies dan 'Sleutel vervangen' bij die koppeling.",
    "error.lvs_coupling_not_found": "Deze koppeling bestaat niet (meer). Misschien heeft iemand "
    "anders haar net gewijzigd of verwijderd.",
    # Limits on what the bot reads and sends.
    "too_long.title": "Dat bericht is te lang",
    "too_long.text": "Je bericht is {length} tekens lang; ik lees alleen korte opdrachten (tot "
    "{limit} tekens), dus ik heb er niets mee gedaan. Kies hieronder in het menu, of typ "
    "bijvoorbeeld 'pincodes groep 4'.",
    "card_too_big.title": "Dit past niet in één bericht",
    "card_too_big.text": "Sorry, mijn antwoord werd te groot om in Teams te tonen, dus ik heb het "
    "niet verstuurd. Kies 'Menu' en kijk in het overzicht hoe het nu staat, of bel de helpdesk "
    "als dit blijft gebeuren.",
    # 'Recente wijzigingen': the school's audit trail.
    "menu.audit": "Recente wijzigingen",
    "audit.title": "Recente wijzigingen",
    "audit.intro": "Wie wat deed voor deze school, de nieuwste bovenaan; ook wat geweigerd werd.",
    "audit.none": "Er is nog niets vastgelegd voor deze school.",
    "audit.who_sync": "Basispoort (nachtelijke levering)",
    "audit.who_unknown": "Onbekende gebruiker",
    "audit.where_this": "Vanuit dit gesprek",
    "audit.where_other": "Vanuit een ander gesprek (…{tag})",
    "audit.where_none": "Buiten Teams (beheer of nachtelijke levering)",
    "audit.action_other": "Actie '{action}'",
    "audit.refused": "Geweigerd: {what}",
    "audit.pupils": {"one": "{count} leerling", "other": "{count} leerlingen"},
    "audit.more": {"one": "en nog {count}", "other": "en nog {count}"},
    "audit.action.link_groups": "Groepen gekoppeld aan een licentie",
    "audit.action.unlink_group": "Groep losgekoppeld van een licentie",
    "audit.action.auto_link": "Automatisch gekoppeld",
    "audit.action.add_extra_children": "Kinderen van een andere groep toegevoegd",
    "audit.action.remove_extra_child": "Kind van een andere groep verwijderd",
    "audit.action.assign_children": "Kinderen op een kindlicentie gezet",
    "audit.action.change_pincode": "Pincode gewijzigd",
    "audit.action.switch_login_mode": "Manier van inloggen gewijzigd",
    "audit.action.reveal_pincodes": "Pincodes bekeken",
    "audit.action.pincode_print_link": "Printlink voor pincodes gemaakt",
    "audit.action.print_pincodes": "Pincodes geprint",
    "audit.action.issue_pincodes": "Pincodes uitgegeven",
    "audit.action.add_lvs_coupling": "Koppeling met het LVS toegevoegd",
    "audit.action.replace_lvs_coupling": "Sleutel van de LVS-koppeling vervangen",
    "audit.action.set_lvs_forward_grades": "Schoolcijfers doorsturen aangepast",
    "audit.action.remove_lvs_coupling": "LVS-koppeling verwijderd",
    "audit.action.verify_lvs_coupling": "LVS-koppeling gecontroleerd",
    "audit.action.open_ticket": "Melding bij de helpdesk gedaan",
    "audit.action.execute_ticket": "Melding uitgevoerd door de helpdesk",
    "audit.action.reject_ticket": "Melding afgewezen door de helpdesk",
    "audit.action.sync_applied": "Levering van Basispoort verwerkt",
    "audit.action.assign_coordinator": "ICT-coördinator toegevoegd",
    "audit.action.set_entra_tenant": "Entra-tenant van de school ingesteld",
    "audit.action.bot_refused": "Iemand zonder toegang probeerde de bot te gebruiken",
    "audit.action.recent_changes": "Recente wijzigingen bekijken",
    # --- pincodes: named buttons, codes hidden when the coördinator moves on ---
    "pincodes.change_pupil": "Wijzig {name}",
    "pincodes.change_pupil_tooltip": "Wijzig de pincode van {name}",
    # --- result exchange: what the real exchange of results did ---
    "exchange.active_since": "Actief sinds",
    "exchange.last_exchange": "Laatste uitwisseling",
    "exchange.last_exchange_none": "nog geen",
    "exchange.results_sent": "Resultaten verstuurd",
    "exchange.results_queued": "Wachten op versturen",
    "exchange.results_aside": "Apart gezet",
    "exchange.hint.active_sent": {
        "one": "{system} heeft {count} resultaat van Malmberg aangenomen. Nieuwe resultaten "
        "gaan vanaf nu automatisch naar {system}.",
        "other": "{system} heeft {count} resultaten van Malmberg aangenomen. Nieuwe resultaten "
        "gaan vanaf nu automatisch naar {system}.",
    },
    "exchange.hint.rejected_school": "Klopt de sleutel wel? Dan kent {system} je school misschien "
    "onder een ander BRIN-nummer of een andere vestiging dan Malmberg ({brin}, vestiging "
    "{vestiging}). Vraag dat na bij {system} of bij de helpdesk van Malmberg.",
    "exchange.aside_title": "Wat {system} niet heeft aangenomen (de rest is wel verstuurd):",
    "exchange.aside.Client.LeerlingOngeldig": {
        "one": "1 resultaat: de leerling is niet bekend in {system}. Staat de leerling daar in "
        "de juiste groep?",
        "other": "{count} resultaten: de leerling is niet bekend in {system}. Staan de "
        "leerlingen daar in de juiste groep?",
    },
    "exchange.aside.Client.ScoreOngeldig": {
        "one": "1 resultaat: {system} neemt de score niet aan.",
        "other": "{count} resultaten: {system} neemt de score niet aan.",
    },
    "exchange.aside.Client.ToetsNormeringOngeldig": {
        "one": "1 resultaat: {system} neemt de normering van de toets niet aan.",
        "other": "{count} resultaten: {system} neemt de normering van de toets niet aan.",
    },
    "exchange.aside.schema": {
        "one": "1 resultaat: onvolledig aangeleverd door de Resultatenmonitor; Malmberg zoekt "
        "het uit.",
        "other": "{count} resultaten: onvolledig aangeleverd door de Resultatenmonitor; Malmberg "
        "zoekt het uit.",
    },
    "exchange.aside.other": {
        "one": "1 resultaat: geweigerd door {system}.",
        "other": "{count} resultaten: geweigerd door {system}.",
    },
    "exchange.not_checked": "Er is nu niets gecontroleerd: {system} controleert de sleutel pas "
    "als Malmberg er resultaten naartoe stuurt. Dat gebeurt 's nachts en direct nadat er nieuwe "
    "resultaten zijn.",
    "exchange.not_checked_last": "Laatste uitwisseling met {system}: {date}.",
    "exchange.not_checked_never": "Er zijn nog geen resultaten met {system} uitgewisseld.",
    "exchange.checked_now": "{system} is nu opnieuw gevraagd of het de sleutel aanneemt.",
    "error.results_busy": "Er worden net andere resultaten ingelezen. Probeer het zo nog eens.",
    # -- titles that say when, buttons that fit, facts that explain themselves ------------------
    "notify.title_at": "Wijzigingen uit Basispoort van {when}",
    "notify.weekday.0": "maandag",
    "notify.weekday.1": "dinsdag",
    "notify.weekday.2": "woensdag",
    "notify.weekday.3": "donderdag",
    "notify.weekday.4": "vrijdag",
    "notify.weekday.5": "zaterdag",
    "notify.weekday.6": "zondag",
    "licences.children_named_full": "Kinderen van andere groepen op {licence}",
    "exchange.grades_meaning_on": "Schoolcijfers doorsturen aan: bij een toetsresultaat krijgt "
    "{system} ook het schoolcijfer.",
    "exchange.grades_meaning_off": "Schoolcijfers doorsturen uit: {system} krijgt de "
    "toetsresultaten zonder schoolcijfer.",
}
