"""An index built on Ray workers equals the one built in this process (issue 20, point 2):
the same store, built once here and once afresh with encoding, word segmentation and list
assignment on a local Ray cluster of two CPUs, through ``matcher index build``."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matcher import cli
from matcher.config import Settings
from matcher.datasets import generate
from matcher.index import lexical, vectors
from matcher.index.files import read_manifest
from matcher.ingest.files import ingest_folder
from matcher.store import Store
from matcher.text.encoders import load_encoder


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, scale=3000, graduates=300, seed=21, as_of=date.today())
    return folder


def _files(index_dir: Path) -> dict[str, bytes]:
    """Every file of the saved postings and profiles indexes, by name."""
    out = {}
    for side in ("positions", "graduates"):
        version = index_dir / side / read_manifest(index_dir / side).version
        out |= {f"{side}/{p.name}": p.read_bytes() for p in sorted(version.iterdir())}
    return out


def test_an_index_built_on_ray_equals_the_one_built_here(cluster, data, tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "IVF_THRESHOLD", 1000)  # 3,000 postings get an inverted file
    config = Settings.from_env(env={}, data_dir=tmp_path)
    store = Store.open(config)
    ingest_folder(store, data, ("employers", "positions", "graduates"))
    store.close()
    run = ["--data-dir", str(tmp_path), "index", "build"]
    assert cli.main(run) == 0
    here = _files(config.resolved_index_dir)
    assert "positions/lists.faiss" in here  # an inverted file, not flat rows
    shutil.copytree(config.resolved_index_dir, tmp_path / "built-here")

    def refuse(*_: Any) -> None:
        raise AssertionError("with --ray, the workers encode")

    encoder_class = type(load_encoder(config.encoder))
    monkeypatch.setattr(encoder_class, "encode_positions", refuse)
    monkeypatch.setattr(encoder_class, "encode_graduates", refuse)
    assigners: list[Any] = []
    build = vectors.VectorIndex.build

    def watched(self: vectors.VectorIndex, assign: Any = None) -> None:
        assigners.append(assign)
        build(self, assign)

    monkeypatch.setattr(vectors.VectorIndex, "build", watched)
    segmented_here: list[str] = []
    tokenize = lexical.tokenize
    monkeypatch.setattr(lexical, "tokenize", lambda t: segmented_here.append(t) or tokenize(t))
    assert cli.main([*run, "--fresh", "--ray", "local"]) == 0
    assert len(assigners) == 1 and assigners[0] is not None  # lists found by the workers
    assert not segmented_here  # the workers found the postings' words too
    on_ray = _files(config.resolved_index_dir)
    assert sorted(on_ray) == sorted(here)
    for name in here:
        if name.endswith(".npz"):  # a zip's members carry the time they were written
            with np.load(io.BytesIO(here[name])) as want, np.load(io.BytesIO(on_ray[name])) as got:
                assert sorted(got.files) == sorted(want.files)
                for array in want.files:
                    assert np.array_equal(got[array], want[array]), f"{name}: {array}"
        else:
            assert on_ray[name] == here[name], name
