"""Training institutions' courses (``trainings.partner_id``), the records partners sent that
were refused (``rejected_records``), and field provenance of every stored record: who created
it (``created_by``) and who last changed each field since, and when (``changed_by``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

RECORDS = ("employers", "positions", "graduates", "trainings")


def upgrade() -> None:
    for table in RECORDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("created_by", sa.String(200), nullable=True))
            batch_op.add_column(sa.Column("changed_by", sa.JSON(), nullable=True))
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.String(100), nullable=True))
        batch_op.create_index(batch_op.f("ix_trainings_partner_id"), ["partner_id"], unique=False)
    op.create_table(
        "rejected_records",
        sa.Column("partner_id", sa.String(100), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("entity", sa.String(24), nullable=False),
        sa.Column("ref", sa.String(160), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "partner_id", "month", "entity", "ref", name=op.f("pk_rejected_records")
        ),
    )


def downgrade() -> None:
    op.drop_table("rejected_records")
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainings_partner_id"))
        batch_op.drop_column("partner_id")
    for table in RECORDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("changed_by")
            batch_op.drop_column("created_by")
