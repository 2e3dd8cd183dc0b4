"""One-time sign-in links for graduates' own pages: only the hash of a link's token is kept,
with the graduate, who issued it, when it expires, and when it was used or revoked.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "graduate_links",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("graduate_id", sa.String(128), nullable=False),
        sa.Column("issued_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graduate_links")),
    )
    with op.batch_alter_table("graduate_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_graduate_links_graduate_id"), ["graduate_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("graduate_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_links_graduate_id"))
    op.drop_table("graduate_links")
