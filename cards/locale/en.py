"""English texts (for users who choose English)."""

CATALOG: dict[str, str] = {
    # general
    "common.menu": "Menu",
    "common.back": "Back",
    "common.cancel": "Cancel",
    "cancelled.title": "Cancelled",
    "cancelled.text": "Nothing was changed.",
    "stale.title": "This card has expired",
    "stale.text": "This button belongs to an earlier step that has already finished or was "
    "cancelled. Nothing was changed. Open the menu to start again.",
    "step.wrong_card": "Choose one of the buttons on the latest card, or type 'menu' to start "
    "again. Nothing was changed.",
    "turn_error.text": "Sorry, something went wrong on my side. Nothing was half changed. Type "
    "'menu' to start again. If it keeps failing, call the helpdesk: 073 - 628 87 22.",
    "unknown.title": "I did not understand that",
    "unknown.text": "I did not understand '{text}'. Choose what you want to do below, or type "
    "'help'.",
    # menu
    "menu.greeting": "Hello {name}!",
    "menu.intro": "I am Malmberg's admin bot. As ICT coordinator you manage your school's "
    "licences, pincodes and couplings here.",
    "menu.title": "What would you like to do?",
    "menu.school": "School: {school}",
    "menu.licences": "Link licences",
    "menu.children": "Children on licences",
    "menu.child_licences": "Child licences",
    "menu.pincodes": "Pincodes",
    "menu.exchange": "Exchange results",
    "menu.school_data": "School data",
    "menu.changes": "Changes",
    "menu.help": "Help",
    "menu.switch_school": "Other school",
    "menu.language": "Taal / Language",
    "feature.not_built": "I cannot do '{feature}' yet. It is coming in a next version of the "
    "bot. Until then, use the beheerdeel on Malmberg's website.",
    "feature.children": "Children on licences",
    "feature.child_licences": "Child licences",
    "feature.pincodes": "Pincodes",
    "feature.exchange": "Exchange results",
    "feature.changes": "Changes",
    # school picker, language
    "school_pick.title": "Choose a school",
    "school_pick.intro": "You are ICT coordinator of several schools. Which school do you want "
    "to work on? You can switch later from the menu.",
    "language.title": "Taal / Language",
    "language.intro": "In welke taal wil je de beheerbot gebruiken? / Which language do you want?",
    # help
    "help.title": "Help",
    "help.intro": "With this bot you, as ICT coordinator, manage Malmberg's digital programmes "
    "for your school.",
    "help.tasks": "- **Link licences**: link groups to group licences\n"
    "- **School data**: view your school, groups, teachers and pupils\n"
    "- Type **menu** for the menu and **help** for this page.",
    "help.helpdesk": "Malmberg helpdesk",
    "help.phone": "Phone",
    "help.email": "E-mail",
    "help.page": "Help page",
    "help.open_page": "Open help page",
    "help.las": "Users and groups are managed in your school administration system (e.g. "
    "ParnasSys or ESIS). Changes arrive at night through Basispoort.",
    # LAS / Basispoort
    "las.title": "That is done in your administration system",
    "las.text": "Creating users and moving pupils to another group is done in your school's "
    "administration system (e.g. ParnasSys or ESIS), not here. Basispoort passes the change to "
    "Malmberg at night: tomorrow you will see it here and can continue.",
    # refusals
    "refusal.title": "This bot is for ICT coordinators",
    "refusal.staff": "This bot is only for ICT coordinators. Ask your ICT coordinator for help "
    "with licences or pincodes:",
    "refusal.school_line": "**{school}**: {names}",
    "refusal.no_coordinator": "no ICT coordinator known yet",
    "refusal.unknown": "This bot is for ICT coordinators of schools that work with Malmberg. I "
    "do not know you as an ICT coordinator (yet). If you are one, your school must give you that "
    "role in its administration system; it arrives here through Basispoort the next day.",
    "refusal.tenant": "This bot is not available for your organisation.",
    "refusal.helpdesk": "Questions? Malmberg helpdesk: {phone}, {email}.",
    # errors
    "error.title": "That did not work",
    "error.nothing_changed": "Nothing was changed.",
    "error.unexpected": "Something unexpected went wrong.",
    "error.not_allowed": "You are not ICT coordinator of this school, or this belongs to "
    "another school.",
    "error.not_found": "This does not exist (any more).",
    "error.invalid_input": "This input is not valid.",
    "error.conflict": "This clashes with the current data.",
    "error.invalid_field": "Something in the card is missing or wrong ({field}). Open the menu "
    "and try again.",
    "error.nothing_chosen": "You did not choose anything.",
    "error.school_not_found": "This school does not exist (any more).",
    "error.group_not_found": "This group does not exist (any more). It may have been changed or "
    "removed through Basispoort last night.",
    "error.licence_not_found": "This licence does not exist (any more).",
    "error.already_linked": "These groups are already linked to the licence.",
    "error.not_linked": "{group} is not linked to this licence.",
    "error.query_too_long": "Your search is too long (at most {limit} characters).",
    # link licences
    "licence.label": "{product} group {levels} — {year}",
    "licence.auto": "linked automatically",
    "licence.manual": "linked by hand",
    "licences.title": "Link licences",
    "licences.intro": "Group licences of {school} for school year {year}. Every user of a "
    "linked group gets access.",
    "licences.none": "Your school has no group licences for {year}.",
    "licences.count": "{count} group(s) linked",
    "licences.no_groups": "No group linked yet",
    "licences.link": "Link groups",
    "licences.unlink": "Unlink",
    "licences.more": "And {count} more licences. Type the name of a method to search.",
    "licences.back": "To the licences",
    "link.title": "Link groups",
    "link.already": "Already linked: {groups}",
    "link.no_groups": "Every group of your school is already linked to this licence.",
    "link.fits": "fits this licence",
    "link.choose": "Which groups do you want to link?",
    "link.choose_error": "Choose at least one group.",
    "link.next": "Next",
    "link.confirm_title": "Is this right?",
    "link.confirm_text": "You are linking **{groups}** to **{licence}**. All pupils and "
    "teachers of these groups will get access.",
    "link.misfit": "Note: {groups} does not match the year level of this licence.",
    "link.confirm": "Link",
    "link.done_title": "Linked",
    "link.done": "{groups} is linked to {licence}.",
    "link.was_linked": "Already linked: {groups}.",
    "link.now_linked": "Now linked",
    "unlink.confirm_title": "Unlink group?",
    "unlink.confirm_text": "You are unlinking **{group}** from **{licence}**.",
    "unlink.consequence": "Pupils and teachers of this group will no longer have access "
    "through this licence.",
    "unlink.confirm": "Unlink",
    "unlink.done_title": "Unlinked",
    "unlink.done": "{group} is unlinked from {licence}.",
    "unlink.was_not_linked": "{group} was not linked (any more). Nothing was changed.",
    # school data
    "school.title": "School data",
    "school.name": "Name",
    "school.brin": "BRIN",
    "school.vestiging": "Location (vestiging)",
    "school.city": "City",
    "school.year": "School year",
    "school.groups": "Groups",
    "school.teachers": "Teachers",
    "school.pupils": "Pupils",
    "school.las_note": "These data come from your administration system through Basispoort. "
    "Change them there; you will see the change here the next day.",
    "school.tab_home": "Home",
    "school.tab_groups": "Groups",
    "school.tab_coordinators": "ICT coordinators",
    "school.tab_teachers": "Teachers",
    "school.tab_pupils": "Pupils",
    "school.no_groups": "Your school has no groups yet.",
    "school.group_line": "{pupils} pupils · {teachers}",
    "school.no_teacher": "no teacher",
    "school.open": "View",
    "school.group_teachers": "Teachers",
    "school.group_pupils": "Pupils ({count})",
    "school.no_pupils": "No pupils.",
    "school.missing_hint": "Missing a pupil or group? Changes from the administration system "
    "arrive at night through Basispoort: tomorrow they will be here.",
    "school.no_teachers": "No teachers found.",
    "school.no_group": "no group",
    "school.search_label": "Search a pupil by name",
    "school.search_placeholder": "e.g. Sanne de Vries",
    "school.search": "Search",
    "school.search_result": "{count} pupil(s) found for '{query}'.",
    "school.no_pupils_found": "No pupil found with that name.",
    "school.page": "Page {page} of {pages} ({total} pupils)",
    "school.previous": "Previous",
    "school.next": "Next",
    # --- licence tasks: children, kindlicenties, auto-linking, shortcuts (issue 3) ---
    # --- pincodes (issue 4) ---
    # --- result exchange / LVS (issue 5) ---
}
