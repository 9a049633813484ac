"""Exception hierarchy of the core.

Each exception carries the structured fields a front needs to tell the user what
failed (a file path, a DICOM tag, a peer's AE title) besides its message.
"""

from __future__ import annotations

from pathlib import Path


class PacsDesktopError(Exception):
    """Base class of every error the core raises on purpose."""


class DicomReadError(PacsDesktopError, ValueError):
    """A file is not readable as DICOM, or lacks what the operation needs."""

    def __init__(self, path: Path | str | None, reason: str) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = reason
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{reason}")

    def __reduce__(self) -> tuple[type[DicomReadError], tuple[Path | None, str]]:
        # Rebuild from the constructor's own arguments, so the error crosses a
        # process pool (pickle would otherwise call it with the message only).
        return (type(self), (self.path, self.reason))


class PixelDataError(DicomReadError):
    """The pixel data cannot be decoded or does not match its description."""


class UnsupportedTransferSyntaxError(PixelDataError):
    """No installed decoder handles the file's transfer syntax."""


class ArchiveError(PacsDesktopError):
    """The local archive cannot complete an operation."""


class AuthenticationError(PacsDesktopError):
    """A login failed: unknown user, wrong password, disabled or locked account."""


class AccessDeniedError(PacsDesktopError, PermissionError):
    """The current user's role does not allow the requested action."""
