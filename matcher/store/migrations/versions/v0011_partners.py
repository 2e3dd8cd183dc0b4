"""The bureau's partners (universities, employers, agencies, training institutions): one row
each, unique by kind and code, with the districts served, a contact and whether it is active.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("code", sa.String(18), nullable=False),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("contact", sa.String(200), server_default="", nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_reason", sa.String(500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("kind", "code", name="uq_partners_kind_code"),
    )


def downgrade() -> None:
    op.drop_table("partners")
