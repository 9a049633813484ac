"""Dictation: recording, crash recovery, playback and DICOM audio objects."""
