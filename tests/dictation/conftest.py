"""Fixtures of the dictation tests, defined in microphone_rig.py.

Test modules import helpers from microphone_rig rather than from conftest,
because in a run that also collects another directory's conftest.py the name
``conftest`` can refer to that other module.
"""

from microphone_rig import microphone_factory, speech

__all__ = ["microphone_factory", "speech"]
