"""Training courses (职业培训): anyone signed in lists and reads them; the bureau and its
systems write any course, and a training institution's partner key writes its own courses
only. The institution (or the bureau) sees the graduates advisers sent to a course and
reports their enrolment and completion, which moves their plan items."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from api.answers import Training, TrainingPage
from api.deps import Anyone, SettingsDep, StoreDep, allow
from api.openapi import Documented, bodies, body, list_of, responses
from api.routes._listing import Cursor, Limit, WithTotal, page, region_code
from api.routes._writes import (
    MAX_BULK,
    Check,
    index_writes,
    source_of,
    write_many,
    write_one,
)
from api.schemas import BulkResult, Page
from matcher.access import AccessDenied, Principal, Role
from matcher.errors import NotFoundError, ValidationError
from matcher.plans import enrolments
from matcher.records.prepare import Prepared
from matcher.records.schema import TrainingIn
from matcher.store import Store, rejects
from matcher.store.filters import training_filters
from matcher.store.partners import Partners

router = APIRouter(tags=["trainings"], route_class=Documented)
Writer = Annotated[Principal, Depends(allow(Role.BUREAU, Role.SERVICE, Role.PARTNER))]
#: A course keeps the institution it belongs to when a write does not name it.
KEPT = ("partner",)


@router.get("/trainings", response_model=Page, responses=responses(TrainingPage))
def list_trainings(
    store: StoreDep,
    principal: Anyone,
    district: str | None = None,
    partner: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    """Courses ordered by id; ``partner`` lists one institution's courses."""
    where = training_filters(region_code=region_code(district), partner_id=partner)
    return page(store, "trainings", where, cursor, limit, count)


@router.get("/trainings/{training_id}", responses=responses(Training, 404))
def get_training(training_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    return store.get("trainings", training_id)


def institution_of(store: Store, principal: Principal) -> str | None:
    """The training institution behind a partner key (None for the bureau's side); other
    partner kinds, and suspended institutions, are refused."""
    if principal.role is not Role.PARTNER:
        return None
    partner = Partners(store).require_active(str(principal.scope.get("partner")))
    if partner["kind"] != "training":
        raise AccessDenied(
            f"partner {partner['id']} is a {partner['kind']}; only training institutions "
            "publish courses",
            zh="只有培训机构可以发布培训课程、报告学员情况",
        )
    return str(partner["id"])


def course_writes(store: Store, principal: Principal) -> tuple[str | None, Check]:
    """The institution writing (None: the bureau's side) and the check of each course: an
    institution writes its own courses only; the bureau names a registered institution."""
    own = institution_of(store, principal)

    def check(item: Prepared, stored: dict[str, Any] | None) -> None:
        if own is not None:
            if stored is not None and stored.get("partner") != own:
                raise AccessDenied(
                    f"course {item.id!r} belongs to another provider than partner {own}",
                    zh=f"培训课程 {item.id} 属于其他机构，不能修改",
                )
            return
        named = item.record.get("partner")
        if named and not _is_institution(store, str(named)):
            raise ValidationError(
                f"partner {named!r} of course {item.id!r} is not a registered training "
                "institution; see GET /partners?kind=training",
                record_id=item.id,
                field="partner",
                zh=f"培训课程 {item.id} 的开课机构 {named} 不是已登记的培训机构",
            )

    return own, check


def _is_institution(store: Store, partner_id: str) -> bool:
    try:
        return bool(Partners(store).get(partner_id)["kind"] == "training")
    except NotFoundError:
        return False


def _stamped(records: list[Any], own: str | None) -> list[Any]:
    if own is None:
        return records
    return [r | {"partner": own} if isinstance(r, dict) else r for r in records]


@router.post("/trainings", status_code=201, responses=responses(Training, 403, 409, status=201))
def create_training(
    request: Request,
    store: StoreDep,
    principal: Writer,
    record: Annotated[dict[str, Any], body(TrainingIn), Body()],
) -> dict[str, Any]:
    """Create or update one course (a training institution: its own courses)."""
    own, check = course_writes(store, principal)
    [given] = _stamped([record], own)
    written = write_one(store, "trainings", given, check, keep=KEPT, source=source_of(principal))
    index_writes(request)
    return written


@router.post("/trainings/bulk", response_model=BulkResult, responses=responses(None, 403))
def bulk_trainings(
    request: Request,
    store: StoreDep,
    principal: Writer,
    records: Annotated[list[Any], bodies(TrainingIn, MAX_BULK), Body()],
) -> BulkResult:
    own, check = course_writes(store, principal)
    written = write_many(
        store, "trainings", _stamped(records, own), check, keep=KEPT, source=source_of(principal)
    )
    index_writes(request)
    return written


def _course_of(store: Store, principal: Principal, training_id: str) -> dict[str, Any]:
    if principal.role is not Role.PARTNER:
        principal.allow(Role.BUREAU)
    own = institution_of(store, principal)
    course = store.get("trainings", training_id)
    if own is not None and course.get("partner") != own:
        raise AccessDenied(
            f"course {training_id!r} belongs to another provider than partner {own}",
            zh=f"培训课程 {training_id} 属于其他机构",
        )
    return course


class Trainee(BaseModel):
    graduate_id: str
    name: str | None
    plan_id: str
    item_id: str
    status: str = Field(description="proposed, enrolled, done or declined")
    plan_status: str
    updated_at: str


@router.get("/trainings/{training_id}/enrolments", responses=responses(list_of(Trainee), 403, 404))
def get_enrolments(training_id: str, store: StoreDep, principal: Anyone) -> list[dict[str, Any]]:
    """The graduates advisers sent to the course (name and id, no contact details) and where
    each stands (the bureau, or the institution for its own course: only the graduates who
    share their details with training institutions)."""
    _course_of(store, principal, training_id)
    return enrolments.sent_to(store, training_id, principal.role is Role.PARTNER)


class EnrolmentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enrolments: list[Any] = Field(
        max_length=enrolments.MAX_REPORT,
        description="each {graduate_id, status}: enrolled, done or declined",
    )


class EnrolmentError(BaseModel):
    index: int
    id: str | None
    field: str
    message: str
    message_zh: str


class EnrolmentsOut(BaseModel):
    training_id: str
    changed: int = Field(description="plan items moved to the reported status")
    unchanged: int = Field(description="already at the reported status")
    errors: list[EnrolmentError]


@router.post("/trainings/{training_id}/enrolments", responses=responses(EnrolmentsOut, 403, 404))
def post_enrolments(
    training_id: str,
    body: EnrolmentsIn,
    store: StoreDep,
    settings: SettingsDep,
    principal: Anyone,
) -> dict[str, Any]:
    """Enrolment and completion of the graduates sent to the course: each moves the
    graduate's plan item (done: the plan counts the training as done). Entries for graduates
    not sent to the course are named; the others are kept."""
    course = _course_of(store, principal, training_id)
    done = enrolments.report(
        store,
        settings,
        training_id,
        body.enrolments,
        source_of(principal),
        institution=principal.role is Role.PARTNER,
    )
    if course.get("partner"):  # kept for the institution's own figures
        rejects.record(store, str(course["partner"]), "enrolments", done.errors)
    return done.as_dict()
