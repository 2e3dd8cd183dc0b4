"""The notebooks run from top to bottom on small data, so that they never rot (issue #9),
and are committed without bulky outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MAX_COMMITTED_BYTES = 300_000


def _execute(name: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> nbformat.NotebookNode:
    # the kernel inherits this environment: this checkout's package first, small parameters
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def _text(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(
        str(output.get("text", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def _images(notebook: nbformat.NotebookNode) -> int:
    return sum(
        1
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )


def test_evaluation_notebook_runs_on_a_subset_of_the_dev_set(shared_data, monkeypatch):
    notebook = _execute(
        "01_evaluate_matching.ipynb",
        monkeypatch,
        MATCHER_DEV_DATA=str(shared_data),
        MATCHER_NB_QUERIES="8",
        MATCHER_NB_JUDGED="40",
        MATCHER_NB_DISTRACTORS="500",
        MATCHER_NB_ENCODERS="default,fake",
    )
    text = _text(notebook)
    assert "evaluating on a subset: 8 queries" in text
    for system in ("default", "fake", "bm25"):
        assert f"\n{system:8s} ndcg@10" in "\n" + text
    assert _images(notebook) == 3  # overall, by category, by degree


def test_supply_demand_notebook_runs_on_a_small_demo(monkeypatch):
    notebook = _execute(
        "02_supply_demand.ipynb",
        monkeypatch,
        MATCHER_NB_SCALE="400",
        MATCHER_NB_SAMPLE="20",
        MATCHER_ENCODER="fake",
    )
    text = _text(notebook)
    assert "new postings" in text and "hard to fill ≈" in text
    assert ".html" in text
    assert _images(notebook) >= 3


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_are_small(path):
    assert path.stat().st_size < MAX_COMMITTED_BYTES
