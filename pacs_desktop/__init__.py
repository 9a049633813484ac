"""PACS Desktop: a radiology workstation with a Qt-free core."""

import logging

__version__ = "0.1.0"

# Handlers are configured only by the application entry point.
logging.getLogger(__name__).addHandler(logging.NullHandler())
