"""The dialog that lists the outcome of an import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import ImportSummary


class ImportSummaryDialog(QDialog):
    """Show how many files were imported, duplicates and skipped, and every rejection.

    Skipped files are those met in a folder that are not DICOM at all (a
    LICENSE beside the images); they are listed after the rejections.
    """

    def __init__(self, summary: ImportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if summary.cancelled:
            self.setWindowTitle(self.tr("Import cancelled"))
        else:
            self.setWindowTitle(self.tr("Import finished"))
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts")
        self.counts_label.setText(
            self.tr(
                "Imported: {imported} files\n"
                "Duplicates (already in the archive): {duplicates} files\n"
                "Rejected: {rejected} files\n"
                "Duplicates that differ from the stored copy: {conflicts} files\n"
                "Studies with new images: {studies}"
            ).format(
                imported=len(summary.imported),
                duplicates=len(summary.duplicates),
                rejected=len(summary.rejected),
                conflicts=len(summary.conflicts),
                studies=len(summary.studies),
            )
            + "\n"
            + self.tr("Skipped (not DICOM): {skipped} files").format(
                skipped=len(summary.skipped)
            )
        )
        self.rejected_text = QPlainTextEdit(self)
        self.rejected_text.setObjectName("rejected")
        self.rejected_text.setReadOnly(True)
        # Long lines wrap, so every reason is visible without scrolling sideways.
        self.rejected_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        fixed: QFont = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.rejected_text.setFont(fixed)
        lines = [_entry(item.path, item.reason) for item in summary.rejected]
        if summary.conflicts:
            lines.append("")
            lines.append(self.tr("Duplicates that differ from the stored copy:"))
            lines.extend(_entry(item.path, item.reason) for item in summary.conflicts)
        if summary.skipped and lines:
            lines.append("")
            lines.append(self.tr("Skipped files (not DICOM):"))
        lines.extend(_skipped_entry(item.path) for item in summary.skipped)
        self.rejected_text.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.counts_label)
        if summary.rejected or summary.conflicts:
            layout.addWidget(QLabel(self.tr("Rejected files and reasons:"), self))
        elif summary.skipped:
            heading = self.tr("Skipped files (not DICOM):")
            layout.addWidget(QLabel(heading, self))
        if summary.rejected or summary.conflicts or summary.skipped:
            layout.addWidget(self.rejected_text, 1)
            self.resize(720, 360)
        else:
            self.rejected_text.hide()
        layout.addWidget(buttons)


def _entry(path: Path, reason: str) -> str:
    # The file name and its reason come first; the folder follows on its own line.
    return f"{path.name}: {reason}\n    {path.parent}"


def _skipped_entry(path: Path) -> str:
    return f"{path.name}\n    {path.parent}"
