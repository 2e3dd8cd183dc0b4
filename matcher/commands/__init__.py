"""Bodies of the larger ``matcher`` sub-commands; each module exposes ``register(sub)``."""
