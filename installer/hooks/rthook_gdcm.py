"""Point GDCM at its data dictionaries (Part3.xml ...) inside the bundle.

Frozen, gdcm.py looks for them beside the executable, but the bundle keeps them
under _gdcm/XML in its contents folder; GDCM_RESOURCES_PATH takes precedence.
"""

import os
import sys

_xml = os.path.join(getattr(sys, "_MEIPASS", ""), "_gdcm", "XML")
if os.path.isdir(_xml):
    os.environ.setdefault("GDCM_RESOURCES_PATH", _xml)
