"""Dictation views: recorder, player, transcription worklist, report editor."""
