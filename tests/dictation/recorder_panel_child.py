"""Drive the real recorder panel and the real Recorder in a process of its own.

PortAudio reads the ALSA configuration once, when sounddevice is first imported,
so the parent starts this program with HOME already pointing at the folder whose
.asoundrc defines the capture device; nothing here imports sounddevice before
the panel's first recording. Arguments: the workstation data directory, the
StudyInstanceUID the recording starts on and the one opened while recording.

Commands on stdin, one per line, each answered by one JSON line on stdout:
``state``, ``priority VALUE`` (choose routine, urgent or stat), ``record``,
``open`` (open the second study), ``continue`` and ``stop-dialog`` (the switch
dialog's two buttons) and ``stop`` (the Stop button).
The answers to ``stop`` and ``stop-dialog`` come once the dictation is written,
and name it, its binding and its audio file.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from pacs_desktop.core.dictation.recorder import default_recordings_dir
from pacs_desktop.core.dictation.store import Dictation
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.dictation.recorder_panel import RecorderPanel

FINISH_TIMEOUT_MS = 20_000


class PanelDriver:
    """Carry out the parent's commands on one recorder panel."""

    def __init__(self, app: QApplication, data_dir: Path, studies: list[str]) -> None:
        self.app = app
        self.station = Workstation(data_dir)
        self.studies = [self.station.archive.study(uid) for uid in studies]
        self.panel = RecorderPanel(
            self.station.dictations, default_recordings_dir(data_dir), "dr.house"
        )
        self.finished: list[Dictation] = []
        self.slot_errors: list[str] = []
        self.panel.sig_recording_finished.connect(self.finished.append)
        self.panel.set_study(self.studies[0])

    def state(self) -> dict[str, object]:
        """Return the panel's controls, the recorder's state and the dialog's."""
        panel = self.panel
        recorder = panel.recorder
        dialog = panel.switch_dialog
        return {
            "record": panel.record_button.isEnabled(),
            "pause": panel.pause_button.isEnabled(),
            "stop": panel.stop_button.isEnabled(),
            "recorder": recorder.state.value if recorder else "none",
            "dialog": dialog is not None and dialog.isVisible(),
            "position": recorder.duration_seconds if recorder else 0.0,
            "error": panel.message_label.text(),
            "slot_errors": self.slot_errors,
        }

    def run(self, command: str) -> dict[str, object]:
        """Carry out one command and return the JSON answer."""
        panel = self.panel
        if command == "record":
            panel.record_button.click()
        elif command.startswith("priority "):
            index = panel.priority_combo.findData(command.split()[1])
            assert index >= 0, f"no priority {command.split()[1]!r} in the list"
            panel.priority_combo.setCurrentIndex(index)
        elif command == "open":
            panel.set_study(self.studies[1])
        elif command == "continue":
            assert panel.switch_dialog is not None, "no switch dialog is open"
            panel.continue_button.click()
        elif command == "stop-dialog":
            assert panel.switch_dialog is not None, "no switch dialog is open"
            panel.stop_after_switch_button.click()
            return self.wait_finished()
        elif command == "stop":
            panel.stop_button.click()
            return self.wait_finished()
        elif command != "state":
            raise ValueError(f"unknown command {command!r}")
        return self.state()

    def wait_finished(self) -> dict[str, object]:
        """Wait for the written dictation and describe it."""
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: self.finished and loop.quit())
        poll.start(20)
        QTimer.singleShot(FINISH_TIMEOUT_MS, loop.quit)
        loop.exec()
        poll.stop()
        answer = self.state()
        if not self.finished:
            answer["finished"] = False
            return answer
        dictation = self.station.dictations.get(self.finished[-1].id)
        priority_events = [
            (event.user, event.detail)
            for event in self.station.dictations.history(dictation.id)
            if event.detail.startswith("priority")
        ]
        answer.update(
            finished=True,
            id=dictation.id,
            state=dictation.state.value,
            StudyInstanceUID=dictation.StudyInstanceUID,
            PatientID=dictation.PatientID,
            AccessionNumber=dictation.AccessionNumber,
            author=dictation.author,
            audio_path=str(dictation.audio_path),
            duration_seconds=dictation.duration_seconds,
            priority=dictation.priority.value,
            priority_events=priority_events,
        )
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
        """Stop a running recording and close the database."""
        self.panel.shutdown()
        self.station.close()


def main() -> int:
    """Run the panel until stdin closes."""
    app = QApplication([])
    driver = PanelDriver(app, Path(sys.argv[1]), sys.argv[2:4])

    # An exception in a slot is only printed by Qt; the answers carry it too.
    def keep_slot_error(kind: type, error: BaseException, trace: object) -> None:
        driver.slot_errors.append("".join(traceback.format_exception(error)))

    sys.excepthook = keep_slot_error
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(driver.on_line)
    app.exec()
    driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
