"""The vector index against a brute-force reference, and its persistence rules."""

import json

import numpy as np
import pytest

from matcher.index.files import IndexUnusableError, read_manifest
from matcher.index.vectors import VectorIndex
from matcher.text.encoders import normalise_rows


def _data(n=500, d=16, seed=0):
    rng = np.random.default_rng(seed)
    return [f"p-{i}" for i in range(n)], normalise_rows(rng.standard_normal((n, d)))


def _brute(vectors, keys, query, k, allowed=None):
    scores = vectors @ query
    order = [i for i in np.argsort(-scores) if allowed is None or keys[i] in allowed]
    return [keys[i] for i in order[:k]]


@pytest.fixture(params=["flat", "ivf"])
def index(request):
    keys, vectors = _data()
    index = VectorIndex(16, kind=request.param, lists=8, probes=6)
    index.upsert(keys, vectors)
    index.build()
    return index


def test_search_matches_brute_force(index):
    keys, vectors = _data()
    queries = normalise_rows(np.random.default_rng(1).standard_normal((20, 16)))
    exact_hits = approx_hits = 0
    for q in queries:
        want = _brute(vectors, keys, q, 10)
        _, slots = index.search_exact(q, 10)
        exact_hits += len(set(index.key_of(slots[0])) & set(want))
        _, slots = index.search_approximate(q, 10)
        approx_hits += len(set(index.key_of(slots[0][slots[0] >= 0])) & set(want))
    assert exact_hits == 200
    assert approx_hits / 200 >= 0.95


def test_candidates_and_masks_restrict_results(index):
    keys, vectors = _data()
    allowed = {f"p-{i}" for i in range(0, 500, 7)}
    q = vectors[3]
    want = _brute(vectors, keys, q, 5, allowed)
    _, slots = index.search_exact(q, 5, index.slots_of(sorted(allowed)))
    assert index.key_of(slots[0]) == want
    mask = np.zeros(index.rows, dtype=bool)
    mask[index.slots_of(sorted(allowed))] = True
    _, slots = index.search_approximate(q, 5, mask)
    assert set(index.key_of(slots[0][slots[0] >= 0])) <= allowed


def test_upsert_replaces_and_remove_tombstones(index):
    _keys, vectors = _data()
    index.upsert(["p-1"], vectors[2:3])  # p-1 now points where p-2 does
    assert len(index) == 500 and index.rows == 501
    _, slots = index.search_exact(vectors[2], 2)
    assert set(index.key_of(slots[0])) == {"p-1", "p-2"}
    assert index.remove(["p-2", "nope"]) == 1
    for search in (index.search_exact, index.search_approximate):
        _, slots = search(vectors[2], 3)
        assert "p-2" not in index.key_of(slots[0][slots[0] >= 0])
    index.compact()
    assert index.rows == len(index) == 499 and index.dead_share == 0.0


def test_short_results_are_padded(index):
    _, vectors = _data()
    _, slots = index.search_exact(vectors[0], 5, index.slots_of(["p-1", "p-2"]))
    assert list(slots[0][2:]) == [-1, -1, -1]


def test_save_load_round_trip_and_manifest(index, tmp_path):
    _keys, vectors = _data()
    index.remove(["p-9"])
    manifest = index.save(tmp_path, encoder_id="enc@1", watermark=42)
    assert (manifest.count, manifest.watermark, manifest.dimension) == (499, 42, 16)
    loaded, again = VectorIndex.load(tmp_path, encoder_id="enc@1", dimension=16)
    assert again == manifest and len(loaded) == 499 and "p-9" not in loaded
    a = index.search_exact(vectors[5], 10)[1]
    b = loaded.search_exact(vectors[5], 10)[1]
    assert np.array_equal(a, b)
    assert loaded.approximate == index.approximate


def test_a_second_save_replaces_the_first_atomically(index, tmp_path):
    first = index.save(tmp_path, encoder_id="enc@1", watermark=1)
    second = index.save(tmp_path, encoder_id="enc@1", watermark=2)
    assert read_manifest(tmp_path).watermark == 2
    assert not (tmp_path / first.version).exists() and (tmp_path / second.version).is_dir()


def test_index_of_another_encoder_is_refused(index, tmp_path):
    index.save(tmp_path, encoder_id="enc@1", watermark=1)
    with pytest.raises(IndexUnusableError, match="built by encoder enc@1"):
        VectorIndex.load(tmp_path, encoder_id="enc@2", dimension=16)
    with pytest.raises(IndexUnusableError, match="dimension 16"):
        VectorIndex.load(tmp_path, encoder_id="enc@1", dimension=32)


def test_missing_or_corrupt_index_is_refused(index, tmp_path):
    with pytest.raises(IndexUnusableError, match="no index"):
        VectorIndex.load(tmp_path, encoder_id="enc@1", dimension=16)
    manifest = index.save(tmp_path, encoder_id="enc@1", watermark=1)
    name = "lists.faiss" if index.approximate else "vectors.npy"
    (tmp_path / manifest.version / name).write_bytes(b"garbage")
    with pytest.raises(IndexUnusableError, match="unreadable"):
        VectorIndex.load(tmp_path, encoder_id="enc@1", dimension=16)
    (tmp_path / "manifest.json").write_text(json.dumps({"encoder_id": "x"}))
    with pytest.raises(IndexUnusableError, match="unreadable"):
        VectorIndex.load(tmp_path, encoder_id="enc@1", dimension=16)


def test_wrong_shapes_are_misuse():
    index = VectorIndex(4)
    with pytest.raises(ValueError, match="dimension 4"):
        index.upsert(["a"], np.zeros((1, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="duplicate"):
        index.upsert(["a", "a"], np.zeros((2, 4), dtype=np.float32))


def test_many_small_upserts_grow_the_buffer_without_losing_rows():
    """Issue 6: appends are amortised; every row stays findable and trim keeps them."""
    rng = np.random.default_rng(2)
    index = VectorIndex(8, kind="flat")
    expected = {}
    for batch in range(40):
        keys = [f"k-{batch}-{i}" for i in range(37)]
        vectors = rng.normal(size=(37, 8)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.upsert(keys, vectors)
        expected.update(zip(keys, vectors, strict=True))
    assert len(index) == 40 * 37
    index.trim()
    for key in ("k-0-0", "k-17-5", "k-39-36"):
        assert np.allclose(index.vectors([key])[0], expected[key])
        _, slots = index.search_exact(expected[key], 1)
        assert index.key_of(slots[0])[0] == key


def test_ivf_releases_float_rows_and_keeps_them_readable():
    """The inverted file holds the only copy of the rows, as half-precision floats."""
    keys, vectors = _data()
    index = VectorIndex(16, kind="ivf", lists=8)
    index.upsert(keys, vectors)
    index.build()
    assert index.approximate and index._vectors.size == 0
    assert np.allclose(index.vectors(["p-3", "p-400"]), vectors[[3, 400]], atol=1e-3)
    index.upsert(["p-new"], vectors[7:8])  # appended after the build: searchable at once
    _, slots = index.search_exact(vectors[7], 2)
    assert set(index.key_of(slots[0])) == {"p-7", "p-new"}


def test_format_1_rows_are_reused_and_rebuilt_into_lists(tmp_path):
    """An index saved by the previous format (float rows beside a graph) loads without
    re-encoding; the engine then builds the inverted file from its rows."""
    keys, vectors = _data()
    old = VectorIndex(16, kind="flat")
    old.upsert(keys, vectors)
    manifest = old.save(tmp_path, encoder_id="enc@1", watermark=3)
    path = tmp_path / "manifest.json"
    data = json.loads(path.read_text())
    data["format"], data["kind"] = 1, "hnsw"
    del data["trained_rows"]
    path.write_text(json.dumps(data))
    (tmp_path / manifest.version / "graph.faiss").write_bytes(b"an old graph, not read")
    loaded, _ = VectorIndex.load(tmp_path, encoder_id="enc@1", dimension=16, kind="ivf")
    assert loaded.needs_build and not loaded.approximate
    loaded.build()
    assert loaded.approximate and not loaded.needs_build
    _, slots = loaded.search_exact(vectors[11], 1)
    assert loaded.key_of(slots[0]) == ["p-11"]


def test_a_mapped_index_answers_like_the_one_it_was_saved_from(index, tmp_path):
    """Loaded memory-mapped and read-only (the Ray workers of a campaign), an index searches
    and reads rows exactly like the one saved, of either kind (issue 20)."""
    index.save(tmp_path, encoder_id="enc@1", watermark=4)
    mapped, manifest = VectorIndex.load(
        tmp_path, encoder_id="enc@1", dimension=16, kind=index.kind, mapped=True
    )
    assert manifest.watermark == 4 and mapped.approximate == index.approximate
    mapped.probes = index.probes  # a search setting, not saved
    queries = normalise_rows(np.random.default_rng(3).standard_normal((8, 16)))
    mask = np.zeros(index.rows, dtype=bool)
    mask[::3] = True
    for q in queries:
        for search in ("search_exact", "search_approximate"):
            want_scores, want = getattr(index, search)(q, 10)
            got_scores, got = getattr(mapped, search)(q, 10)
            assert got.tolist() == want.tolist()
            np.testing.assert_allclose(got_scores, want_scores, rtol=1e-6)
        _, want = index.search_approximate(q, 10, mask)
        _, got = mapped.search_approximate(q, 10, mask)
        assert got.tolist() == want.tolist()
    assert np.array_equal(mapped.vectors(["p-7", "p-9"]), index.vectors(["p-7", "p-9"]))


def test_lists_found_elsewhere_build_the_same_inverted_file(tmp_path):
    """A build that finds each row's list through ``assign`` (Ray workers, issue 20) writes
    the same inverted file as one whose lists FAISS found itself: the saved files are
    byte-identical and the lists really came from ``assign``."""
    from matcher.index.vectors import nearest_lists

    keys, vectors = _data(n=3000, seed=4)
    asked: list[int] = []

    def assign(centroids, rows):
        asked.append(len(rows))
        return nearest_lists(centroids, rows)

    files = []
    for name, how in (("here", None), ("elsewhere", assign)):
        index = VectorIndex(16, kind="ivf", lists=24)
        index.upsert(keys, vectors)
        index.build(how)
        index.save(tmp_path / name, encoder_id="enc@1", watermark=1)
        version = read_manifest(tmp_path / name).version
        files.append((tmp_path / name / version / "lists.faiss").read_bytes())
    assert asked == [3000]
    assert files[0] == files[1]
