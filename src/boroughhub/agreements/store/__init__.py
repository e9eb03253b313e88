"""The database side of agreements: version documents, the lifecycle, signing and reminders.

The audit log has a room of its own: write entries with ``boroughhub.audit.record_event``.
"""
