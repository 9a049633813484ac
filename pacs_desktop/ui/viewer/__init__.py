"""The image viewer: patient banner, series list and a stack of images.

`ViewerWidget` is the public entry point; the other modules are its parts.
"""

from pacs_desktop.ui.viewer.viewer_widget import ViewerWidget

__all__ = ["ViewerWidget"]
