"""Log what was shown (issue #18, item 3): one row per recommendation list served, with its
items as a JSON array, so that later feedback can be joined to the lists it followed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impressions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("graduate_id", sa.String(length=128), nullable=False),
        sa.Column("surface", sa.String(length=16), nullable=False),
        sa.Column("ranker", sa.String(length=64), nullable=False),
        sa.Column("context", sa.String(length=64), nullable=True),
        sa.Column("explored", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("swap", sa.SmallInteger(), nullable=True),
        sa.Column("explore_rate", sa.Float(), server_default="0", nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impressions")),
    )
    with op.batch_alter_table("impressions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impressions_graduate_id"), ["graduate_id"], unique=False
        )
        batch_op.create_index("ix_impressions_served_at", ["served_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("impressions", schema=None) as batch_op:
        batch_op.drop_index("ix_impressions_served_at")
        batch_op.drop_index(batch_op.f("ix_impressions_graduate_id"))
    op.drop_table("impressions")
