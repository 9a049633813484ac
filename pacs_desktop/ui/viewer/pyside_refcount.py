"""Guard against a reference leak in PySide6 6.12.0 on Python 3.11.

``SignalInstance.emit()`` in PySide6 6.12.0 returns ``True`` without taking a
new reference, so each call from Python drops one reference to ``True``.
Python 3.11 keeps a real reference count on ``True`` (3.12 made it immortal),
so after a few hundred emissions the interpreter aborts with "bool_dealloc:
deallocating True or False". Measured here: 100 calls of ``emit()`` lower
``sys.getrefcount(True)`` by exactly 100, with or without connected slots.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6

# References added to True and False: each emit() takes one, so 2**40 lasts
# for far longer than any session (a million emissions per second for 12 days).
_RESERVE = 1 << 40

_guarded = False


def affected() -> bool:
    """Return whether this interpreter and PySide6 combination leaks."""
    # NOTE: the leak was measured on 6.12.0 only; later 6.12 releases are
    # treated as affected because extra references to True cost nothing.
    return sys.version_info < (3, 12) and PySide6.__version__.startswith("6.12.")


def guard_bool_refcounts() -> None:
    """Give True and False enough references to outlive the leak (once).

    Does nothing where ``affected()`` is false. It writes the ``ob_refcnt``
    field, the first field of every CPython object, so it is specific to
    CPython.
    """
    global _guarded  # noqa: PLW0603 - one-time process-wide fix
    if _guarded or not affected() or sys.implementation.name != "cpython":
        return
    for value in (True, False):
        refcount = ctypes.c_ssize_t.from_address(id(value))
        refcount.value += _RESERVE
    _guarded = True
