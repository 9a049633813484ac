"""Shared values of the security tests: the first administrator and a settable clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

ADMIN = "admin"
ADMIN_PASSWORD = "kettle-harbour-violet-7"


class Clock:
    """A clock whose time changes only when a test advances it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta
