"""Run the real main window, its recorder panel and its idle lock in a child process.

PortAudio reads the ALSA configuration once, when sounddevice is first imported,
so the parent starts this program with HOME already pointing at the folder whose
.asoundrc defines the capture device. The idle lock runs on a clock that moves
only on the ``idle`` command; the microphone runs in real time.

Arguments: the data directory, the StudyInstanceUID to open, the user name, the
password and the answer to the patient confirmation.

Commands on stdin, one per line, each answered by one JSON line on stdout:
``state``, ``open`` (open the study, confirming the patient), ``record`` (the
Record button), ``idle`` (move the clock past the idle time and let the monitor
check), ``grab`` (compare the window with a locked window that never showed a
patient, and list the visible texts), ``unlock`` (type the password on the lock
screen) and ``stop`` (the Stop button; answered once the dictation is written).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QAbstractListModel,
    QEventLoop,
    QModelIndex,
    QPoint,
    QRect,
    QSocketNotifier,
    Qt,
    QTimer,
)
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)

from pacs_desktop.core.dictation.store import Dictation
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.dictation.recorder_panel import RecorderPanel
from pacs_desktop.ui.main_window import MainWindow

WAIT_TIMEOUT_MS = 20_000
WINDOW_SIZE = (1000, 700)


def without_password_field(window: MainWindow) -> QImage:
    """Grab the locked window with its password field painted over.

    Only a window that had the keyboard focus shows a focus frame and cursor
    in the field; the field holds no patient data either way.
    """
    image = window.grab().toImage()
    field = window.security.idle_lock.screen.password_edit
    area = QRect(field.mapTo(window, QPoint(0, 0)), field.size())
    painter = QPainter(image)
    painter.fillRect(area, Qt.GlobalColor.magenta)
    painter.end()
    return image


class FakeClock:
    """Monotonic seconds that move only on the ``idle`` command."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def wait_for(condition: Callable[[], bool], timeout_ms: int = WAIT_TIMEOUT_MS) -> bool:
    """Run the event loop until ``condition()`` holds or the time runs out."""
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    if not condition():
        loop.exec()
    poll.stop()
    return condition()


def visible_texts(window: QWidget) -> list[str]:
    """Every text a visible widget of ``window`` shows, titles and cells included."""
    texts = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root = QModelIndex()
            columns = (
                1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
            )
            for row in range(model.rowCount(root)):
                for column in range(columns):
                    texts.append(str(model.data(model.index(row, column)) or ""))
    return texts


class LockDriver:
    """Carry out the parent's commands on one main window."""

    def __init__(self, app: QApplication, arguments: list[str]) -> None:
        data_dir, self.study_uid, user, self.password, self.answer = arguments
        self.app = app
        self.station = Workstation(Path(data_dir))
        self.user = user
        self.slot_errors: list[str] = []
        self.finished: list[Dictation] = []
        # The reference is taken first, before any window showed the patient.
        self.empty_locked = self._locked_reference()

        session = self.station.users.authenticate(user, self.password)
        self.window = MainWindow(self.station, session)
        self.window.resize(*WINDOW_SIZE)
        self.window.show()
        self.clock = FakeClock()
        self.lock = self.window.security.idle_lock
        self.lock.monitor.clock = self.clock
        self.lock.monitor.reset()
        panel = self.window.dictation_desk.panel
        assert panel is not None, "the user's role has no recorder panel"
        self.panel: RecorderPanel = panel
        self.panel.sig_recording_finished.connect(self.finished.append)

    def _locked_reference(self) -> QImage:
        session = self.station.users.authenticate(self.user, self.password)
        window = MainWindow(self.station, session)
        window.resize(*WINDOW_SIZE)
        window.show()
        window.security.idle_lock.lock()
        image = without_password_field(window)
        window.close()
        return image

    def state(self) -> dict[str, object]:
        """Return the lock's and the recorder's state."""
        recorder = self.panel.recorder
        return {
            "locked": self.lock.locked,
            "lock_screen": self.window.centralWidget() is self.lock.screen,
            "recorder": recorder.state.value if recorder else "none",
            "position": recorder.duration_seconds if recorder else 0.0,
            "study_open": self.panel.study is not None,
            "error": self.panel.message_label.text(),
            "slot_errors": self.slot_errors,
        }

    def run(self, command: str) -> dict[str, object]:
        """Carry out one command and return the JSON answer."""
        handlers: dict[str, Callable[[], dict[str, object]]] = {
            "state": self.state,
            "open": self.open_study,
            "record": self.record,
            "idle": self.idle,
            "grab": self.grab,
            "unlock": self.unlock,
            "stop": self.stop,
        }
        if command not in handlers:
            raise ValueError(f"unknown command {command!r}")
        return handlers[command]()

    def open_study(self) -> dict[str, object]:
        """Open the study through the patient confirmation."""
        study = self.station.archive.study(self.study_uid)
        assert study is not None, f"study {self.study_uid} not in the archive"
        self.window.request_open(study)
        dialog = self.window.confirm_dialog
        assert dialog is not None, "no patient confirmation opened"
        dialog.answer_edit.setText(self.answer)
        dialog.buttons.accepted.emit()
        viewer_ready = wait_for(
            lambda: (
                self.window.viewer is not None
                and self.window.viewer.current_index is not None
            )
        )
        return self.state() | {"viewer_ready": viewer_ready}

    def record(self) -> dict[str, object]:
        """Press Record and wait for the stream to run."""
        self.panel.record_button.click()
        wait_for(lambda: self.panel.recorder is not None, 5000)
        return self.state()

    def idle(self) -> dict[str, object]:
        """Move the clock to the idle time and let the monitor check it."""
        self.clock.now += self.lock.monitor.timeout.total_seconds()
        self.lock.monitor.check()
        return self.state()

    def grab(self) -> dict[str, object]:
        """Compare the locked window with the reference; list what it shows."""
        # Windows opened before the lock are hidden by a queued call.
        self.app.processEvents()
        image = without_password_field(self.window)
        reference = self.empty_locked.convertToFormat(image.format())
        return self.state() | {
            "same_as_empty": image == reference,
            "size": [image.width(), image.height()],
            "texts": visible_texts(self.window),
            "other_windows": [
                widget.windowTitle()
                for widget in QApplication.topLevelWidgets()
                if widget.isVisible() and widget is not self.window
            ],
        }

    def unlock(self) -> dict[str, object]:
        """Type the user's password on the lock screen and press Return."""
        edit = self.lock.screen.password_edit
        edit.setText(self.password)
        edit.returnPressed.emit()
        wait_for(lambda: not self.lock.locked, 5000)
        return self.state()

    def stop(self) -> dict[str, object]:
        """Press Stop and describe the written dictation."""
        self.panel.stop_button.click()
        done = wait_for(lambda: bool(self.finished))
        answer = self.state() | {"finished": done}
        if done:
            dictation = self.station.dictations.get(self.finished[-1].id)
            answer |= {
                "state": dictation.state.value,
                "StudyInstanceUID": dictation.StudyInstanceUID,
                "audio_path": str(dictation.audio_path),
                "duration_seconds": dictation.duration_seconds,
            }
        return answer

    def on_line(self) -> None:
        """Read one command from stdin, answer it; end of input quits."""
        command = sys.stdin.readline().strip()
        if not command:
            self.app.quit()
            return
        try:
            answer = self.run(command)
        except Exception:
            answer = {"exception": traceback.format_exc()}
        print(json.dumps(answer), flush=True)

    def close(self) -> None:
        """Close the window (which stops a recording) and the database."""
        self.window.close()
        self.station.close()


def main() -> int:
    """Run the window until stdin closes."""
    app = QApplication([])
    # A blinking text cursor would make two grabs of one screen differ.
    QApplication.setCursorFlashTime(0)
    driver = LockDriver(app, sys.argv[1:6])

    # An exception in a slot is only printed by Qt; the answers carry it too.
    def keep_slot_error(kind: type, error: BaseException, trace: object) -> None:
        driver.slot_errors.append("".join(traceback.format_exception(error)))

    sys.excepthook = keep_slot_error
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(driver.on_line)
    print(json.dumps({"ready": True, "slot_errors": []}), flush=True)
    app.exec()
    driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
