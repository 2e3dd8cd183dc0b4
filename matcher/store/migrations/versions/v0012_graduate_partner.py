"""Which registered university supplies a graduate's record (``partner_id``), so that a
university's key reads and updates its own graduates only.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.String(100), nullable=True))
        batch_op.create_index(batch_op.f("ix_graduates_partner_id"), ["partner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduates_partner_id"))
        batch_op.drop_column("partner_id")
