"""Users, roles, sessions, the audit trail and patient identity checks."""
