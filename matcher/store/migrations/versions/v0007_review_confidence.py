"""The review queue at scale (issue #19, item 5): how sure the screener is that a flagged
posting breaks the rules, kept beside its flags so that the bureau's queue is listed most
certain first and paged by (confidence, id). Postings flagged before this revision get the
figure of their flagged categories.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from matcher.compliance.confidence import confidence

    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_confidence", sa.Float(), nullable=True))
        batch_op.create_index(
            "ix_positions_review_queue", ["review_status", "review_confidence", "id"], unique=False
        )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, flag_categories FROM positions WHERE review_status IS NOT NULL")
    ).all()
    update = sa.text("UPDATE positions SET review_confidence = :c WHERE id = :id")
    values = [
        {"id": pid, "c": confidence([{"category": c} for c in (cats or "").split(",") if c])}
        for pid, cats in rows
    ]
    for start in range(0, len(values), 1000):
        conn.execute(update, values[start : start + 1000])


def downgrade() -> None:
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_index("ix_positions_review_queue")
        batch_op.drop_column("review_confidence")
