"""Each graduate's month-by-month history (status, wished kinds and places, support flags,
who set the status) and universities' monthly destination reports. Existing graduates get
one history row: their current state, in the month their record was last written.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 17:20:00
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "graduate_months",
        sa.Column("graduate_id", sa.String(128), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("kinds", sa.String(200), server_default="", nullable=False),
        sa.Column("region_codes", sa.String(1000), server_default="", nullable=False),
        sa.Column("support", sa.String(200), server_default="", nullable=False),
        sa.Column("partner_id", sa.String(100), nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("graduate_id", "month", name=op.f("pk_graduate_months")),
    )
    op.create_index(
        "ix_graduate_months_month_status", "graduate_months", ["month", "status"], unique=False
    )
    op.create_table(
        "destination_reports",
        sa.Column("graduate_id", sa.String(128), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("partner_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "graduate_id", "month", "partner_id", name=op.f("pk_destination_reports")
        ),
    )
    _backfill()


def _backfill() -> None:
    """One row per existing graduate: the current state, in the month (China time) its
    record was last written."""
    bind = op.get_bind()
    g = sa.table(
        "graduates",
        sa.column("id"),
        sa.column("status"),
        sa.column("desired_codes"),
        sa.column("support"),
        sa.column("partner_id"),
        sa.column("data", sa.JSON),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    months = sa.table(
        "graduate_months",
        *(sa.column(c) for c in ("graduate_id", "month", "status", "kinds", "region_codes")),
        *(sa.column(c) for c in ("support", "partner_id", "source", "recorded_at")),
    )
    china = ZoneInfo("Asia/Shanghai")
    after = ""
    while True:
        rows = bind.execute(sa.select(g).where(g.c.id > after).order_by(g.c.id).limit(5000)).all()
        if not rows:
            return
        batch = []
        for r in rows:
            at = r.updated_at if r.updated_at.tzinfo else r.updated_at.replace(tzinfo=UTC)
            kinds = ((r.data or {}).get("desired") or {}).get("kinds") or []
            batch.append(
                {
                    "graduate_id": r.id,
                    "month": at.astimezone(china).strftime("%Y-%m"),
                    "status": r.status,
                    "kinds": f",{','.join(kinds)}," if kinds else "",
                    "region_codes": r.desired_codes or "",
                    "support": r.support or "",
                    "partner_id": r.partner_id,
                    "source": "import",
                    "recorded_at": at,
                }
            )
        bind.execute(sa.insert(months), batch)
        after = rows[-1].id


def downgrade() -> None:
    op.drop_table("destination_reports")
    op.drop_index("ix_graduate_months_month_status", table_name="graduate_months")
    op.drop_table("graduate_months")
