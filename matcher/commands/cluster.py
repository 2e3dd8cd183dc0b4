"""The ``--ray`` options shared by the commands that can spread their work over a Ray cluster
(``matcher worker``, ``matcher campaigns run``, ``matcher index build``)."""

from __future__ import annotations

import argparse

from matcher.config import Settings


def ray_options(parser: argparse.ArgumentParser, work: str) -> None:
    """``--ray ADDRESS`` and ``--ray-workers N``; ``work`` says what the workers do."""
    parser.add_argument(
        "--ray",
        metavar="ADDRESS",
        help=f"{work} on a Ray cluster: auto (started here by `ray start --head`), "
        "HOST:PORT, or local (one started in this process); default MATCHER_RAY_ADDRESS",
    )
    parser.add_argument(
        "--ray-workers", type=int, help="Ray workers (default MATCHER_RAY_WORKERS, 2)"
    )


def on_ray(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings with the command line's ``--ray`` options applied."""
    if args.ray:
        settings = settings.replace(ray_address=args.ray)
    if args.ray_workers:
        settings = settings.replace(ray_workers=args.ray_workers)
    return settings


def where(settings: Settings) -> str:
    """Where the work runs, for the command's first line."""
    if not settings.ray_address:
        return "in this process"
    return f"on Ray ({settings.ray_address}, {settings.ray_workers} workers)"
