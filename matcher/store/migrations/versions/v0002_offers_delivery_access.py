"""Offers and delivery: the outbox, API keys, offer details and request fingerprints for
idempotent creates, and the adviser responsible for a graduate.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("offer_id", sa.String(length=64), nullable=False),
        sa.Column("endpoint", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_outbox_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("message", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))

    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("adviser_id", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("desired_codes", sa.String(length=1000), server_default="", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_graduates_adviser_id"), ["adviser_id"], unique=False)

    _backfill_graduates()

    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.JSON(), server_default="{}", nullable=False))
        batch_op.add_column(sa.Column("created_by", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_offers_created_at"), ["created_at"], unique=False)


def _backfill_graduates() -> None:
    """Fill the new graduate columns from the stored records."""
    conn = op.get_bind()
    table = sa.table(
        "graduates",
        sa.column("id", sa.String),
        sa.column("data", sa.JSON),
        sa.column("adviser_id", sa.String),
        sa.column("desired_codes", sa.String),
    )
    updates = []
    for gid, data in conn.execute(sa.select(table.c.id, table.c.data)):
        codes = (data.get("desired") or {}).get("region_codes") or []
        if codes or data.get("adviser"):
            updates.append(
                {
                    "_id": gid,
                    "adviser_id": data.get("adviser"),
                    "desired_codes": f",{','.join(codes)}," if codes else "",
                }
            )
    if updates:
        conn.execute(
            table.update()
            .where(table.c.id == sa.bindparam("_id"))
            .values(
                adviser_id=sa.bindparam("adviser_id"), desired_codes=sa.bindparam("desired_codes")
            ),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offers_created_at"))
        batch_op.drop_column("created_by")
        batch_op.drop_column("detail")
        batch_op.drop_column("request_hash")

    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduates_adviser_id"))
        batch_op.drop_column("desired_codes")
        batch_op.drop_column("adviser_id")

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("error")
        batch_op.drop_column("message")
        batch_op.drop_column("request_hash")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_offer_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_next_attempt_at"))

    op.drop_table("outbox")
    op.drop_table("api_keys")
