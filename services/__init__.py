"""The shared licence service: the domain of beheerbot, usable without Teams."""
