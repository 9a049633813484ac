"""Security in the GUI: idle lock, role gating, user management, audit view."""

from pacs_desktop.ui.security.controls import SecurityControls, apply_role_gating
from pacs_desktop.ui.security.idle_lock import IdleLock, IdleMonitor, LockScreen

__all__ = [
    "IdleLock",
    "IdleMonitor",
    "LockScreen",
    "SecurityControls",
    "apply_role_gating",
]
