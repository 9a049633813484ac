"""Qt-free core: reading, display, archive, network, dictation and security."""
