"""Pure functions that build Adaptive Card 1.5 dicts; no I/O, no Bot Framework."""
