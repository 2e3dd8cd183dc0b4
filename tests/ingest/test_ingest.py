"""Streaming ingestion: per-line errors, rejects files, reruns, CSV."""

import json

from matcher.ingest.files import ingest_file
from tests.conftest import graduate, position, write_jsonl

BROKEN_LINES = [
    position("p-1"),
    '{"id": "p-2", "title": "会计", ',  # line 2: bad JSON
    position("p-3", title=None),  # line 3: missing title
    position("p-4", kind="gig"),  # line 4: unknown kind
    position("p-5", salary={"min": "很多", "max": 9000}),  # line 5: salary that is no figure
    position("p-6"),
    "",  # blank lines are skipped
    position("p-7", location={"code": "500105"}),
]


def test_good_lines_load_and_each_bad_line_is_reported(any_store, tmp_path):
    path = write_jsonl(tmp_path / "positions.jsonl", BROKEN_LINES)
    report = ingest_file(any_store, "positions", path, batch_size=2)
    assert report.counts.inserted == 3
    assert any_store.count("positions") == 3
    assert [(r.line, r.record_id, r.field) for r in report.rejected] == [
        (2, None, "record"),
        (3, "p-3", "title"),
        (4, "p-4", "kind"),
        (5, "p-5", "salary.min"),
    ]
    assert "invalid JSON" in report.rejected[0].message
    rejects = [json.loads(x) for x in report.rejects_path.read_text().splitlines()]
    assert report.rejects_path == tmp_path / "positions.jsonl.rejects.jsonl"
    assert [r["line"] for r in rejects] == [2, 3, 4, 5]
    assert rejects[3]["errors"][0]["field"] == "salary.min"
    assert rejects[3]["record"] == position("p-5", salary={"min": "很多", "max": 9000})
    assert rejects[0]["raw"] == '{"id": "p-2", "title": "会计",'  # not JSON: the text as read
    assert "rejected 4" in report.summary()


def test_rerun_reports_everything_unchanged_and_keeps_what_was_stored(any_store, tmp_path):
    path = write_jsonl(tmp_path / "positions.jsonl", [position("p-1"), position("p-2")])
    ingest_file(any_store, "positions", path)
    again = ingest_file(any_store, "positions", path)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    write_jsonl(path, [position("p-1", title="高级Java工程师"), position("p-2", kind="bad")])
    third = ingest_file(any_store, "positions", path)
    assert third.counts.updated == 1 and len(third.rejected) == 1
    assert any_store.get("positions", "p-2")["kind"] == "full_time"  # bad update stored nothing


def test_rejects_file_is_removed_when_a_rerun_is_clean(store, tmp_path):
    path = write_jsonl(tmp_path / "g.jsonl", [graduate("g-1", degree="小学")])
    assert ingest_file(store, "graduates", path).rejects_path is not None
    write_jsonl(path, [graduate("g-1")])
    report = ingest_file(store, "graduates", path)
    assert report.rejects_path is None
    assert not (tmp_path / "g.jsonl.rejects.jsonl").exists()


def test_csv_with_dotted_columns_and_list_cells(store, tmp_path):
    path = tmp_path / "positions.csv"
    path.write_text(
        "id,title,kind,location.district,salary.min,salary.max,skills,headcount,employer.name\n"
        "c-1,前端开发,full_time,江北区,5000,8000,Vue|JavaScript,2,重庆某网络公司\n"
        "c-2,见习生,traineeship,500103,2000,2000,Office;沟通,十来个,重庆某公司\n"
        "c-3,会计,full_time,南岸区,abc,6000,,1,重庆某公司\n",
        encoding="utf-8",
    )
    report = ingest_file(store, "positions", path)
    assert report.counts.inserted == 1
    assert [(r.line, r.field) for r in report.rejected] == [(3, "headcount"), (4, "salary.min")]
    stored = store.get("positions", "c-1")
    assert stored["skills"] == ["Vue", "JavaScript"]
    assert stored["location"]["code"] == "500105"
    assert stored["salary"] == {"min": 5000.0, "max": 8000.0, "unit": "month"}


def test_read_only_input_folder_sends_rejects_to_the_data_dir(store, tmp_path, monkeypatch):
    path = write_jsonl(tmp_path / "p.jsonl", [position("p-1", kind="gig")])
    monkeypatch.setattr("matcher.ingest.files.os.access", lambda *_: False)
    report = ingest_file(store, "positions", path, rejects_dir=tmp_path / "rejects")
    assert report.rejects_path == tmp_path / "rejects" / "p.jsonl.rejects.jsonl"
    assert report.rejects_path.is_file()


def test_parallel_preparation_stores_exactly_what_one_process_stores(tmp_path):
    """Issue 6: worker processes parse, validate and screen; the result, the rejects (with
    their raw lines) and the compliance flags are those of a sequential run, in file order."""
    from matcher.config import Settings
    from matcher.store import Store

    lines = (
        BROKEN_LINES
        + [
            position("p-8", description="限男性，年龄25岁以下"),  # flagged by the screener
            position("p-1", title="会计（更新）"),  # a later line replaces an earlier one
        ]
        * 3
    )
    path = write_jsonl(tmp_path / "positions.jsonl", lines)
    stored = []
    for workers in (0, 2):
        store = Store.open(Settings.from_env(env={}, data_dir=tmp_path / f"w{workers}"))
        report = ingest_file(store, "positions", path, batch_size=3, workers=workers)
        records = store.get_many("positions", [f"p-{i}" for i in range(1, 9)])
        stored.append(
            (
                [(r.line, r.record_id, r.field, r.message, r.raw) for r in report.rejected],
                report.counts.inserted,
                report.counts.updated,
                report.counts.flagged,
                {
                    pid: (r["title"], r["flagged"], r.get("compliance"))
                    for pid, r in records.items()
                },
            )
        )
        store.close()
    assert stored[0] == stored[1]
    assert stored[0][3] == 1 and stored[0][4]["p-8"][1] is True
    assert stored[0][4]["p-1"][0] == "会计（更新）"
