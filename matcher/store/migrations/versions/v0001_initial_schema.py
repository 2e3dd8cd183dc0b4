"""Initial schema: employers, positions, graduates, trainings, offers, campaigns, plans,
plan items, feedback events, audit log and the change counter.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 07:40:16.863026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("segment", sa.JSON(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_campaigns_idempotency_key")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_status"), ["status"], unique=False)

    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    op.bulk_insert(counters, [{"name": "seq", "value": 0}])
    op.create_table(
        "employers",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("industry", sa.String(length=200), nullable=True),
        sa.Column("district_code", sa.String(length=12), nullable=True),
        sa.Column("blacklisted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("blacklist_reason", sa.Text(), nullable=True),
        sa.Column("blacklisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_employers_credit_code")),
    )
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employers_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_employers_seq"), ["seq"], unique=False)

    op.create_table(
        "feedback_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("graduate_id", sa.String(length=128), nullable=False),
        sa.Column("position_id", sa.String(length=128), nullable=False),
        sa.Column("offer_id", sa.String(length=64), nullable=True),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_events")),
    )
    with op.batch_alter_table("feedback_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_events_graduate_id"), ["graduate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_events_position_id"), ["position_id"], unique=False
        )

    op.create_table(
        "graduates",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("school", sa.String(length=200), nullable=True),
        sa.Column("major", sa.String(length=200), nullable=True),
        sa.Column("major_code", sa.String(length=12), nullable=True),
        sa.Column("degree", sa.SmallInteger(), nullable=True),
        sa.Column("graduation_year", sa.SmallInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("district_code", sa.String(length=12), nullable=True),
        sa.Column("support", sa.String(length=200), server_default="", nullable=False),
        sa.Column("needs_support", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("consent_push", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graduates")),
    )
    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_graduates_graduation_year"), ["graduation_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_graduates_major_code"), ["major_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_graduates_needs_support"), ["needs_support"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_graduates_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_graduates_status"), ["status"], unique=False)

    op.create_table(
        "trainings",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainings")),
    )
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainings_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainings_seq"), ["seq"], unique=False)

    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("graduate_id", sa.String(length=128), nullable=False),
        sa.Column("adviser_id", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduates.id"], name=op.f("fk_plans_graduate_id_graduates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_adviser_id"), ["adviser_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_graduate_id"), ["graduate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_status"), ["status"], unique=False)

    op.create_table(
        "positions",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("employer_id", sa.String(length=128), nullable=True),
        sa.Column("city", sa.String(length=64), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("education_min", sa.SmallInteger(), nullable=True),
        sa.Column("experience_min_years", sa.SmallInteger(), nullable=True),
        sa.Column("salary_monthly_min", sa.Float(), nullable=True),
        sa.Column("salary_monthly_max", sa.Float(), nullable=True),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("posted_at", sa.Date(), nullable=True),
        sa.Column("expires_at", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("flagged", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_positions_employer_id_employers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
    )
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_positions_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_positions_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_positions_industry_code"), ["industry_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_positions_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_positions_posted_at"), ["posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_positions_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_positions_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_positions_status"), ["status"], unique=False)

    op.create_table(
        "offers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("graduate_id", sa.String(length=128), nullable=False),
        sa.Column("position_id", sa.String(length=128), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=True),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_offers_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduates.id"], name=op.f("fk_offers_graduate_id_graduates")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["positions.id"], name=op.f("fk_offers_position_id_positions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
        sa.UniqueConstraint("graduate_id", "position_id", name="uq_offers_graduate_position"),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_offers_idempotency_key")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offers_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offers_position_id"), ["position_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offers_status"), ["status"], unique=False)

    op.create_table(
        "plan_items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("rank", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_items_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
    )
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_items_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_items_plan_id"))

    op.drop_table("plan_items")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offers_status"))
        batch_op.drop_index(batch_op.f("ix_offers_position_id"))
        batch_op.drop_index(batch_op.f("ix_offers_campaign_id"))

    op.drop_table("offers")
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_status"))
        batch_op.drop_index(batch_op.f("ix_positions_seq"))
        batch_op.drop_index(batch_op.f("ix_positions_region_code"))
        batch_op.drop_index(batch_op.f("ix_positions_posted_at"))
        batch_op.drop_index(batch_op.f("ix_positions_kind"))
        batch_op.drop_index(batch_op.f("ix_positions_industry_code"))
        batch_op.drop_index(batch_op.f("ix_positions_expires_at"))
        batch_op.drop_index(batch_op.f("ix_positions_employer_id"))

    op.drop_table("positions")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_status"))
        batch_op.drop_index(batch_op.f("ix_plans_graduate_id"))
        batch_op.drop_index(batch_op.f("ix_plans_adviser_id"))

    op.drop_table("plans")
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainings_seq"))
        batch_op.drop_index(batch_op.f("ix_trainings_region_code"))

    op.drop_table("trainings")
    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduates_status"))
        batch_op.drop_index(batch_op.f("ix_graduates_seq"))
        batch_op.drop_index(batch_op.f("ix_graduates_needs_support"))
        batch_op.drop_index(batch_op.f("ix_graduates_major_code"))
        batch_op.drop_index(batch_op.f("ix_graduates_graduation_year"))

    op.drop_table("graduates")
    with op.batch_alter_table("feedback_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_events_position_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_events_graduate_id"))

    op.drop_table("feedback_events")
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employers_seq"))
        batch_op.drop_index(batch_op.f("ix_employers_name"))

    op.drop_table("employers")
    op.drop_table("counters")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_status"))

    op.drop_table("campaigns")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
