"""Action and input ids of 'Schoolgegevens', and of the typed pupil lookup."""

SCHOOL_HOME = "school.home"
SCHOOL_GROUPS = "school.groups"
SCHOOL_GROUP = "school.group"
SCHOOL_COORDINATORS = "school.coordinators"
SCHOOL_TEACHERS = "school.teachers"
SCHOOL_PUPILS = "school.pupils"
SHORTCUT_PUPIL = "shortcut.pupil"
