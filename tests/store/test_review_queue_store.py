"""Issue #19, item 5 in the store (SQLite and PostgreSQL): the queue sorted by the confidence
stored at flagging time and paged by (confidence, id); many postings decided at once, each
checked against the stored record; the confirmed decisions exported as labelled data; the
classifier's scores folded into the confidence; the migration fills in older postings."""

import pytest
import sqlalchemy as sa

from matcher.compliance.confidence import confidence, prior
from matcher.errors import ValidationError
from matcher.records.prepare import prepare
from matcher.store import migrate, review_queue, reviews, tables
from matcher.store.db import create_engine
from tests.conftest import position

#: flagged categories of each posting, most certain first (ties by id)
POSTINGS = {
    "p-many": "限男性，35岁以下，入职需交押金500元。",  # gender, age, fees_fraud
    "p-height": "身高165以上。",  # appearance
    "p-height2": "五官端正。",  # appearance: the same figure, after p-height by id
    "p-age": "年龄35岁以下。",  # age
    "p-health": "乙肝携带者勿扰。",  # health
}
ORDER = ["p-many", "p-height", "p-height2", "p-age", "p-health"]


def _put(store, descriptions):
    store.upsert(
        "positions",
        [prepare("positions", position(pid, description=d)) for pid, d in descriptions.items()]
        + [prepare("positions", position("p-clean"))],
    )


def _ids(items):
    return [i["id"] for i in items]


def test_the_queue_is_sorted_by_the_confidence_stored_when_flagged(any_store):
    _put(any_store, POSTINGS)
    where = reviews.flagged_filters("pending")
    items, cursor = review_queue.queue_page(any_store, where, None, 50)
    assert _ids(items) == ORDER and cursor is None
    figures = [i["compliance"]["confidence"] for i in items]
    assert figures == sorted(figures, reverse=True) and all(0 < f < 1 for f in figures)
    assert figures[0] == pytest.approx(
        1 - (1 - prior("gender")) * (1 - prior("age")) * (1 - prior("fees_fraud")), abs=1e-4
    )
    assert figures[1] == figures[2] == pytest.approx(prior("appearance"), abs=1e-4)
    assert "compliance" not in any_store.get("positions", "p-clean")


def test_keyset_pages_give_the_same_order_without_gaps_or_repeats(any_store):
    _put(any_store, POSTINGS)
    where = reviews.flagged_filters("pending")
    seen, cursor = [], None
    while True:
        items, cursor = review_queue.queue_page(any_store, where, cursor, 2)
        seen += _ids(items)
        if cursor is None:
            break
    assert seen == ORDER
    for bad in ("nope", "0.5", "nan:p-1", "inf:p-1", ":p-1"):
        with pytest.raises(ValueError, match="next_cursor"):
            review_queue.queue_page(any_store, where, bad, 2)


def test_bulk_review_answers_each_id_and_changes_only_pending_postings(any_store):
    _put(any_store, POSTINGS)
    reviews.review(any_store, "p-age", "clear", "岗位需要，已核实")
    mark = any_store.watermark()
    done = review_queue.review_many(
        any_store,
        ["p-many", "p-height", "p-age", "p-clean", "p-nope", "p-many"],
        "reject",
        "确认违规",
        "bureau:k1",
    )
    assert done["done"] == ["p-many", "p-height"]
    failed = {(f["id"], f["code"]) for f in done["failed"]}
    assert failed == {
        ("p-age", "already_reviewed"),
        ("p-clean", "not_flagged"),
        ("p-nope", "not_found"),
        ("p-many", "duplicate"),
    }
    assert all(f["detail"] and f["detail_zh"] for f in done["failed"])
    assert any_store.get("positions", "p-age")["compliance"]["status"] == "cleared"  # kept
    rejected = any_store.get("positions", "p-many")["compliance"]
    assert (rejected["status"], rejected["reviewed_by"], rejected["reason"]) == (
        "rejected",
        "bureau:k1",
        "确认违规",
    )
    assert any_store.watermark() > mark  # a running engine follows the decisions
    with any_store.engine.connect() as conn:
        audit = conn.execute(
            sa.select(tables.audit_log.c.entity_id, tables.audit_log.c.action).where(
                tables.audit_log.c.detail.is_not(None)
            )
        ).all()
    assert ("p-many", "compliance_reject") in audit and ("p-height", "compliance_reject") in audit
    with pytest.raises(ValidationError):
        review_queue.review_many(any_store, ["p-health"], "clear", "  ", "bureau:k1")
    again = review_queue.review_many(any_store, ["p-many"], "clear", "改判", "bureau:k1")
    assert again["done"] == [] and again["failed"][0]["code"] == "already_reviewed"


def test_confirmed_decisions_are_exported_as_labelled_data(any_store):
    _put(any_store, POSTINGS)
    review_queue.review_many(any_store, ["p-many"], "reject", "确认违规", "bureau")
    review_queue.review_many(any_store, ["p-height"], "clear", "舞蹈演员岗位", "bureau")
    pairs = list(review_queue.decisions(any_store, batch=1))
    labels = {label["id"]: label for label, _ in pairs}
    assert set(labels) == {"p-many", "p-height"}  # pending ones are not decisions yet
    assert labels["p-many"]["flags"] == ["gender", "age", "fees_fraud"]
    assert labels["p-many"]["evidence"]["gender"] == "限男性"
    postings = {p["id"]: p for _, p in pairs}
    assert postings["p-many"]["description"] == POSTINGS["p-many"]
    for label, record in pairs:
        for category, words in label["evidence"].items():
            assert words in record["description"], category
    assert labels["p-height"] == {"id": "p-height", "flags": [], "evidence": {}}


def test_the_classifier_scores_fold_into_the_stored_confidence(any_store):
    _put(any_store, POSTINGS)

    def doubtful(records):  # a model that does not believe the appearance findings
        return [
            {"appearance": 0.0, "gender": 1.0, "age": 1.0, "fees_fraud": 1.0, "health": 1.0}
            for _ in records
        ]

    assert review_queue.rescore(any_store, doubtful) == 5
    items, _ = review_queue.queue_page(any_store, reviews.flagged_filters("pending"), None, 50)
    assert _ids(items)[-2:] == ["p-height", "p-height2"]  # now the least certain
    height = any_store.get("positions", "p-height")["compliance"]["confidence"]
    assert height == confidence([{"category": "appearance"}], {"appearance": 0.0})
    assert review_queue.rescore(any_store, doubtful) == 0  # nothing changes twice


def test_migration_0007_fills_in_the_confidence_of_postings_flagged_before(settings):
    engine = create_engine(settings.resolved_database_url)
    migrate.upgrade(engine, "0006")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO positions (id, title, kind, status, flagged, content_hash, seq, "
                "data, created_at, updated_at, review_status, flag_categories) VALUES ('old', "
                "'t', 'full_time', 'open', 1, 'h', 1, '{}', '2022-01-01', '2022-01-01', "
                "'pending', ',gender,age,')"
            )
        )
    assert migrate.upgrade(engine) == migrate.head_revision()
    with engine.connect() as conn:
        figure = conn.execute(sa.text("SELECT review_confidence FROM positions")).scalar_one()
    assert figure == confidence([{"category": "gender"}, {"category": "age"}])
    assert migrate.downgrade(engine, "0006") == "0006"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("positions")}
    assert "review_confidence" not in columns
    engine.dispose()
