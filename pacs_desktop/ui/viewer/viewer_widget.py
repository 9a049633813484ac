"""The viewer page: patient banner, series list and the image stack.

Decoding runs in `loader.FrameLoader` on worker threads. This widget turns
decoded frames into display values with the core pipeline (`to_display`)
and reacts to the keys and mouse gestures listed in
`pacs_desktop.ui.viewer.shortcuts`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.integrity import (
    StoredInstance,
    stored_instances_of_series,
)
from pacs_desktop.core.archive.records import (
    InstanceRecord,
    SeriesRecord,
    StudyRecord,
)
from pacs_desktop.core.dicom.orientation import base_labels, edge_labels
from pacs_desktop.core.dicom.pipeline import (
    FrameImage,
    VoiChoice,
    Window,
    default_voi,
    to_display,
)
from pacs_desktop.core.dicom.presets import Preset
from pacs_desktop.core.dicom.sop_classes import ObjectKind, object_kind, series_kind
from pacs_desktop.core.dicom.text import display_person_name
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.viewer.banner import PatientBanner
from pacs_desktop.ui.viewer.decoding import ProcessDecoding
from pacs_desktop.ui.viewer.display_state import (
    Orientation,
    drag_sensitivity,
    dragged_window,
    window_from_voi,
)
from pacs_desktop.ui.viewer.image_view import ZOOM_STEP, ImageView
from pacs_desktop.ui.viewer.loader import FrameLoader, LoadedSeries
from pacs_desktop.ui.viewer.overlays import Corner, OverlayLayer, OverlayTexts
from pacs_desktop.ui.viewer.presets import (
    built_in_presets,
    preset_on_key,
    preset_title,
    presets_for_modality,
)
from pacs_desktop.ui.viewer.series_info import format_dicom_date
from pacs_desktop.ui.viewer.series_list import SeriesEntry, SeriesList
from pacs_desktop.ui.viewer.shortcuts import (
    PAGE_STEP,
    Action,
    KeyCommand,
    command_for_key,
)
from pacs_desktop.ui.viewer.thumbnails import ThumbnailLoader

logger = logging.getLogger(__name__)

_EMPTY_DISPLAY = np.zeros((0, 0), dtype=np.uint8)

# How long a notice such as "no window presets" stays over the image.
MESSAGE_MILLISECONDS = 4000


class ViewerWidget(QWidget):
    """Show the series of one study, one image at a time.

    The banner above the images names the patient for as long as a study is
    open; `close_study` removes every pixel and every patient string.

    ``presets`` maps a Modality (0008,0060) code to its window presets, as
    `EffectiveSettings.presets` returns them; keys 1 to 8 apply the presets of
    the shown series' modality. Without it, CT gets the built-in presets.

    ``user`` is the logged-in user, under whom a stored file that fails its
    SHA-256 check is recorded in the audit trail; None records the
    operating-system account.
    """

    #: sig_frame_changed(int): display index (from 0) of the image now shown.
    sig_frame_changed = Signal(int)
    #: sig_window_changed(float, float): centre and width of the window now
    #: applied, in modality units.
    sig_window_changed = Signal(float, float)
    #: sig_series_loaded(int): number of images of the series just read.
    sig_series_loaded = Signal(int)
    #: sig_message(str): a notice shown over the image for a few seconds, such
    #: as why a preset key did nothing, for a status bar to repeat.
    sig_message = Signal(str)

    def __init__(
        self,
        archive: Archive,
        parent: QWidget | None = None,
        *,
        decoding: ProcessDecoding | None = None,
        presets: Mapping[str, Sequence[Preset]] | None = None,
        user: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._archive = archive
        self._presets: dict[str, tuple[Preset, ...]] = built_in_presets()
        if presets is not None:
            self.set_presets(presets)
        self.banner = PatientBanner(self)
        self.series_list = SeriesList(self)
        self.image_view = ImageView(self)
        self.overlays = OverlayLayer(self.image_view)
        self._texts = OverlayTexts(self)
        # Without ``decoding``, the application's shared worker processes.
        self.loader = FrameLoader(self, decoding=decoding, archive=archive, user=user)
        self.thumbnails = ThumbnailLoader(self)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(MESSAGE_MILLISECONDS)
        self._message_timer.timeout.connect(lambda: self.overlays.set_message(""))
        self._build_layout()
        self._connect()

        self._study: StudyRecord | None = None
        self._series_records: dict[str, SeriesRecord] = {}
        self._series_kinds: dict[str, ObjectKind] = {}
        # Thumbnails wait for the first image, so their decoding does not
        # delay it.
        self._pending_thumbnails: list[SeriesRecord] = []
        self._loaded: LoadedSeries | None = None
        self._index = 0
        self._shown_index: int | None = None
        self._frame: FrameImage | None = None
        self._display = _EMPTY_DISPLAY
        self._voi: VoiChoice | None = None
        # The preset that set ``_voi``; None once the window is dragged or reset.
        self._preset: Preset | None = None
        self._series_modality = ""
        self._invert = False
        self._orientation = Orientation()
        self._fit_pending = True
        self._drag_start: Window | None = None
        self._drag_sensitivity = 1.0
        self._last_window: tuple[float, float] | None = None
        # Whether the warning line shows why the current image failed.
        self._frame_failed = False

    def _build_layout(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.series_list)
        splitter.addWidget(self.image_view)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.image_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.image_view)
        self.image_view.installEventFilter(self)

    def _connect(self) -> None:
        self.loader.sig_series_loaded.connect(self._on_series_loaded)
        self.loader.sig_series_failed.connect(self._on_series_failed)
        self.loader.sig_frame_ready.connect(self._on_frame_ready)
        self.loader.sig_frame_failed.connect(self._on_frame_failed)
        self.loader.sig_preview_ready.connect(self._on_preview_ready)
        self.series_list.sig_series_selected.connect(self._on_series_selected)
        self.thumbnails.sig_thumbnail_ready.connect(self.series_list.set_thumbnail)
        self.image_view.sig_wheel_steps.connect(self._on_wheel_steps)
        self.image_view.sig_window_drag_started.connect(self._on_window_drag_started)
        self.image_view.sig_window_drag.connect(self._on_window_drag)
        self.image_view.sig_view_changed.connect(self._update_view_overlay)
        self.image_view.sig_resized.connect(self._on_image_view_resized)

    # -- public API ---------------------------------------------------------

    def open_study(self, study: StudyRecord) -> None:
        """Show ``study``: banner, series list and its first series.

        Raises nothing: an archive failure appears as a warning over the image.
        """
        self.close_study()
        self._study = study
        # The scroll and preset keys work at once, without a click on the image.
        self.image_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.banner.set_patient(
            display_person_name(study.PatientName),
            study.PatientID,
            format_dicom_date(study.PatientBirthDate),
        )
        try:
            records = self._archive.series_for_study(study.StudyInstanceUID)
        except PacsDesktopError as exc:
            logger.error("listing the series of a study failed: %s", exc)
            self.overlays.set_warning(str(exc))
            return
        records = sorted(records, key=_series_sort_key)
        self._series_records = {record.SeriesInstanceUID: record for record in records}
        # Audio, reports and documents are listed greyed and never decoded.
        self._series_kinds = {
            record.SeriesInstanceUID: self._series_kind(record) for record in records
        }
        self.series_list.set_series(
            [
                _series_entry(record, self._series_kinds[record.SeriesInstanceUID])
                for record in records
            ]
        )
        image_records = [
            record
            for record in records
            if self._series_kinds[record.SeriesInstanceUID] is ObjectKind.IMAGE
        ]
        self._pending_thumbnails = image_records
        if image_records:
            self._open_series(image_records[0].SeriesInstanceUID)
        else:
            if records:
                self.overlays.set_warning(self.tr("This study contains no images."))
            self._request_pending_thumbnails()

    def open_series_paths(self, paths: Sequence[Path]) -> None:
        """Read the files ``paths`` as one series and show its first image.

        Without an open study the banner shows the patient of the files.
        """
        self.image_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._start_series(paths)

    def close_study(self) -> None:
        """Remove every image and patient string and cancel pending decodes."""
        self.loader.cancel()
        self.thumbnails.cancel()
        self._study = None
        self._series_records = {}
        self._series_kinds = {}
        self._series_modality = ""
        self._pending_thumbnails = []
        self.series_list.clear()
        self.banner.clear()
        self._reset_series_state()

    def set_presets(self, presets: Mapping[str, Sequence[Preset]]) -> None:
        """Use ``presets`` (modality code to its presets) from the next key press."""
        self._presets = {
            modality.strip().upper(): tuple(entries)
            for modality, entries in presets.items()
        }

    def current_presets(self) -> tuple[Preset, ...]:
        """Return the window presets of the shown series' modality."""
        return presets_for_modality(self._presets, self.current_modality())

    def current_modality(self) -> str:
        """Return the Modality (0008,0060) of the shown series, "" when unknown."""
        if self._loaded is not None and self._loaded.info.Modality:
            return self._loaded.info.Modality
        return self._series_modality

    def current_preset(self) -> Preset | None:
        """Return the preset whose window is applied, or None."""
        return self._preset

    def current_display(self) -> np.ndarray:
        """Return the uint8 image on screen (after orientation); empty when none."""
        return self._display

    def current_window(self) -> Window | None:
        """Return the window applied to the image on screen.

        None when no greyscale image is shown, or when a VOI LUT of the file
        applies instead of a window.
        """
        if self._frame is None or self._frame.is_color:
            return None
        voi = self._effective_voi(self._frame)
        return voi if isinstance(voi, Window) else None

    @property
    def current_index(self) -> int | None:
        """Display index (from 0) of the image on screen, None when none is."""
        return self._shown_index

    @property
    def frame_count(self) -> int:
        """Number of images of the loaded series."""
        if self._loaded is None:
            return 0
        return len(self._loaded.frames.frames)

    @property
    def inverted(self) -> bool:
        """Whether the grey scale is inverted on top of the file's own polarity."""
        return self._invert

    def go_to(self, index: int) -> None:
        """Show the image at display ``index``, clamped to the series."""
        count = self.frame_count
        if count == 0:
            return
        index = min(max(index, 0), count - 1)
        if index == self._index and self._shown_index == index:
            return
        self._index = index
        frame = self.loader.request(index)
        if frame is not None:
            self._show(index, frame)

    def reset_view(self) -> None:
        """Fit the image, undo rotation, flips and inversion, use the file's window."""
        self._orientation = Orientation()
        self._invert = False
        self._voi = None
        self._preset = None
        self._drag_start = None
        self._fit_pending = True
        self._render()

    def show_message(self, text: str) -> None:
        """Show ``text`` over the image for `MESSAGE_MILLISECONDS` and emit it."""
        self.overlays.set_message(text)
        self._message_timer.start()
        self.sig_message.emit(text)

    def shutdown(self) -> None:
        """Cancel pending work and wait for the worker threads to end."""
        self._message_timer.stop()
        self.loader.shutdown()
        self.thumbnails.shutdown()

    # -- series -------------------------------------------------------------

    def _series_kind(self, record: SeriesRecord) -> ObjectKind:
        try:
            instances = self._archive.instances_for_series(record.SeriesInstanceUID)
        except PacsDesktopError as exc:
            # The series stays in the list as an image series, and opening it
            # shows the error.
            logger.warning("listing the instances of a series failed: %s", exc)
            return ObjectKind.IMAGE
        return series_kind(instance.SOPClassUID for instance in instances)

    def _open_series(self, key: str) -> None:
        record = self._series_records.get(key)
        if record is None or self._series_kinds.get(key) not in (
            None,
            ObjectKind.IMAGE,
        ):
            return
        self.series_list.select_key(key)
        self._series_modality = record.Modality
        try:
            instances = _image_instances(
                self._archive.instances_for_series(record.SeriesInstanceUID)
            )
            stored = stored_instances_of_series(self._archive, record.SeriesInstanceUID)
        except PacsDesktopError as exc:
            logger.error("listing the instances of a series failed: %s", exc)
            self._reset_series_state()
            self.overlays.set_warning(str(exc))
            return
        numbered = [item for item in instances if item.InstanceNumber is not None]
        candidates = []
        if numbered:
            # The series runs from one end of the Instance Numbers to the other
            # along the slice normal in the usual case, so one of these two is
            # its first image.
            ordered = sorted(numbered, key=lambda item: item.InstanceNumber or 0)
            candidates = [ordered[0].path, ordered[-1].path]
        self._reset_series_state()
        # Every frame is decoded only after its file matches the SHA-256
        # recorded when it was archived.
        self.loader.load_series(
            [instance.path for instance in instances],
            first_candidates=candidates,
            stored=stored,
        )

    def _request_pending_thumbnails(self) -> None:
        pending, self._pending_thumbnails = self._pending_thumbnails, []
        for record in pending:
            self._request_thumbnail(record)

    def _request_thumbnail(self, record: SeriesRecord) -> None:
        try:
            instances = _image_instances(
                self._archive.instances_for_series(record.SeriesInstanceUID)
            )
            stored = stored_instances_of_series(self._archive, record.SeriesInstanceUID)
        except PacsDesktopError as exc:
            logger.warning("no thumbnail for a series: %s", exc)
            return
        if not instances:
            return
        # The middle instance by Instance Number shows the middle of the stack.
        ordered = sorted(instances, key=lambda item: item.InstanceNumber or 0)
        middle = ordered[len(ordered) // 2]
        row: StoredInstance | None = stored.get(middle.path)
        if row is None:
            logger.warning("no thumbnail for a series: its file left the index")
            return
        self.thumbnails.request(record.SeriesInstanceUID, middle.path, row)

    def _start_series(self, paths: Sequence[Path]) -> None:
        self._series_modality = ""
        self._reset_series_state()
        self.loader.load_series(paths)

    def _reset_series_state(self) -> None:
        self._loaded = None
        self._index = 0
        self._shown_index = None
        self._frame = None
        self._display = _EMPTY_DISPLAY
        self._voi = None
        self._preset = None
        self._invert = False
        self._orientation = Orientation()
        self._fit_pending = True
        self._drag_start = None
        self._last_window = None
        self._frame_failed = False
        self.image_view.clear_image()
        self._message_timer.stop()
        self.overlays.clear()

    def _on_series_selected(self, key: str) -> None:
        self._open_series(key)

    def _on_preview_ready(self, frame: FrameImage) -> None:
        # Painted before the series order is known; `_show` replaces it with
        # the confirmed first image.
        if self._frame is not None:
            return
        display = to_display(frame)
        self._display = display
        self.image_view.set_image(display, fit=True)
        self._request_pending_thumbnails()

    def _on_series_loaded(self, loaded: LoadedSeries) -> None:
        self._request_pending_thumbnails()
        self._loaded = loaded
        if self._study is None and loaded.frames.frames:
            info = loaded.info
            self.banner.set_patient(
                info.PatientName, info.PatientID, info.PatientBirthDate
            )
        self.overlays.set_warning(self._texts.series_warning(loaded.frames))
        self.sig_series_loaded.emit(len(loaded.frames.frames))
        if loaded.frames.frames:
            self.go_to(0)

    def _on_series_failed(self, reason: str) -> None:
        self._request_pending_thumbnails()
        self.overlays.set_warning(
            self.tr("The series cannot be read: {reason}").format(reason=reason)
        )

    # -- frames -------------------------------------------------------------

    def _on_frame_ready(self, index: int, frame: FrameImage) -> None:
        if index == self._index:
            self._show(index, frame)

    def _on_frame_failed(self, index: int, reason: str) -> None:
        if index != self._index:
            return
        # The image shown before stays off the screen, so it cannot pass for
        # the one that failed (a file that changed since it was archived).
        self._frame = None
        self._shown_index = None
        self._display = _EMPTY_DISPLAY
        self.image_view.clear_image()
        self.overlays.set_edge_labels(None)
        self._frame_failed = True
        self.overlays.set_warning(
            self.tr("Image {number} cannot be shown: {reason}").format(
                number=index + 1, reason=reason
            )
        )
        # The corners describe the failed image, never the one shown before.
        self._update_overlays(index, failed=True)

    def _show(self, index: int, frame: FrameImage) -> None:
        if self._frame_failed and self._loaded is not None:
            self._frame_failed = False
            self.overlays.set_warning(self._texts.series_warning(self._loaded.frames))
        changed = index != self._shown_index
        self._frame = frame
        self._shown_index = index
        self._render()
        self._update_overlays(index)
        if changed:
            self.sig_frame_changed.emit(index)

    def _pixel_aspect(self) -> float:
        loaded = self._loaded
        index = self._shown_index
        if loaded is None or index is None:
            return 1.0
        return self._orientation.pixel_aspect(loaded.frames.frames[index].header)

    def _effective_voi(self, frame: FrameImage) -> VoiChoice:
        return self._voi if self._voi is not None else default_voi(frame)

    def _render(self) -> None:
        frame = self._frame
        if frame is None:
            return
        voi = None if frame.is_color else self._effective_voi(frame)
        display = to_display(frame, voi, invert=self._invert)
        self._display = self._orientation.apply(display)
        self.image_view.set_image(
            self._display, fit=self._fit_pending, pixel_aspect=self._pixel_aspect()
        )
        self._fit_pending = False
        self._update_window_overlay()
        self._update_edge_labels()
        window = self.current_window()
        if window is not None:
            values = (float(window.center), float(window.width))
            if values != self._last_window:
                self._last_window = values
                self.sig_window_changed.emit(*values)

    # -- overlays -----------------------------------------------------------

    def _update_overlays(self, index: int, *, failed: bool = False) -> None:
        loaded = self._loaded
        if loaded is None or not 0 <= index < len(loaded.frames.frames):
            return
        info = loaded.info
        patient = self._study
        if patient is not None:
            name = display_person_name(patient.PatientName)
            patient_id = patient.PatientID
        else:
            name, patient_id = info.PatientName, info.PatientID
        self.overlays.set_patient(name, patient_id)
        self.overlays.set_corner(Corner.TOP_RIGHT, self._texts.study_lines(info))
        count = len(loaded.frames.frames)
        if failed:
            # No position or thickness: when the file failed the SHA-256
            # check, the header they come from may be the changed bytes.
            lines = self._texts.number_lines(info, index, count)
        else:
            header = loaded.frames.frames[index].header
            lines = self._texts.slice_lines(info, header, index, count)
        self.overlays.set_corner(Corner.BOTTOM_LEFT, lines)
        self._update_window_overlay()

    def _update_window_overlay(self) -> None:
        if self._frame is None:
            # No image, so no window, zoom or inversion to describe.
            self.overlays.set_corner(Corner.BOTTOM_RIGHT, [])
            return
        lines = self._texts.window_lines(self._frame, self._effective_voi(self._frame))
        if self._preset is not None and lines:
            lines.insert(0, preset_title(self._preset))
        lines.append(self._texts.zoom_line(self.image_view.zoom_factor()))
        if self._invert:
            lines.append(self.tr("Inverted"))
        self.overlays.set_corner(Corner.BOTTOM_RIGHT, lines)

    def _update_edge_labels(self) -> None:
        loaded = self._loaded
        index = self._shown_index
        if loaded is None or index is None or not 0 <= index < self.frame_count:
            self.overlays.set_edge_labels(None)
            return
        header = loaded.frames.frames[index].header
        labels = base_labels(header.orientation, header.patient_orientation)
        if labels is None:
            self.overlays.set_edge_labels(None)
            return
        self.overlays.set_edge_labels(
            edge_labels(
                *labels,
                turns=self._orientation.turns,
                mirrored=self._orientation.mirrored,
            )
        )

    def _update_view_overlay(self) -> None:
        self._update_window_overlay()

    def _on_image_view_resized(self) -> None:
        self.overlays.setGeometry(self.image_view.rect())
        self.overlays.raise_()

    # -- input --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take the viewer's keys before the graphics view scrolls or zooms."""
        if watched is self.image_view:
            if event.type() == QEvent.Type.ShortcutOverride:
                assert isinstance(event, QKeyEvent)
                if self._command(event) is not None:
                    # Keeps a window-wide shortcut on the same key from firing.
                    event.accept()
                    return True
            elif event.type() == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                return self._handle_key(event)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    @staticmethod
    def _command(event: QKeyEvent) -> KeyCommand | None:
        return command_for_key(event.key(), event.modifiers())

    def _handle_key(self, event: QKeyEvent) -> bool:
        command = self._command(event)
        if command is None:
            return False
        if command.preset_index is not None:
            self._apply_preset(command.preset_index)
        elif command.action is not None:
            self._run_action(command.action)
        event.accept()
        return True

    def _run_action(self, action: Action) -> None:
        steps = {
            Action.PREVIOUS: -1,
            Action.NEXT: 1,
            Action.PAGE_BACK: -PAGE_STEP,
            Action.PAGE_FORWARD: PAGE_STEP,
        }
        if action in steps:
            self.go_to(self._index + steps[action])
        elif action is Action.FIRST:
            self.go_to(0)
        elif action is Action.LAST:
            self.go_to(self.frame_count - 1)
        elif action is Action.RESET_WINDOW:
            self._set_voi(None)
        elif action is Action.ZOOM_IN:
            self.image_view.zoom_by(ZOOM_STEP)
        elif action is Action.ZOOM_OUT:
            self.image_view.zoom_by(1.0 / ZOOM_STEP)
        elif action is Action.FIT:
            self.image_view.fit()
        elif action is Action.ACTUAL_SIZE:
            self.image_view.actual_size()
        elif action is Action.INVERT:
            self._invert = not self._invert
            self._render()
        elif action is Action.RESET_VIEW:
            self.reset_view()
        else:
            self._reorient(action)

    def _reorient(self, action: Action) -> None:
        if action is Action.ROTATE:
            self._orientation = self._orientation.rotated()
        elif action is Action.FLIP_HORIZONTAL:
            self._orientation = self._orientation.flipped_horizontally()
        elif action is Action.FLIP_VERTICAL:
            self._orientation = self._orientation.flipped_vertically()
        self._render()

    def _apply_preset(self, preset_index: int) -> None:
        modality = self.current_modality()
        key_number = preset_index + 1
        preset = preset_on_key(self._presets, modality, key_number)
        if preset is not None:
            self._set_voi(preset.window, preset)
        elif self._frame is not None:
            self.show_message(self._missing_preset_text(modality, key_number))

    def _missing_preset_text(self, modality: str, key_number: int) -> str:
        if self.current_presets():
            return self.tr("No window preset on key {key} for {modality}.").format(
                key=key_number, modality=modality
            )
        if modality:
            text = self.tr(
                "No window presets for {modality}; "
                "Tools > Settings > Display defines them."
            )
            return text.format(modality=modality)
        return self.tr(
            "No window presets for this series; "
            "Tools > Settings > Display defines them."
        )

    def _set_voi(self, voi: VoiChoice | None, preset: Preset | None = None) -> None:
        self._voi = voi
        self._preset = preset
        self._drag_start = None
        self._render()

    def _on_wheel_steps(self, steps: int) -> None:
        # Rolling the wheel towards the user (negative steps) moves forward.
        self.go_to(self._index - steps)

    def _on_window_drag_started(self) -> None:
        frame = self._frame
        if frame is None or frame.is_color:
            return
        self._drag_start = window_from_voi(self._effective_voi(frame))
        self._drag_sensitivity = drag_sensitivity(frame.value_range)

    def _on_window_drag(self, dx: float, dy: float) -> None:
        frame = self._frame
        if frame is None or frame.is_color:
            return
        if self._drag_start is None:
            self._on_window_drag_started()
        assert self._drag_start is not None
        self._voi = dragged_window(self._drag_start, dx, dy, self._drag_sensitivity)
        self._preset = None
        self._render()


def _series_sort_key(record: SeriesRecord) -> tuple[int, int, str]:
    number = record.SeriesNumber
    if number is None:
        return (1, 0, record.SeriesInstanceUID)
    return (0, int(number), record.SeriesInstanceUID)


def _series_entry(record: SeriesRecord, kind: ObjectKind) -> SeriesEntry:
    number = record.SeriesNumber
    return SeriesEntry(
        key=record.SeriesInstanceUID,
        SeriesNumber="" if number is None else str(number),
        SeriesDescription=record.SeriesDescription,
        Modality=record.Modality,
        NumberOfSeriesRelatedInstances=record.NumberOfSeriesRelatedInstances,
        kind=kind,
    )


def _image_instances(instances: list[InstanceRecord]) -> list[InstanceRecord]:
    # A series that mixes images with other objects shows its images only.
    return [
        instance
        for instance in instances
        if object_kind(instance.SOPClassUID) is ObjectKind.IMAGE
    ]
