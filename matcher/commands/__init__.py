"""Bodies of ``matcher`` sub-commands that live outside :mod:`matcher.cli`; each module has a
``register(sub)`` that adds its parsers to the command's sub-parsers."""

from __future__ import annotations

import argparse
from pathlib import Path

from matcher.config import Settings


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment and the global ``--data-dir`` / ``--database-url``."""
    return Settings.from_env(
        data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
        database_url=getattr(args, "database_url", None),
    )
