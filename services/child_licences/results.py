"""Frozen result types of the kindlicenties area."""

from __future__ import annotations




