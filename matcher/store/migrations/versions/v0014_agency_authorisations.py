"""Employers an agency may post for: one authorisation per agency and employer, with the last
day it holds, who granted it and, once revoked, when and by whom.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_authorisations",
        sa.Column("agency_id", sa.String(64), nullable=False),
        sa.Column("employer_id", sa.String(128), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("granted_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("agency_id", "employer_id", name=op.f("pk_agency_authorisations")),
    )


def downgrade() -> None:
    op.drop_table("agency_authorisations")
