"""Errors of DICOM networking, each marked retryable or permanent.

The sync queue retries a job whose error is retryable (no status, an abort, a
timeout, a refused connection, an out-of-resources status) and stops at once
on a permanent one (a permanent association rejection, a refused operation).
"""

from __future__ import annotations

from pacs_desktop.core.errors import PacsDesktopError


class NetworkError(PacsDesktopError):
    """A DICOM network operation with a peer failed.

    Attributes
    ----------
    peer : str
        The peer's name or AE title with its address, for the message.
    reason : str
        What failed and what to do next.
    retryable : bool
        Whether the same operation may succeed later without a change of
        configuration.
    """

    retryable = True

    def __init__(
        self, peer: str, reason: str, *, retryable: bool | None = None
    ) -> None:
        self.peer = peer
        self.reason = reason
        if retryable is not None:
            self.retryable = retryable
        super().__init__(f"{peer}: {reason}")


class ConnectionFailedError(NetworkError):
    """The TCP connection could not be opened (refused, unreachable)."""


class NetworkTimeoutError(NetworkError):
    """The peer did not answer in time, or stalled during a transfer."""


class AssociationRejectedError(NetworkError):
    """The peer rejected the association request (A-ASSOCIATE-RJ)."""


class AssociationAbortedError(NetworkError):
    """The association was aborted (A-ABORT or connection lost) before the end."""


class PeerAbortedRequestError(AssociationAbortedError):
    """The peer aborted or closed the connection while the request was open.

    A peer that rejects the request and closes the connection at once is
    sometimes seen this way, when pynetdicom 3.0 reads the close before the
    A-ASSOCIATE-RJ.
    """


class TlsError(NetworkError):
    """The TLS handshake failed: untrusted certificate, wrong host name, no TLS."""

    retryable = False


class OperationFailedError(NetworkError):
    """The peer answered a DIMSE request with a failure status."""

    def __init__(
        self, peer: str, reason: str, *, status: int | None, retryable: bool
    ) -> None:
        self.status = status
        super().__init__(peer, reason, retryable=retryable)


class PortInUseError(NetworkError):
    """The storage SCP cannot listen because another socket listens on its port.

    Attributes
    ----------
    port : int
        The TCP port that is in use.
    """

    retryable = False

    def __init__(self, peer: str, reason: str, *, port: int) -> None:
        self.port = port
        super().__init__(peer, reason)


class NodeError(PacsDesktopError, ValueError):
    """A PACS node definition is invalid, unknown or already defined.

    Attributes
    ----------
    problems : tuple of str
        Each invalid field of an invalid definition, described on its own;
        empty for the other errors.
    """

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        self.problems = problems
        super().__init__(message)
