"""Kindlicenties: per-child licences and their seats."""

from services.child_licences.service import ChildLicences

__all__ = ["ChildLicences"]
