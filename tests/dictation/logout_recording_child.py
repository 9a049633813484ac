"""Run the GUI from its login, record on a study, then log out, in a child process.

PortAudio reads the ALSA configuration once, when sounddevice is first imported,
so the parent starts this program with HOME already pointing at the folder whose
.asoundrc defines the capture device.

Arguments: the data directory, the StudyInstanceUID to open, the user name, the
password and the value typed into the patient confirmation.

The child logs in, opens the study, presses Record and prints ``{"recording":
...}`` once the recorder runs. The parent feeds the microphone and writes
``logout`` on stdin; the child chooses File > Log out, cancels the login dialog
that follows, and prints the exit status of the GUI as ``{"status": ...}``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from pacs_desktop.ui.application import create_application, run_gui
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.main_window import MainWindow

POLL_MS = 20
# Polls before the child gives up on a step: 60 s.
MAX_POLLS = 3000


class LogoutDriver:
    """Drive `run_gui` through login, recording, log out and the next login."""

    def __init__(self, arguments: list[str]) -> None:
        _data_dir, self.study_uid, self.user, self.password, self.answer = arguments
        self.step = "login"
        self.polls = 0
        self.window: MainWindow | None = None
        self.slot_errors: list[str] = []

    def poll(self) -> None:
        """Carry out the current step when the GUI is ready for it."""
        self.polls += 1
        if self.polls > MAX_POLLS:
            self.report({"stuck_at": self.step})
            QApplication.closeAllWindows()
            dialog = QApplication.activeModalWidget()
            if dialog is not None:
                dialog.close()
            return
        try:
            getattr(self, f"_on_{self.step}")()
        except Exception:
            self.report({"exception": traceback.format_exc()})
            self.step = "failed"
        if self.step not in ("failed", "done"):
            QTimer.singleShot(POLL_MS, self.poll)

    def report(self, answer: dict[str, object]) -> None:
        print(json.dumps(answer | {"slot_errors": self.slot_errors}), flush=True)

    def _on_login(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            return
        dialog.name_edit.setText(self.user)
        dialog.password_edit.setText(self.password)
        dialog.buttons.accepted.emit()
        self.step = "open"

    def _on_open(self) -> None:
        windows = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, MainWindow) and widget.isVisible()
        ]
        if not windows:
            return
        window = self.window = windows[0]
        study = window.archive.study(self.study_uid)
        assert study is not None, f"study {self.study_uid} not in the archive"
        window.request_open(study)
        dialog = window.confirm_dialog
        assert dialog is not None, "no patient confirmation opened"
        dialog.answer_edit.setText(self.answer)
        dialog.buttons.accepted.emit()
        self.step = "record"

    def _on_record(self) -> None:
        window = self.window
        assert window is not None
        panel = window.dictation_desk.panel
        assert panel is not None, "the user's role has no recorder panel"
        if panel.study is None:
            return
        panel.record_button.click()
        self.step = "recording"

    def _on_recording(self) -> None:
        window = self.window
        assert window is not None
        panel = window.dictation_desk.panel
        assert panel is not None
        if panel.recorder is None:
            return
        self.report({"recording": panel.recorder.state.value})
        self.step = "wait_for_logout"

    def _on_wait_for_logout(self) -> None:
        # The stdin notifier moves the step on.
        pass

    def on_line(self) -> None:
        """Read ``logout`` from stdin and choose File > Log out."""
        command = sys.stdin.readline().strip()
        if command != "logout" or self.window is None:
            return
        self.window.logout_action.trigger()
        self.window = None
        self.step = "cancel_login"

    def _on_cancel_login(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, LoginDialog):
            dialog.reject()
            self.step = "done"


def main() -> int:
    """Run the GUI under the driver; print its exit status."""
    app = create_application([])
    driver = LogoutDriver(sys.argv[1:6])

    # Qt only prints an exception raised in a slot, so the report carries it.
    def keep_slot_error(kind: type, error: BaseException, trace: object) -> None:
        driver.slot_errors.append("".join(traceback.format_exception(error)))

    sys.excepthook = keep_slot_error
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(driver.on_line)
    QTimer.singleShot(0, driver.poll)
    status = run_gui(Path(sys.argv[1]), [])
    notifier.setEnabled(False)
    app.processEvents()
    driver.report({"status": status, "step": driver.step})
    return 0


if __name__ == "__main__":
    sys.exit(main())
