"""Whether the university that supplied a graduate's profile may see it
(``graduates.share_school``, from the graduate's ``consent.share.school``). The default is to
share, so rows start true, and those whose stored profile says otherwise (a database that went
down to 0015 and up again) are set from it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_school", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    said_no = {
        "postgresql": "CAST(data AS JSONB) -> 'consent' -> 'share' ->> 'school' = 'false'",
        "sqlite": "json_extract(data, '$.consent.share.school') = 0",
    }.get(op.get_bind().dialect.name)
    if said_no:
        op.execute(f"UPDATE graduates SET share_school = false WHERE {said_no}")


def downgrade() -> None:
    with op.batch_alter_table("graduates", schema=None) as batch_op:
        batch_op.drop_column("share_school")
