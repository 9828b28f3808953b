"""School and people: who is acting, the school's data, its groups, teachers and pupils."""

from services.school.service import SchoolService

__all__ = ["SchoolService"]
