"""Advisers' contact details (name, phone, office, hours) shown to the graduates they advise.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adviser_contacts",
        sa.Column("adviser_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("office", sa.String(200), server_default="", nullable=False),
        sa.Column("hours", sa.String(100), server_default="", nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("adviser_id", name=op.f("pk_adviser_contacts")),
    )


def downgrade() -> None:
    op.drop_table("adviser_contacts")
