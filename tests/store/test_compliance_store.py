"""Issue #7 workflow in the store (SQLite and PostgreSQL): screening at ingestion and on
update, the bureau's review with its audit trail, blacklist proposals, and rescreening."""

import pytest
import sqlalchemy as sa

from matcher.errors import ConflictError, NotFoundError, ValidationError
from matcher.records.prepare import prepare
from matcher.store import migrate, reviews, tables
from matcher.store.db import create_engine
from tests.conftest import position

BIASED = "负责后端开发。任职要求：限男性，35岁以下。"


def _put(store, *records):
    return store.upsert("positions", [prepare("positions", r) for r in records])


def _audit(store):
    with store.engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(sa.select(tables.audit_log).order_by(tables.audit_log.c.id))
            .mappings()
            .all()
        ]


def test_postings_are_screened_when_stored(any_store):
    counts = _put(any_store, position("p-1"), position("p-2", description=BIASED))
    assert (counts.flagged, counts.flagged_ids) == (1, ["p-2"])
    assert any_store.get("positions", "p-1")["flagged"] is False
    assert "compliance" not in any_store.get("positions", "p-1")
    flagged = any_store.get("positions", "p-2")
    assert flagged["flagged"] is True
    review = flagged["compliance"]
    assert review["status"] == "pending" and review["categories"] == ["gender", "age"]
    first = review["flags"][0]
    assert first["match"] == "限男性" and first["field"] == "description"
    assert BIASED[first["start"] : first["end"]] == "限男性"
    assert first["rule"] and first["basis"].startswith("《") and first["rewrite"]


def test_a_clearance_survives_unchanged_reingest_and_resets_when_changed(any_store):
    _put(any_store, position("p-1", description=BIASED))
    reviews.review(any_store, "p-1", "clear", "已核实，岗位为井下作业", actor="王科长")
    _put(any_store, position("p-1", description=BIASED))  # same content again
    kept = any_store.get("positions", "p-1")
    assert kept["flagged"] is False and kept["compliance"]["status"] == "cleared"
    assert kept["compliance"]["reviewed_by"] == "王科长"

    _put(any_store, position("p-1", description=BIASED + "五险一金。"))  # changed, flagged again
    again = any_store.get("positions", "p-1")
    assert again["flagged"] is True and again["compliance"]["status"] == "pending"
    assert again["compliance"]["reviewed_by"] is None

    _put(any_store, position("p-1", description="负责后端开发，男女不限。"))  # fixed
    fixed = any_store.get("positions", "p-1")
    assert fixed["flagged"] is False and "compliance" not in fixed


def test_review_changes_the_watermark_and_writes_the_audit_log(any_store):
    _put(any_store, position("p-1", description=BIASED))
    mark = any_store.watermark()
    done = reviews.review(any_store, "p-1", "reject", "确认性别、年龄歧视", actor="bureau-7")
    assert done["flagged"] is True and done["compliance"]["status"] == "rejected"
    assert any_store.watermark() > mark
    mark = any_store.watermark()
    reviews.review(any_store, "p-1", "reject", "again")  # same decision: nothing changes
    assert any_store.watermark() == mark
    log = _audit(any_store)
    assert len(log) == 1
    assert (log[0]["action"], log[0]["entity_id"], log[0]["actor"]) == (
        "compliance_reject",
        "p-1",
        "bureau-7",
    )
    assert log[0]["detail"] == {
        "reason": "确认性别、年龄歧视",
        "from": "pending",
        "categories": ["gender", "age"],
    }


def test_review_refuses_bad_requests(any_store):
    _put(any_store, position("p-1"), position("p-2", description=BIASED))
    with pytest.raises(ConflictError, match="no compliance flags"):
        reviews.review(any_store, "p-1", "clear", "ok")
    with pytest.raises(NotFoundError):
        reviews.review(any_store, "nope", "clear", "ok")
    with pytest.raises(ValidationError, match="reason") as info:
        reviews.review(any_store, "p-2", "clear", "   ")
    assert info.value.field == "reason"
    with pytest.raises(ValueError, match="clear' or 'reject"):
        reviews.review(any_store, "p-2", "ignore", "x")  # type: ignore[arg-type]
    assert any_store.get("positions", "p-2")["compliance"]["status"] == "pending"


def test_listing_filters_by_status_category_and_employer(any_store):
    _put(
        any_store,
        position("p-1", description="身高160cm以上"),
        position("p-2", description=BIASED),
        position("p-3", description="限未婚", employer={"name": "重庆另一家公司"}),
        position("p-4"),
    )
    reviews.review(any_store, "p-2", "clear", "ok")

    def ids(**kw):
        items, _ = any_store.list("positions", where=reviews.flagged_filters(**kw))
        return [p["id"] for p in items]

    assert ids() == ["p-1", "p-3"]
    assert ids(status="cleared") == ["p-2"]
    assert ids(status=None) == ["p-1", "p-2", "p-3"]
    assert ids(status=None, category="age") == ["p-2"]
    assert ids(status=None, category="marriage_childbearing") == ["p-3"]
    employer = any_store.get("positions", "p-3")["employer_id"]
    assert ids(employer_id=employer) == ["p-3"]
    with pytest.raises(ValueError, match="unknown category"):
        reviews.flagged_filters(category="politics")


def test_repeated_confirmed_violations_propose_the_employer(any_store):
    bad = {"name": "重庆屡犯科技有限公司"}
    _put(
        any_store,
        position("p-1", description=BIASED, employer=bad),
        position("p-2", description="需缴纳押金500元", employer=bad),
        position("p-3", description="身高165以上", employer=bad),
        position("p-4", description=BIASED, employer={"name": "重庆初犯公司"}),
    )
    for pid in ("p-1", "p-2", "p-4"):
        reviews.review(any_store, pid, "reject", "确认违规")
    reviews.review(any_store, "p-3", "clear", "已改正")
    proposals = reviews.blacklist_proposals(any_store)
    assert [(p.name, p.violations, p.position_ids) for p in proposals] == [
        ("重庆屡犯科技有限公司", 2, ["p-1", "p-2"])
    ]
    assert proposals[0].categories == {"gender": 1, "age": 1, "fees_fraud": 1}
    assert len(reviews.blacklist_proposals(any_store, min_violations=1)) == 2
    employer = reviews.set_blacklisted(any_store, proposals[0].employer_id, True, "多次违规")
    assert employer["blacklisted"] is True and employer["blacklist_reason"] == "多次违规"
    assert [p.name for p in reviews.blacklist_proposals(any_store, 1)] == ["重庆初犯公司"]
    with pytest.raises(ValidationError, match="reason"):
        reviews.set_blacklisted(any_store, proposals[0].employer_id, False, "")
    assert any_store.get("employers", proposals[0].employer_id)["blacklisted"] is True
    reviews.set_blacklisted(any_store, proposals[0].employer_id, False, "整改完成")
    assert [e["action"] for e in _audit(any_store)][-2:] == ["blacklist", "clear_blacklist"]


def test_rescreen_flags_old_postings_and_keeps_reviews_of_unchanged_findings(any_store):
    _put(any_store, position("p-1", description=BIASED), position("p-2", description="五官端正"))
    reviews.review(any_store, "p-2", "clear", "礼仪岗位，已核实")
    with any_store.engine.begin() as conn:  # p-1 as stored before screening existed
        conn.execute(
            sa.update(tables.positions)
            .where(tables.positions.c.id == "p-1")
            .values(flagged=False, compliance_flags=None, flag_categories=None, review_status=None)
        )
    mark = any_store.watermark()
    report = reviews.rescreen(any_store, batch=1)
    assert (report.screened, report.newly_flagged, report.unchanged) == (2, 1, 1)
    assert report.changed_ids == ["p-1"] and any_store.watermark() > mark
    assert any_store.get("positions", "p-1")["compliance"]["status"] == "pending"
    assert any_store.get("positions", "p-2")["compliance"]["status"] == "cleared"
    assert reviews.rescreen(any_store).unchanged == 2


def test_migration_0002_adds_the_review_columns(settings):
    engine = create_engine(settings.resolved_database_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO positions (id, title, kind, status, flagged, content_hash, seq, "
                "data, created_at, updated_at) VALUES ('old', 't', 'full_time', 'open', 1, 'h', "
                "1, '{}', '2022-01-01', '2022-01-01')"
            )
        )
    assert migrate.upgrade(engine) == migrate.head_revision()
    with engine.connect() as conn:
        status = conn.execute(sa.text("SELECT review_status FROM positions")).scalar_one()
    assert status == "pending"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("positions")}
    assert {"compliance_flags", "flag_categories", "review_status", "reviewed_by"} <= columns
    assert migrate.downgrade(engine, "0001") == "0001"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("positions")}
    assert "review_status" not in columns
    engine.dispose()
