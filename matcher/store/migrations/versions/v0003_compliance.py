"""Compliance review of postings: the screener's flags, their categories and the bureau's
decision (pending, cleared, rejected) with who made it, when and why.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("compliance_flags", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("flag_categories", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("review_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("review_reason", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_positions_review_status"), ["review_status"], unique=False
        )
    # postings flagged before screening existed wait for a review; `matcher compliance
    # rescreen` screens the stored postings with the current rules
    op.execute(
        sa.text("UPDATE positions SET review_status = 'pending' WHERE flagged = :yes").bindparams(
            yes=True
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_positions_review_status"))
        batch_op.drop_column("review_reason")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("review_status")
        batch_op.drop_column("flag_categories")
        batch_op.drop_column("compliance_flags")
