"""Ingestion of the real posting files in ../shared/data (skipped where that folder is absent)."""

import pytest

from matcher.ingest.files import ingest_file

pytestmark = pytest.mark.shared


def test_real_it_postings_load_completely_then_rerun_unchanged(any_store, shared_data):
    path = shared_data / "postings" / "it-4cities.jsonl"
    first = ingest_file(any_store, "positions", path, batch_size=2000)
    assert first.rejected == []
    assert (first.lines, first.counts.inserted) == (44_016, 44_016)
    assert any_store.count("positions") == 44_016
    again = ingest_file(any_store, "positions", path, batch_size=2000)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 44_016)
    by_city = {r["location"]["city"] for (r,) in [(any_store.get("positions", "js-00000"),)]}
    assert by_city == {"北京"}


def test_real_mixed_postings_and_dev_graduates_load(store, shared_data):
    mixed = ingest_file(store, "positions", shared_data / "postings" / "shanghai-mixed.jsonl")
    assert mixed.rejected == [] and mixed.counts.inserted == 1_603
    day_paid = store.get("positions", "sh-0000")
    assert day_paid["salary"]["unit"] == "day"
    assert day_paid["location"]["code"] == "310120"  # 奉贤区
    grads = ingest_file(store, "graduates", shared_data / "eval" / "dev" / "graduates.jsonl")
    assert grads.rejected == [] and grads.counts.inserted == 60
    assert store.get("graduates", "d001")["major_code"] == "080902"


def test_every_real_zhilian_posting_is_stored_xian_included(store, shared_data):
    """Issue 15, point 12: 西安 in a city field is the provincial capital, not a district."""
    path = shared_data / "postings" / "mixed-zhilian2022.jsonl"
    report = ingest_file(store, "positions", path, batch_size=2000)
    assert report.rejected == []
    assert report.counts.inserted == 26_432 == store.count("positions")
    xian = [p for p in store.list("positions", limit=500)[0] if p["location"].get("city") == "西安"]
    codes = {p["location"]["code"][:4] for p in store.get_many("positions", ["mx-025440"]).values()}
    assert codes == {"6101"}  # 西安市, 陕西省
    assert all(p["location"]["code"].startswith("6101") for p in xian)
