"""The services of one workstation data directory, shared by the GUI and the CLI."""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pacs_desktop.core.archive.database import DATABASE_NAME, Database
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.users import UserStore
from pacs_desktop.core.site_profile import EffectiveSettings

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.dictation.store import DictationStore

logger = logging.getLogger(__name__)


class Workstation:
    """Open the database and file store under ``data_dir`` and build the services.

    Each service is created on first use, so a command that needs only the user
    table does not pay for the rest. The archive and dictation modules load
    pydicom and numpy, so they are imported only when first used: the login
    window appears before they are needed.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.store_dir = data_dir / "store"
        self.log_dir = data_dir / "logs"
        self.database = Database(data_dir / DATABASE_NAME)

    @cached_property
    def audit(self) -> AuditTrail:
        """The tamper-evident audit trail."""
        return AuditTrail(self.database)

    @cached_property
    def settings(self) -> EffectiveSettings:
        """The user's settings over the site profile's defaults and locks.

        Raises
        ------
        SiteProfileError
            If a site profile is configured but missing or invalid.
        """
        return EffectiveSettings.open(self.data_dir)

    @cached_property
    def users(self) -> UserStore:
        """User accounts, roles and login, under the site's security policy."""
        return UserStore(
            self.database, self.audit, policy=self.settings.security_policy()
        )

    @cached_property
    def archive(self) -> Archive:
        """The local archive: index and file store.

        The store folder is ``archive.location`` (see `location`), unless
        the index lists files in another folder, which then stays in use.
        """
        from pacs_desktop.core.archive.index import Archive
        from pacs_desktop.core.archive.location import resolve_store_root

        location = self.settings.get_str("archive.location")
        self.store_dir = resolve_store_root(self.database, self.data_dir, location)
        return Archive(self.database, self.store_dir, audit=self.audit)

    @cached_property
    def dictations(self) -> DictationStore:
        """Dictation records, their states and their history."""
        from pacs_desktop.core.dictation.store import DictationStore

        return DictationStore(self.database)

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()
