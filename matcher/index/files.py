"""The saved index's files: one version folder per save, published atomically by replacing
``manifest.json`` (the encoder id, dimension, count and store watermark) in one rename after
every file is fsynced; readers see the old or the new index, never a mix."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from matcher.errors import MatcherError

FORMAT = 2
READABLE_FORMATS = (1, 2)  # format 1 (float rows beside an HNSW graph): the rows are reused


class IndexUnusableError(MatcherError):
    """The saved index cannot be used (missing, corrupt, or built by another encoder)."""


@dataclass(frozen=True)
class Manifest:
    encoder_id: str
    dimension: int
    kind: str
    count: int
    watermark: int
    version: str
    format: int = FORMAT
    trained_rows: int = 0  # rows the inverted file's lists were trained on


def new_version(folder: Path) -> tuple[str, Path]:
    """A fresh, empty version folder inside ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    version = f"v{time.time_ns()}"
    target = folder / version
    target.mkdir()
    return version, target


def publish(folder: Path, target: Path, manifest: Manifest) -> None:
    """Make the files written to ``target`` the saved index, then drop older versions."""
    for path in target.iterdir():
        _fsync(path)
    tmp = folder / f"manifest.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, folder / "manifest.json")
    _fsync(folder)
    for old in folder.glob("v*"):
        if old.is_dir() and old.name != target.name:
            shutil.rmtree(old, ignore_errors=True)


def read_manifest(folder: Path) -> Manifest:
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError:
        raise IndexUnusableError(f"no index in {folder}") from None
    except (OSError, ValueError, TypeError) as exc:
        raise IndexUnusableError(f"index manifest {path} is unreadable: {exc}") from exc
    if manifest.format not in READABLE_FORMATS:
        raise IndexUnusableError(f"index format {manifest.format} in {folder} is not {FORMAT}")
    return manifest


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
