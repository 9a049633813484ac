"""The study browser: filter bar, study table and series thumbnails."""

from pacs_desktop.ui.browser.browser_widget import StudyBrowser, StudyTableView

__all__ = ["StudyBrowser", "StudyTableView"]
