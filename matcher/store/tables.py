"""The talent-pool schema. Migrations in ``migrations/versions`` create exactly these tables;
change both together (``matcher db revision`` is not needed for reading this file)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False, index=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        # provenance (matcher.store.provenance): who created the record, and for each field
        # changed since, who changed it last and when: {"field": ["source", "iso time"]}
        sa.Column("created_by", sa.String(200)),
        sa.Column("changed_by", sa.JSON),
    ]


counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

employers = sa.Table(
    "employers",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, index=True),
    sa.Column("credit_code", sa.String(18), unique=True),
    sa.Column("industry", sa.String(200)),
    sa.Column("district_code", sa.String(12)),
    sa.Column("blacklisted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("blacklist_reason", sa.Text),
    sa.Column("blacklisted_at", sa.DateTime(timezone=True)),
    *_stamps(),
)

positions = sa.Table(
    "positions",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("kind", sa.String(24), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("employer_id", sa.String(128), sa.ForeignKey("employers.id"), index=True),
    sa.Column("city", sa.String(64)),
    sa.Column("region_code", sa.String(12), index=True),
    sa.Column("education_min", sa.SmallInteger),
    sa.Column("experience_min_years", sa.SmallInteger),
    sa.Column("salary_monthly_min", sa.Float),
    sa.Column("salary_monthly_max", sa.Float),
    sa.Column("industry_code", sa.String(8), index=True),
    sa.Column("headcount", sa.Integer),
    sa.Column("posted_at", sa.Date, index=True),
    sa.Column("expires_at", sa.Date, index=True),
    sa.Column("source", sa.String(32)),
    sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    # compliance screening (matcher.compliance): the flags of the current content, the
    # categories as ",age,gender," for filtering, and the bureau's review of them
    sa.Column("compliance_flags", sa.JSON),
    sa.Column("flag_categories", sa.String(200)),
    sa.Column("review_status", sa.String(16), index=True),  # pending, cleared, rejected
    sa.Column("reviewed_by", sa.String(100)),
    sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    sa.Column("review_reason", sa.Text),
    # how sure the screener is of the violation (matcher.compliance.confidence), 0-1: the
    # review queue is listed most certain first, paged by (confidence, id)
    sa.Column("review_confidence", sa.Float),
    *_stamps(),
    sa.Index("ix_positions_review_queue", "review_status", "review_confidence", "id"),
)

graduates = sa.Table(
    "graduates",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(100)),
    sa.Column("school", sa.String(200)),
    sa.Column("major", sa.String(200)),
    sa.Column("major_code", sa.String(12), index=True),
    sa.Column("degree", sa.SmallInteger),
    sa.Column("graduation_year", sa.SmallInteger, index=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("district_code", sa.String(12)),
    sa.Column("support", sa.String(200), nullable=False, server_default=""),
    sa.Column("needs_support", sa.Boolean, nullable=False, server_default=sa.false(), index=True),
    sa.Column("consent_push", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("adviser_id", sa.String(100), index=True),
    sa.Column("desired_codes", sa.String(1000), nullable=False, server_default=""),
    sa.Column("partner_id", sa.String(100), index=True),  # the university that supplies it
    # whether that university may see it (matcher.records.sharing)
    sa.Column("share_school", sa.Boolean, nullable=False, server_default=sa.true()),
    *_stamps(),
)

trainings = sa.Table(
    "trainings",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("provider", sa.String(200)),
    sa.Column("region_code", sa.String(12), index=True),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("capacity", sa.Integer),
    sa.Column("partner_id", sa.String(100), index=True),  # the training institution offering it
    *_stamps(),
)

campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("segment", sa.JSON, nullable=False),
    sa.Column("k", sa.Integer, nullable=False),
    sa.Column("kinds", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("counts", sa.JSON, nullable=False),
    sa.Column("idempotency_key", sa.String(200), unique=True),
    sa.Column("request_hash", sa.String(64)),
    sa.Column("message", sa.Text, nullable=False, server_default=""),
    sa.Column("error", sa.Text),
    sa.Column("created_by", sa.String(100)),
    sa.Column("scheduled_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("lease_owner", sa.String(64)),  # the runner holding it, while running
    sa.Column("lease_until", sa.DateTime(timezone=True)),  # renewed while it runs
    sa.Column("resume_after", sa.String(128)),  # last graduate id whose offers are committed
)

offers = sa.Table(
    "offers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("graduate_id", sa.String(128), sa.ForeignKey("graduates.id"), nullable=False),
    sa.Column(
        "position_id", sa.String(128), sa.ForeignKey("positions.id"), nullable=False, index=True
    ),
    sa.Column("campaign_id", sa.String(64), sa.ForeignKey("campaigns.id"), index=True),
    sa.Column("message", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("idempotency_key", sa.String(200), unique=True),
    sa.Column("request_hash", sa.String(64)),
    sa.Column("detail", sa.JSON, nullable=False, server_default="{}"),
    sa.Column("created_by", sa.String(100)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("graduate_id", "position_id", name="uq_offers_graduate_position"),
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column(
        "graduate_id",
        sa.String(128),
        sa.ForeignKey("graduates.id"),
        nullable=False,
        index=True,
        unique=True,  # one person, one plan
    ),
    sa.Column("adviser_id", sa.String(100), index=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("outcome", sa.String(32)),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(100)),
    sa.Column("agreed_at", sa.DateTime(timezone=True)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)

plan_items = sa.Table(
    "plan_items",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column(
        "plan_id",
        sa.String(64),
        sa.ForeignKey("plans.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("ref_id", sa.String(128), index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("rank", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("scheduled_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("offer_id", sa.String(64)),
    sa.Column("ends_on", sa.Date),  # end of a traineeship the graduate was placed in
)

plan_events = sa.Table(  # the history of every plan: who changed what, when
    "plan_events",
    metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column(
        "plan_id",
        sa.String(64),
        sa.ForeignKey("plans.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("item_id", sa.String(64)),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
)

plan_exclusions = sa.Table(  # postings an adviser ruled out for one graduate's plan
    "plan_exclusions",
    metadata,
    sa.Column(
        "plan_id",
        sa.String(64),
        sa.ForeignKey("plans.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("ref_id", sa.String(128), primary_key=True),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

plan_jobs = sa.Table(  # cohort plan generation, run in the background
    "plan_jobs",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("segment", sa.JSON, nullable=False),
    sa.Column("scope", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("counts", sa.JSON, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("created_by", sa.String(100)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("lease_owner", sa.String(64)),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
)

feedback_events = sa.Table(
    "feedback_events",
    metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("graduate_id", sa.String(128), nullable=False, index=True),
    sa.Column("position_id", sa.String(128), nullable=False, index=True),
    sa.Column("offer_id", sa.String(64)),
    sa.Column("event", sa.String(16), nullable=False),
    sa.Column("source", sa.String(32)),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.String(128), nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # the message id receivers de-duplicate on
    sa.Column("offer_id", sa.String(64), sa.ForeignKey("offers.id"), nullable=False, index=True),
    sa.Column("endpoint", sa.String(500), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("scope", sa.JSON, nullable=False),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

console_sessions = sa.Table(  # signed-in adviser console sessions; a logout ends one for good
    "console_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the token in the cookie
    sa.Column("key_id", sa.String(32), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
)

graduate_links = sa.Table(  # one-time sign-in links for graduates' own pages (store/links.py)
    "graduate_links",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the token in the link
    sa.Column("graduate_id", sa.String(128), nullable=False, index=True),
    sa.Column("issued_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

adviser_contacts = sa.Table(  # how graduates reach their adviser (store/adviser_contacts.py)
    "adviser_contacts",
    metadata,
    sa.Column("adviser_id", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(40), nullable=False),
    sa.Column("phone", sa.String(30), nullable=False),
    sa.Column("office", sa.String(200), nullable=False, server_default=""),
    sa.Column("hours", sa.String(100), nullable=False, server_default=""),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

partners = sa.Table(  # the bureau's partners: universities, employers, agencies, training
    "partners",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("code", sa.String(18), nullable=False),  # school code or credit code
    sa.Column("districts", sa.JSON, nullable=False),
    sa.Column("contact", sa.String(200), nullable=False, server_default=""),
    sa.Column("status", sa.String(20), nullable=False),  # active, suspended
    sa.Column("status_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.UniqueConstraint("kind", "code", name="uq_partners_kind_code"),
)

impressions = sa.Table(  # every recommendation list served (matcher.store.impressions)
    "impressions",
    metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("graduate_id", sa.String(128), nullable=False, index=True),
    sa.Column("surface", sa.String(16), nullable=False),  # api, campaign, plan, console, page
    sa.Column("ranker", sa.String(64), nullable=False),  # weights:<hash> or learned:<version>
    sa.Column("context", sa.String(64)),  # the campaign or plan the list belongs to
    sa.Column("explored", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("swap", sa.SmallInteger),  # explored: upper position of the swapped pair
    sa.Column("explore_rate", sa.Float, nullable=False, server_default="0"),
    # [[position_id, rank, score, propensity, model_rank], ...] in the order shown
    sa.Column("items", sa.JSON, nullable=False),
    sa.Index("ix_impressions_served_at", "served_at", "id"),
)

graduate_months = sa.Table(  # each graduate's state by month (matcher.store.history)
    "graduate_months",
    metadata,
    sa.Column("graduate_id", sa.String(128), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),  # YYYY-MM, China time
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("kinds", sa.String(200), nullable=False, server_default=""),  # ",internship,"
    sa.Column("region_codes", sa.String(1000), nullable=False, server_default=""),
    sa.Column("support", sa.String(200), nullable=False, server_default=""),
    sa.Column("partner_id", sa.String(100)),
    sa.Column("source", sa.String(200), nullable=False),  # who set the status: see history.RANKS
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_graduate_months_month_status", "month", "status"),
)

destination_reports = sa.Table(  # a university's monthly word on where its graduates went
    "destination_reports",
    metadata,
    sa.Column("graduate_id", sa.String(128), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("partner_id", sa.String(100), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reported_by", sa.String(200), nullable=False),
    sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
)

agency_authorisations = sa.Table(  # employers an agency may post for (store/authorisations.py)
    "agency_authorisations",
    metadata,
    sa.Column("agency_id", sa.String(64), primary_key=True),  # a partner of kind agency
    sa.Column("employer_id", sa.String(128), primary_key=True),
    sa.Column("valid_until", sa.Date, nullable=False),  # the last day it holds (China time)
    sa.Column("granted_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_by", sa.String(200)),
)

rejected_records = sa.Table(  # records a partner sent that were refused, for its figures
    "rejected_records",
    metadata,
    sa.Column("partner_id", sa.String(100), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),  # YYYY-MM, China time
    sa.Column("entity", sa.String(24), primary_key=True),  # graduates, positions, ...
    sa.Column("ref", sa.String(160), primary_key=True),  # the record's id, or "#<index>"
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("message", sa.String(500), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
