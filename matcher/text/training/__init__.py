"""Training of the default text encoder (``matcher train-encoder``)."""
