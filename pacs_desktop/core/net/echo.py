"""C-ECHO (Verification, PS3.4 Annex A): test the connection to a node."""

from __future__ import annotations

import logging
import time

from pynetdicom import build_context

from pacs_desktop.core.net.association import LocalEntity, associate
from pacs_desktop.core.net.errors import OperationFailedError, PeerAbortedRequestError
from pacs_desktop.core.net.nodes import Node

logger = logging.getLogger(__name__)

VERIFICATION = "1.2.840.10008.1.1"


def echo(node: Node, local: LocalEntity) -> float:
    """Send a C-ECHO to ``node`` and return the round trip in seconds.

    The time includes opening and releasing the association.

    Raises
    ------
    NetworkError
        If the association fails (the subclass says how: refused, timed out,
        rejected with its reason, TLS) or the C-ECHO status is not success.
    """
    try:
        return _echo_once(node, local)
    except PeerAbortedRequestError:
        # The abort may be a rejection whose close was read first; a second
        # attempt reports the rejection with its reason.
        logger.info("association with %s aborted; trying once more", node.label)
        return _echo_once(node, local)


def _echo_once(node: Node, local: LocalEntity) -> float:
    started = time.monotonic()
    with associate(node, local, [build_context(VERIFICATION)]) as opened:
        code = opened.status(opened.assoc.send_c_echo(), "C-ECHO")
        if code != 0x0000:
            raise OperationFailedError(
                node.label,
                f"C-ECHO answered with status 0x{code:04X}",
                status=code,
                retryable=False,
            )
    elapsed = time.monotonic() - started
    logger.info("C-ECHO to %s succeeded in %.3f s", node.label, elapsed)
    return elapsed
