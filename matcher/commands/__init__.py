"""Subcommands of ``matcher`` grouped by topic; each module has ``register(sub)``."""
