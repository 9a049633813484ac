"""Child process of the start-up benchmark: start a GUI, report its first dialog.

``python -m bench.startup_probe app DATA_DIR`` starts ``pacs-desktop``;
``python -m bench.startup_probe bare`` shows a plain PySide6 dialog. The probe
prints a marker line when the first dialog receives its first paint event and
ends the process at once, so teardown is not timed.
"""

from __future__ import annotations

import os
import sys

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject

MARKER = "bench: first dialog painted"


class _PaintWatcher(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QtWidgets.QDialog):
            sys.stdout.write(MARKER + "\n")
            sys.stdout.flush()
            os._exit(0)
        return False


class _WatchedApplication(QtWidgets.QApplication):
    """A QApplication that watches every object's events for the first paint."""

    def __init__(self, arguments: list[str]) -> None:
        super().__init__(arguments)
        self.paint_watcher = _PaintWatcher()
        self.installEventFilter(self.paint_watcher)


def _bare_dialog() -> int:
    application = _WatchedApplication(["bare-dialog"])
    dialog = QtWidgets.QDialog()
    layout = QtWidgets.QFormLayout(dialog)
    layout.addRow("User name:", QtWidgets.QLineEdit(dialog))
    layout.addRow("Password:", QtWidgets.QLineEdit(dialog))
    dialog.show()
    return application.exec()


def main(argv: list[str]) -> int:
    """Run the target named by ``argv[0]``."""
    if argv[0] == "bare":
        return _bare_dialog()
    # Modules that import QApplication after this line get the watched class.
    QtWidgets.QApplication = _WatchedApplication  # type: ignore[misc, assignment]
    from pacs_desktop.__main__ import main as pacs_main

    sys.argv = ["pacs-desktop", "--data-dir", argv[1]]
    return pacs_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
