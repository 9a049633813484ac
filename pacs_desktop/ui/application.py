"""Start of the GUI: the Qt application, the login dialog, then the main window.

Nothing that reads patient data is built before a user has logged in. This
module imports only Qt and the login dialog at the top, so the login window
appears quickly. The main window and everything it needs load after login.
"""

from __future__ import annotations

import getpass
import logging
import signal
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from pacs_desktop import __version__
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.preferences import apply_startup_settings, install_translations

if TYPE_CHECKING:
    from pacs_desktop.core.security.users import Session
    from pacs_desktop.core.workstation import Workstation
    from pacs_desktop.ui.main_window import MainWindow
    from pacs_desktop.ui.network.service import NetworkService

logger = logging.getLogger(__name__)

APPLICATION_NAME = "PACS Desktop"
ORGANIZATION_NAME = "PACS Desktop"
# How often the interpreter gets a turn to run a pending signal handler.
_SIGNAL_POLL_MS = 250
RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def create_application(argv: list[str]) -> QApplication:
    """Return the running QApplication, creating it with the program's names."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(["pacs-desktop", *argv])
    QCoreApplication.setApplicationName(APPLICATION_NAME)
    QCoreApplication.setOrganizationName(ORGANIZATION_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    icon = _application_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    # The system's language until the settings are read after start-up.
    install_translations(app, "")
    return app


def _application_icon() -> QIcon | None:
    path = RESOURCES_DIR / "pacs-desktop.svg"
    if path.is_file():
        return QIcon(str(path))
    return None


def run_gui(data_dir: Path, argv: list[str]) -> int:
    """Show the login dialog, then the main window; return the exit status."""
    app = create_application(argv)

    # The workstation opens only the database here. The archive service and the
    # image code are imported and built after login.
    from pacs_desktop.core.security import audit as audit_events
    from pacs_desktop.core.workstation import Workstation

    try:
        workstation = Workstation(data_dir)
    except PacsDesktopError as exc:
        logger.error("cannot open the data directory: %s", exc)
        _show_start_error(
            QCoreApplication.translate(
                "run_gui", "The data directory {path} cannot be opened: {reason}"
            ).format(path=str(data_dir), reason=str(exc))
        )
        return 1
    try:
        apply_startup_settings(app, workstation)
    except PacsDesktopError as exc:
        logger.error("settings or site profile unusable: %s", exc)
        _show_start_error(
            QCoreApplication.translate(
                "run_gui",
                "The settings cannot be applied: {reason}\n\nCorrect the site "
                "profile or the settings file, then start PACS Desktop again.",
            ).format(reason=str(exc))
        )
        workstation.close()
        return 1
    os_user = getpass.getuser()
    workstation.audit.record(
        audit_events.APPLICATION_START, user=os_user, os_account=True
    )
    signal_closer = _SignalCloser(app)
    signal_closer.install()
    sessions = _SessionLoop(app, workstation)
    try:
        return sessions.run()
    finally:
        signal_closer.restore()
        sessions.close()
        workstation.audit.record(
            audit_events.APPLICATION_STOP, user=os_user, os_account=True
        )
        workstation.close()


class _SessionLoop:
    """The logins of one run of the GUI, each followed by its main window.

    The network service is built at the first login and kept until `close`.
    The sync queue and the storage SCP therefore go on at the lock screen, and
    at the login dialog after a log out or a switch of user.
    """

    def __init__(self, app: QApplication, workstation: Workstation) -> None:
        self.app = app
        self.workstation = workstation
        self.network: NetworkService | None = None
        self.decoding_started = False

    def run(self) -> int:
        """Run logins and windows until a login is cancelled or a window quits."""
        # Log out, and an administrator who closes a locked session, return
        # to the login.
        while True:
            session = self._login()
            if session is None:
                return 0
            window = self._open_window(session)
            status = self.app.exec()
            window.shutdown()
            if not window.returns_to_login:
                return status
            # Deleted before the login shows: the window's widgets contain
            # the last study's patient data.
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def close(self) -> None:
        """Stop the network service and the decoding processes, if started."""
        if self.network is not None:
            self.network.shutdown()
        if self.decoding_started:
            from pacs_desktop.ui.viewer.decoding import close_shared_decoding

            close_shared_decoding()

    def _login(self) -> Session | None:
        login = LoginDialog(self.workstation.users)
        # Modal before it shows, as exec() would make it.
        login.setModal(True)
        login.show()
        logger.info("login window shown")
        if login.exec() != QDialog.DialogCode.Accepted or login.session is None:
            logger.info("login cancelled")
            return None
        session = login.session
        login.deleteLater()
        return session

    def _open_window(self, session: Session) -> MainWindow:
        from pacs_desktop.ui.main_window import MainWindow
        from pacs_desktop.ui.viewer.decoding import start_shared_decoding

        if self.network is None:
            self.network = _network_service(self.workstation)
        window = MainWindow(self.workstation, session, network_service=self.network)
        window.show()
        # After the window is up: the worker processes start on a thread of
        # their own and the viewer decodes in threads until they run.
        start_shared_decoding()
        self.decoding_started = True
        return window


def _network_service(workstation: Workstation) -> NetworkService:
    # Imported here: the network code loads pydicom and pynetdicom, which the
    # login dialog does not need.
    from pacs_desktop.ui.network.integration import open_settings
    from pacs_desktop.ui.network.service import NetworkService

    return NetworkService(workstation, open_settings(workstation))


def _show_start_error(text: str) -> None:
    # Imported here: the message box is needed only when the start fails.
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(
        None, QCoreApplication.translate("run_gui", "PACS Desktop cannot start"), text
    )


SignalHandler = Callable[[int, FrameType | None], Any] | int | None


class _SignalCloser:
    """Close every window on SIGINT or SIGTERM, so that the logout is recorded.

    Python runs signal handlers only between bytecodes, so a timer gives the
    interpreter a turn while Qt's event loop waits.
    """

    def __init__(self, app: QApplication) -> None:
        self._previous: dict[int, SignalHandler] = {}
        self._timer = QTimer(app)
        self._timer.setInterval(_SIGNAL_POLL_MS)
        self._timer.timeout.connect(_do_nothing)

    def install(self) -> None:
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            self._previous[signal_number] = signal.signal(
                signal_number, self._on_signal
            )
        self._timer.start()

    def restore(self) -> None:
        self._timer.stop()
        for signal_number, handler in self._previous.items():
            signal.signal(signal_number, handler)
        self._previous.clear()

    @staticmethod
    def _on_signal(signal_number: int, _frame: FrameType | None) -> None:
        logger.info("signal %d received, closing the windows", signal_number)
        QTimer.singleShot(0, QApplication.closeAllWindows)


def _do_nothing() -> None:
    pass
