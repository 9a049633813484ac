"""The local archive: SQLite index and file store."""
