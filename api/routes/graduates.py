"""Graduate profiles: listing with filters, one profile, create/update, bulk upsert, erase.
Advisers see their caseload and districts, graduates themselves; reads by advisers are
written to the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request

from api.answers import Graduate, GraduatePage
from api.deps import Anyone, StoreDep
from api.openapi import Documented, bodies, body, merge_patch, responses
from api.routes._listing import Cursor, Limit, WithTotal, page, region_code
from api.routes._rosters import from_university, shares_with_university
from api.routes._writes import (
    MAX_BULK,
    Check,
    index_writes,
    patch_one,
    source_of,
    write_many,
    write_one,
)
from api.schemas import BulkResult, Page
from matcher.access import AccessDenied, Principal, Role
from matcher.plans.view import actor_of
from matcher.records.prepare import Prepared
from matcher.records.schema import GraduateIn
from matcher.store import Store
from matcher.store.erasure import erase_graduate as erase_graduate_everywhere
from matcher.store.filters import Where, combined, graduate_filters, graduate_scope
from matcher.store.keys import audit
from matcher.taxonomy.vocab import Degree, GraduateStatus, SupportFlag, degree_rank

router = APIRouter(prefix="/graduates", tags=["graduates"], route_class=Documented)


def _no_profiles(principal: Principal) -> AccessDenied:
    return AccessDenied(
        f"role {principal.role.value} may not read graduate profiles",
        zh="当前角色无权查看毕业生档案",
    )


Record = Annotated[dict[str, Any], body(GraduateIn), Body()]
Records = Annotated[list[Any], bodies(GraduateIn, MAX_BULK), Body()]


def scope_filter(principal: Principal) -> Where:
    """Conditions limiting a listing to what the caller may see."""
    if principal.is_staff():
        return []
    if principal.role is Role.ADVISER:
        return graduate_scope(
            districts=principal.scope.get("districts", ()),
            adviser_id=principal.scope.get("adviser"),
        )
    if principal.role is Role.GRADUATE:
        return graduate_scope(graduate_id=str(principal.scope.get("graduate")))
    if principal.role is Role.PARTNER:
        return graduate_scope(partner_id=str(principal.scope["partner"]))
    raise _no_profiles(principal)


def read_graduate(store: Store, principal: Principal, graduate_id: str) -> dict[str, Any]:
    """One profile the caller may see; an adviser's read is audited."""
    if principal.role not in (Role.ADMIN, Role.BUREAU, Role.ADVISER, Role.GRADUATE, Role.PARTNER):
        raise _no_profiles(principal)
    graduate = store.get("graduates", graduate_id)
    principal.check_graduate(graduate)
    if principal.role is Role.ADVISER:
        audit(store, principal.actor, "read", "graduate", [graduate_id])
    return graduate


def may_write(principal: Principal) -> Check:
    """A check that the caller may store this profile: advisers the graduates in their scope,
    a graduate only their own; the stored profile decides when there is one."""
    principal.allow(Role.BUREAU, Role.SERVICE, Role.ADVISER, Role.GRADUATE, Role.PARTNER)

    def check(item: Prepared, stored: dict[str, Any] | None) -> None:
        limited = principal.role in (Role.ADVISER, Role.GRADUATE, Role.PARTNER)
        now = stored or {"id": item.id, **item.record}
        if limited and not (principal.sees_graduate(now) or principal.supplied(now)):
            raise AccessDenied(
                f"graduate {item.id!r} is outside the scope of key {principal.key_id}",
                zh=f"毕业生 {item.id} 不在您的服务范围内",
            )
        if principal.role is Role.GRADUATE:
            _own_fields_only(item, stored)
        consent = item.record.get("consent")
        if (
            principal.role is Role.PARTNER
            and stored is not None
            and consent != stored.get("consent")
        ):
            raise AccessDenied(
                f"consent of graduate {item.id!r} is the graduate's own choice; a university "
                "sets it only when it first registers the graduate",
                zh=f"毕业生 {item.id} 的同意和共享设置由本人决定，高校只能在首次登记时填写",
                field="consent",
            )
        changed = item.record.get("partner") != (stored or {}).get("partner")
        if changed and not principal.is_staff() and principal.role is not Role.PARTNER:
            raise AccessDenied(
                f"only the bureau sets the university of graduate {item.id!r}",
                zh=f"毕业生 {item.id} 所属高校只能由人社部门设定",
                field="partner",
            )
        if principal.role is Role.PARTNER and not principal.supplied(item.record):
            raise AccessDenied(
                f"graduate {item.id!r} would leave the university of key {principal.key_id}",
                zh=f"毕业生 {item.id} 只能由本校上传和修改",
                field="partner",
            )

    return check


#: Fields of a profile only the bureau's side sets (the graduate's own key may not): who the
#: adviser is, the support groups, and consent (recorded through ``/consent``, audited).
BUREAU_FIELDS = {
    "adviser": "指导员",
    "support": "帮扶类别",
    "consent": "本人同意记录",
    "partner": "所属高校",
}
_UNSET: dict[str, Any] = {
    "adviser": None,
    "support": [],
    "consent": {"push": False},
    "partner": None,
}


def _own_fields_only(item: Prepared, stored: dict[str, Any] | None) -> None:
    """Refuse a graduate's write that changes a bureau-only field of its own profile."""
    for name, label in BUREAU_FIELDS.items():
        before = (stored or {}).get(name, _UNSET[name])
        if item.record.get(name, _UNSET[name]) != before:
            raise AccessDenied(
                f"field {name!r} of graduate {item.id!r} is set by the bureau or an adviser, "
                "not by the graduate's own key",
                zh=f"字段 {name}（{label}）由就业服务机构或指导员填写，毕业生本人不能修改",
                field=name,
            )


#: Fields a full replace keeps from the stored profile when the caller does not send them:
#: dropping them silently would stop offers (consent) or hide who needs help first (support).
KEPT = ("consent", "support", "partner")


@router.get("", response_model=Page, responses=responses(GraduatePage, 403))
def list_graduates(
    store: StoreDep,
    principal: Anyone,
    status: GraduateStatus | None = None,
    degree: Degree | None = None,
    graduation_year: Annotated[int | None, Query(ge=1950, le=2100)] = None,
    major_code: str | None = None,
    school: str | None = None,
    district: str | None = None,
    support: SupportFlag | None = None,
    needs_support: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
    count: WithTotal = False,
) -> Page:
    """Graduates ordered by id. ``major_code`` matches a major or a class code prefix
    (``0809`` = 计算机类); ``support`` filters one support group."""
    where = combined(
        scope_filter(principal),
        graduate_filters(
            status=status.value if status else None,
            degree_rank=degree_rank(degree) if degree else None,
            graduation_year=graduation_year,
            major_code=major_code,
            school=school,
            region_code=region_code(district),
            support=support.value if support else None,
            needs_support=needs_support,
        ),
    )
    result = page(store, "graduates", where, cursor, limit, count)
    if principal.role is Role.ADVISER:
        audit(store, principal.actor, "read", "graduate", [g["id"] for g in result.items])
    return result


@router.post("", status_code=201, responses=responses(Graduate, 403, 409, status=201))
def create_graduate(
    request: Request, store: StoreDep, principal: Anyone, record: Record
) -> dict[str, Any]:
    """Create or replace one profile (exchange format, keyed by ``id``)."""
    keep = (*KEPT, "adviser") if principal.role is Role.GRADUATE else KEPT
    record = from_university(store, principal, [record])[0]
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        shares_with_university(store, principal, record["id"])
    written = write_one(
        store, "graduates", record, may_write(principal), keep=keep, source=source_of(principal)
    )
    index_writes(request)
    return written


@router.post("/bulk", response_model=BulkResult, responses=responses(None, 403))
def bulk_graduates(
    request: Request, store: StoreDep, principal: Anyone, records: Records
) -> BulkResult:
    """Upsert many profiles; bad records are listed in ``errors`` and the rest are stored."""
    principal.allow(Role.BUREAU, Role.SERVICE, Role.PARTNER)
    records = from_university(store, principal, records)
    written = write_many(
        store, "graduates", records, may_write(principal), keep=KEPT, source=source_of(principal)
    )
    index_writes(request)
    return written


@router.patch("/{graduate_id}", responses=responses(Graduate, 403, 404, 409))
def patch_graduate(
    request: Request,
    graduate_id: str,
    store: StoreDep,
    principal: Anyone,
    patch: Annotated[
        dict[str, Any],
        merge_patch(GraduateIn),
        Body(media_type="application/merge-patch+json"),
    ],
) -> dict[str, Any]:
    """Change some fields of a profile (JSON merge patch, RFC 7396: send only what changes,
    e.g. ``{"skills": [...]}``; a field set to null is removed; everything else is kept).
    Roles: bureau, service, adviser (graduates in scope), the graduate, its university."""
    shares_with_university(store, principal, graduate_id)
    written = patch_one(
        store, "graduates", graduate_id, patch, may_write(principal), source_of(principal)
    )
    index_writes(request)
    return written


@router.get("/{graduate_id}", responses=responses(Graduate, 403, 404))
def get_graduate(graduate_id: str, store: StoreDep, principal: Anyone) -> dict[str, Any]:
    return read_graduate(store, principal, graduate_id)


@router.delete("/{graduate_id}", responses=responses(Graduate, 403, 404))
def erase_graduate(
    request: Request, graduate_id: str, store: StoreDep, principal: Anyone
) -> dict[str, Any]:
    """Erase a profile: only the id, a not-seeking status and the erasure time stay (so
    offers and audit entries keep their reference). Messages not yet delivered are cancelled
    and every message keeps only ids; open offers are withdrawn; an open plan is closed with
    its sessions cancelled and notes emptied; the profile's vector leaves the index files at
    once. ``erased`` counts what changed. Roles: bureau, or the graduate."""
    principal.allow(Role.BUREAU, Role.GRADUATE)
    read_graduate(store, principal, graduate_id)
    done = erase_graduate_everywhere(store, graduate_id)
    audit(store, actor_of(principal), "erase", "graduates", [graduate_id], done.as_dict())
    index_writes(request)
    return store.get("graduates", graduate_id) | {"erased": done.as_dict()}
