"""The kinds of change a sync run records, in the order a summary lists them."""

GROUP_ADDED = "group_added"
GROUP_REMOVED = "group_removed"
GROUP_RENAMED = "group_renamed"
GROUP_LEVELS = "group_levels"
PUPIL_ADDED = "pupil_added"
PUPIL_LEFT = "pupil_left"
PUPIL_MOVED = "pupil_moved"
TEACHER_ADDED = "teacher_added"
TEACHER_LEFT = "teacher_left"
TEACHER_GROUPS = "teacher_groups"
COORDINATOR_ADDED = "coordinator_added"
COORDINATOR_REMOVED = "coordinator_removed"
LINK_ENDED = "link_ended"
AUTO_LINKED = "auto_linked"
REMINDER = "reminder"

ORDER = (
    GROUP_ADDED, GROUP_REMOVED, GROUP_RENAMED, GROUP_LEVELS,
    PUPIL_ADDED, PUPIL_LEFT, PUPIL_MOVED,
    TEACHER_ADDED, TEACHER_LEFT, TEACHER_GROUPS,
    COORDINATOR_ADDED, COORDINATOR_REMOVED,
    LINK_ENDED, AUTO_LINKED, REMINDER,
)
