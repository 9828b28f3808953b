"""Notifications: the outbox of proactive messages and the conversation references they go to."""
