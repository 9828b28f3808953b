"""Conversation flows: one ComponentDialog per task; steps call one service method each."""
