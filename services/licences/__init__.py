"""Group licences: linking groups (by hand and automatically) and children of other groups."""

from services.licences.extra_children import ExtraChildren
from services.licences.links import GroupLinks

__all__ = ["ExtraChildren", "GroupLinks"]
