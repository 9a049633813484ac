"""DICOM associations: SCU operations, storage SCP and the sync queue."""
