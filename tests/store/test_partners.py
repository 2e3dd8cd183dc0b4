"""The partner registry: each field checked with a Chinese message naming it, one partner per
kind and code (the database refuses a second), suspension with a reason, and keys only for
registered partners. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from matcher.access import Unauthenticated
from matcher.errors import ConflictError, NotFoundError, ValidationError
from matcher.store import Store
from matcher.store.keys import ApiKeys, audit_entries
from matcher.store.partners import Partners
from tests.conftest import AGENCY, UNIVERSITY


@pytest.fixture()
def store(any_store: Store) -> Store:
    """Each test on SQLite and on PostgreSQL."""
    return any_store


def test_partners_are_registered_once_per_kind_and_code(store: Store) -> None:
    partners = Partners(store)
    cqu = partners.add(UNIVERSITY, "bureau:k1")
    assert cqu["id"].startswith("pt-") and cqu["status"] == "active"
    assert partners.add(AGENCY, "bureau:k1")["districts"] == ["500112"]
    with pytest.raises(ConflictError) as twice:
        partners.add(UNIVERSITY | {"name": "重庆大学（虎溪校区）"}, "bureau:k1")
    assert "已登记" in twice.value.zh
    assert [p["kind"] for p in partners.page()] == ["agency", "university"]
    assert [p["name"] for p in partners.page(kind="university")] == ["重庆大学"]
    assert any(e["action"] == "add" for e in audit_entries(store, cqu["id"]))


@pytest.mark.parametrize(
    ("change", "field", "zh"),
    [
        ({"kind": "school"}, "kind", "合作机构类型须为"),
        ({"name": "重"}, "name", "机构名称"),
        ({"code": "1061"}, "code", "5 位院校代码"),
        ({"kind": "agency", "code": "91500112724467001X"}, "code", "统一社会信用代码"),
        ({"districts": []}, "districts", "至少填写一个"),
        ({"districts": ["509999"]}, "districts", "509999"),
        ({"contact": "电话" * 101}, "contact", "200"),
    ],
)
def test_each_bad_field_is_named(store: Store, change: dict, field: str, zh: str) -> None:
    with pytest.raises(ValidationError) as bad:
        Partners(store).add(UNIVERSITY | change, "bureau:k1")
    assert bad.value.field == field and zh in bad.value.zh
    assert Partners(store).page() == []


def test_suspension_needs_a_reason_and_shuts_the_partner_out(store: Store) -> None:
    partners = Partners(store)
    pid = partners.add(UNIVERSITY, "bureau:k1")["id"]
    assert partners.require_active(pid)["name"] == "重庆大学"
    with pytest.raises(ValidationError):
        partners.set_status(pid, "suspended", " ", "bureau:k1")
    done = partners.set_status(pid, "suspended", "名单数据造假", "bureau:k1")
    assert done["status"] == "suspended" and done["status_reason"] == "名单数据造假"
    with pytest.raises(Unauthenticated):
        partners.require_active(pid)
    assert partners.set_status(pid, "active", "", "bureau:k1")["status"] == "active"
    with pytest.raises(NotFoundError):
        partners.set_status("pt-none", "active", "", "bureau:k1")
    with pytest.raises(Unauthenticated):
        partners.require_active("pt-none")


def test_a_partner_key_is_issued_only_for_a_registered_partner(store: Store) -> None:
    pid = Partners(store).add(UNIVERSITY, "bureau:k1")["id"]
    assert ApiKeys(store).issue("partner", {"partner": pid})[1].startswith("mk_")
    with pytest.raises(NotFoundError) as unknown:
        ApiKeys(store).issue("partner", {"partner": "pt-none"})
    assert "合作机构" in unknown.value.zh
