"""DICOM reading, pixel decoding, the display pipeline and series geometry."""
