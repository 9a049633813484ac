"""Idle lock: after a time without input the main window hides all patient data.

`IdleMonitor` watches every mouse, keyboard, wheel and touch event of the
application and reports when none came for the timeout. `IdleLock` then swaps
the main window's central widget for a `LockScreen`, hides the menus, tool
bars, dock widgets and status bar, disables the window's actions and hides
every other visible top-level window (dialogs included). The open study stays
loaded, so work resumes where it stopped after the unlock.

The lock stops nothing that runs: an active dictation recording goes on while
the screen is locked. A recorder that shows patient data outside the central
widget connects to `IdleLock.sig_locked` and `IdleLock.sig_unlocked`.

Only the password of the session's own user unlocks. A wrong password counts
towards the account lockout and is audited by the user store. An
administrator may instead close the locked session to switch user; the
window then closes, which records the logout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role

if TYPE_CHECKING:
    from pacs_desktop.core.security.audit import AuditTrail
    from pacs_desktop.core.security.users import Session, UserStore

logger = logging.getLogger(__name__)

DEFAULT_IDLE_TIMEOUT = timedelta(minutes=15)
# The audit detail of a lock by the idle timeout. Any other reason is a lock
# the user asked for.
IDLE_REASON = "idle timeout"

# Input that counts as activity. Mouse moves count: a radiologist who scrolls
# and windows with the mouse alone is at the workstation.
_ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)

# How often the monitor compares the idle time with the timeout, in ms.
_POLL_INTERVAL_MS = 1000


class IdleMonitor(QObject):
    """Report when the application received no user input for ``timeout``.

    ``clock`` returns monotonic seconds; tests replace it (and call `check`)
    to step through time without waiting.
    """

    #: sig_idle(): no input came for the timeout; emitted once per idle period.
    sig_idle = Signal()

    def __init__(
        self,
        timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
        *,
        clock: Callable[[], float] = time.monotonic,
        poll_interval_ms: int = _POLL_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if timeout <= timedelta(0):
            raise ValueError(f"invalid idle timeout {timeout}; give a positive time")
        self.timeout = timeout
        self.clock = clock
        self.paused = False
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(poll_interval_ms)
        self._timer.timeout.connect(self.check)
        self._application: QApplication | None = None

    def start(self) -> None:
        """Watch the application's input events and start the idle timer."""
        application = QApplication.instance()
        if isinstance(application, QApplication) and self._application is None:
            application.installEventFilter(self)
            self._application = application
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        """Stop watching input and stop the timer."""
        self._timer.stop()
        if self._application is not None:
            self._application.removeEventFilter(self)
            self._application = None

    def set_timeout(self, timeout: timedelta) -> None:
        """Use ``timeout`` from the next check on, counted from the last input.

        Raises
        ------
        ValueError
            If ``timeout`` is not positive.
        """
        if timeout <= timedelta(0):
            raise ValueError(f"invalid idle timeout {timeout}; give a positive time")
        self.timeout = timeout

    def reset(self) -> None:
        """Count the idle time from now."""
        self._last_input = self.clock()

    def idle_seconds(self) -> float:
        """Return the seconds since the last input."""
        return self.clock() - self._last_input

    def check(self) -> None:
        """Emit `sig_idle` when the idle time reached the timeout."""
        if self.paused:
            return
        if self.idle_seconds() >= self.timeout.total_seconds():
            self.paused = True
            self.sig_idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY_EVENTS:
            self._last_input = self.clock()
        return False


class LockScreen(QWidget):
    """The page shown instead of the window's content while it is locked.

    It shows the user name only: no patient, study or image.
    """

    #: sig_unlock_requested(str): the password typed to unlock.
    sig_unlock_requested = Signal(str)
    #: sig_switch_user_requested(str, str): an administrator's name and password.
    sig_switch_user_requested = Signal(str, str)

    def __init__(self, user_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.user_name = user_name
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("unlock_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c00000;")
        self.error_label.hide()
        self.admin_name_edit = QLineEdit(self)
        self.admin_name_edit.setObjectName("admin_name")
        self.admin_password_edit = QLineEdit(self)
        self.admin_password_edit.setObjectName("admin_password")
        self.admin_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.switch_button = QPushButton(self.tr("Close session and switch user"), self)

        self.password_edit.returnPressed.connect(self._on_unlock)
        self.unlock_button.clicked.connect(self._on_unlock)
        self.admin_password_edit.returnPressed.connect(self._on_switch)
        self.switch_button.clicked.connect(self._on_switch)
        self._build_layout()

    def _build_layout(self) -> None:
        title = QLabel(self.tr("The workstation is locked"), self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        title.setFont(font)
        who = QLabel(
            self.tr("Locked for {user}. Type the password to continue.").format(
                user=self.user_name
            ),
            self,
        )
        who.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Password:"), self.password_edit)

        switch_box = QGroupBox(self.tr("Administrator: switch user"), self)
        switch_form = QFormLayout(switch_box)
        switch_form.addRow(self.tr("Administrator:"), self.admin_name_edit)
        switch_form.addRow(self.tr("Password:"), self.admin_password_edit)
        switch_form.addRow(self.switch_button)

        panel = QWidget(self)
        panel.setMaximumWidth(480)
        inner = QVBoxLayout(panel)
        inner.addWidget(title)
        inner.addWidget(who)
        inner.addLayout(form)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.error_label)
        inner.addSpacing(24)
        inner.addWidget(switch_box)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_error(self, message: str) -> None:
        """Show ``message`` and clear the password fields."""
        self.error_label.setText(message)
        self.error_label.show()
        self.password_edit.clear()
        self.admin_password_edit.clear()

    def clear(self) -> None:
        """Clear every field and the error."""
        for edit in (
            self.password_edit,
            self.admin_name_edit,
            self.admin_password_edit,
        ):
            edit.clear()
        self.error_label.clear()
        self.error_label.hide()

    def _on_unlock(self) -> None:
        self.sig_unlock_requested.emit(self.password_edit.text())

    def _on_switch(self) -> None:
        name = self.admin_name_edit.text().strip()
        if not name:
            self.show_error(self.tr("Enter the administrator's user name."))
            self.admin_name_edit.setFocus()
            return
        self.sig_switch_user_requested.emit(name, self.admin_password_edit.text())


class _HiddenContent:
    """What `IdleLock` hid or disabled, so that the unlock restores exactly that."""

    def __init__(self) -> None:
        self.central: QWidget | None = None
        self.widgets: list[QWidget] = []
        self.actions: list[QAction] = []
        self.windows: list[QWidget] = []
        self.title = ""


class IdleLock(QObject):
    """Lock ``window`` after the idle timeout and unlock it with a password.

    Parameters
    ----------
    window
        The main window whose content the lock hides.
    session
        The logged-in session; only its user's password unlocks.
    users, audit
        The user store that checks passwords and the trail that records the
        lock, the unlock and a switch of user.
    monitor
        The idle monitor; default: one with `DEFAULT_IDLE_TIMEOUT`.
    """

    #: sig_locked(): the window hides its patient data now.
    sig_locked = Signal()
    #: sig_locked_by_user(): emitted after `sig_locked` when the user locked
    #: the screen on purpose rather than by the idle timeout.
    sig_locked_by_user = Signal()
    #: sig_unlocked(): the session's user unlocked; the content is back.
    sig_unlocked = Signal()
    #: sig_switch_user(str): this administrator closes the locked session.
    sig_switch_user = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        users: UserStore,
        audit: AuditTrail,
        monitor: IdleMonitor | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.users = users
        self.audit = audit
        self.monitor = monitor or IdleMonitor(parent=self)
        self.monitor.setParent(self)
        self.screen = LockScreen(session.user.name)
        self.screen.hide()
        self.locked = False
        self.switch_user_requested = False
        self._hidden = _HiddenContent()
        self.monitor.sig_idle.connect(self._on_idle)
        self.screen.sig_unlock_requested.connect(self._on_unlock_requested)
        self.screen.sig_switch_user_requested.connect(self._on_switch_requested)

    def start(self) -> None:
        """Start watching for idle time."""
        self.monitor.start()

    def stop(self) -> None:
        """Stop watching input and windows, at logout; the lock screen stays."""
        self.monitor.stop()
        self._stop_watching_windows()

    def _stop_watching_windows(self) -> None:
        application = QApplication.instance()
        if application is not None:
            application.removeEventFilter(self)

    # -- locking ------------------------------------------------------------

    def lock(self, reason: str = IDLE_REASON) -> None:
        """Hide every patient datum of the window and show the lock screen."""
        if self.locked:
            return
        self.locked = True
        self.monitor.paused = True
        self._hide_content()
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)
        self.audit.record(
            audit_events.SESSION_LOCKED, user=self.session.user.name, detail=reason
        )
        logger.info("session locked (%s)", reason)
        self.sig_locked.emit()
        if reason != IDLE_REASON:
            self.sig_locked_by_user.emit()

    def unlock(self) -> None:
        """Restore the window's content and windows (after a verified password)."""
        if not self.locked:
            return
        self._stop_watching_windows()
        self._restore_content(show_windows=True)
        self.locked = False
        self.monitor.reset()
        self.monitor.paused = False
        self.sig_unlocked.emit()

    def _on_idle(self) -> None:
        self.lock()

    def _hide_content(self) -> None:
        window = self.window
        hidden = self._hidden
        # Actions first: afterwards the lock screen's own widgets are children.
        hidden.actions = [
            action for action in window.findChildren(QAction) if action.isEnabled()
        ]
        for action in hidden.actions:
            action.setEnabled(False)
        bars: list[QWidget] = [window.menuBar(), window.statusBar()]
        bars += window.findChildren(QToolBar) + window.findChildren(QDockWidget)
        hidden.widgets = [bar for bar in bars if bar.isVisible()]
        for bar in hidden.widgets:
            bar.hide()
        hidden.windows = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and widget is not window
        ]
        for widget in hidden.windows:
            widget.hide()

        # takeCentralWidget() hands the content back unparented and hidden; the
        # study stays open in it.
        hidden.central = window.takeCentralWidget()
        self.screen.clear()
        window.setCentralWidget(self.screen)
        self.screen.show()
        self.screen.password_edit.setFocus()
        hidden.title = window.windowTitle()
        window.setWindowTitle(self.tr("PACS Desktop - locked"))

    def _restore_content(self, *, show_windows: bool) -> None:
        window = self.window
        hidden = self._hidden
        self.screen.clear()
        window.takeCentralWidget()
        self.screen.setParent(None)
        self.screen.hide()
        if hidden.central is not None:
            window.setCentralWidget(hidden.central)
            hidden.central.show()
        window.setWindowTitle(hidden.title)
        for bar in hidden.widgets:
            bar.show()
        for action in hidden.actions:
            action.setEnabled(True)
        if show_windows:
            for widget in hidden.windows:
                _show_if_alive(widget)
        self._hidden = _HiddenContent()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A dialog that opens while locked (an import summary, a message box)
        # is hidden at once and shown again at the unlock, unless the program
        # closes it meanwhile.
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Close):
            return False
        if not isinstance(watched, QWidget) or not watched.isWindow():
            return False
        if watched is self.window or _is_inside(watched, self.screen):
            return False
        windows = self._hidden.windows
        if kind == QEvent.Type.Close:
            if watched in windows:
                windows.remove(watched)
            return False
        if watched not in windows:
            windows.append(watched)
        QTimer.singleShot(0, watched.hide)
        return False

    # -- unlocking and switching user ---------------------------------------

    def _on_unlock_requested(self, password: str) -> None:
        name = self.session.user.name
        # verify_password audits a wrong password and counts it for lockout.
        if self.users.verify_password(name, password):
            self.audit.record(audit_events.SESSION_UNLOCKED, user=name)
            self.unlock()
            return
        user = self.users.get_user(name)
        if user is not None and user.locked:
            self.screen.show_error(
                self.tr(
                    "The account is locked after too many wrong passwords. An "
                    "administrator can close this session below."
                )
            )
        else:
            self.screen.show_error(self.tr("Wrong password. Try again."))
        self.screen.password_edit.setFocus()

    def _on_switch_requested(self, admin_name: str, password: str) -> None:
        if not self.users.verify_password(admin_name, password):
            self.screen.show_error(
                self.tr("The administrator's name or password is wrong.")
            )
            return
        admin = self.users.get_user(admin_name)
        if admin is None or admin.role is not Role.ADMINISTRATOR:
            self.audit.record(
                audit_events.ACCESS_DENIED,
                user=admin_name,
                target_user=self.session.user.name,
                detail="closing a locked session refused: not an administrator",
            )
            self.screen.show_error(
                self.tr("Only an administrator can close this session.")
            )
            return
        self.audit.record(
            audit_events.SESSION_UNLOCKED,
            user=admin.name,
            target_user=self.session.user.name,
            detail="locked session closed to switch user",
        )
        self.switch_user_requested = True
        self.close_locked_session()
        self.sig_switch_user.emit(admin.name)

    def close_locked_session(self) -> None:
        """Close the window without showing its content again (logout follows)."""
        self.stop()
        windows = list(self._hidden.windows)
        for widget in windows:
            _close_if_alive(widget)
        # The window closes while it still shows the lock screen; its content
        # returns only once the window is hidden, so nothing flashes up. The
        # window must be visible when it closes: Qt ends the event loop only
        # when the last visible window closes.
        self.window.close()
        self._restore_content(show_windows=False)
        self.locked = False


def _is_inside(widget: QWidget, ancestor: QWidget) -> bool:
    # Popups (a line edit's context menu) are windows of their own, so
    # QWidget.isAncestorOf() does not reach them; the parent chain does.
    current: QObject | None = widget
    while current is not None:
        if current is ancestor:
            return True
        current = current.parent()
    return False


def _show_if_alive(widget: QWidget) -> None:
    try:
        widget.show()
    except RuntimeError:
        # The dialog was deleted while the screen was locked.
        return


def _close_if_alive(widget: QWidget) -> None:
    try:
        widget.close()
    except RuntimeError:
        return
