"""Validated, normalised records: exchange-format dicts in, canonical records (with resolved
division, industry and major codes) and their content hash out; canonical records back to the
domain types of :mod:`matcher.types`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import pydantic

from matcher.errors import TaxonomyError, ValidationError
from matcher.records import lenient
from matcher.records.limits import breach, clean_text
from matcher.records.messages import zh_message
from matcher.records.schema import EmployerIn, GraduateIn, PositionIn, TrainingIn
from matcher.taxonomy.industries import load_industries
from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.regions import load_regions

Entity = Literal["positions", "graduates", "employers", "trainings"]
ENTITIES: tuple[Entity, ...] = ("positions", "graduates", "employers", "trainings")
_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "positions": PositionIn,
    "graduates": GraduateIn,
    "employers": EmployerIn,
    "trainings": TrainingIn,
}


@dataclass(frozen=True, slots=True)
class Prepared:
    """A record that passed validation, ready to be stored."""

    id: str
    record: dict[str, Any]
    content_hash: str
    flags: tuple[Any, ...] | None = None  # postings screened beforehand (parallel ingestion)
    notes: tuple[str, ...] = ()  # spellings rewritten on the way in (see records.lenient)


def content_hash(record: dict[str, Any]) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def employer_id(name: str, credit_code: str | None) -> str:
    """Stable id for an employer known only by name and credit code."""
    if credit_code:
        return credit_code
    return "e-" + hashlib.sha1(name.strip().encode("utf-8")).hexdigest()[:16]


def prepare(entity: Entity, raw: Any) -> Prepared:
    """Validate and normalise one raw record. Raises :class:`ValidationError` naming the
    record id and the field at fault: the format's own rules first, then the bounds every
    value keeps (:mod:`matcher.records.limits`: no NUL, finite numbers, bounded nesting)."""
    record_id = clean_text(raw.get("id")) if isinstance(raw, dict) else None
    if not isinstance(raw, dict):
        raise ValidationError(
            "record is not a JSON object", record_id=None, field="record", zh="该记录不是 JSON 对象"
        )
    raw, notes = lenient.normalise(entity, raw)
    try:
        model = _MODELS[entity].model_validate(raw)
    except pydantic.ValidationError as exc:
        errors, chinese = _errors(exc)
        where = f"记录 {record_id} " if record_id else ""
        raise ValidationError(
            "; ".join(f"{field}: {message}" for field, message in errors),
            record_id=record_id,
            field=errors[0][0],
            errors=errors,
            zh=where + "有误：" + "；".join(f"{f}：{m}" for f, m in chinese),
        ) from None
    found = breach(raw)  # what the fields' own bounds do not cover: NUL, extra fields
    if found is not None:
        where = f"记录 {record_id} " if record_id else ""
        raise ValidationError(
            f"{found.field}: {found.message}",
            record_id=record_id,
            field=found.field,
            errors=[(found.field, found.message)],
            zh=f"{where}有误：{found.field}：{found.zh}",
        )
    record = model.model_dump(mode="json", exclude_none=True)
    try:
        _RESOLVERS[entity](record)
    except _FieldError as exc:
        where = f"记录 {record_id} " if record_id else ""
        raise ValidationError(
            f"{exc.field}: {exc}",
            record_id=record_id,
            field=exc.field,
            errors=[(exc.field, str(exc))],
            zh=f"{where}有误：{exc.field}：{exc.zh}",
        ) from None
    if entity == "employers":
        _employer_identity(record)
    return Prepared(str(record["id"]), record, content_hash(record), notes=tuple(notes))


def _errors(
    exc: pydantic.ValidationError,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every error of a record once, as (field, message without the field), in English and
    in Chinese."""
    out: list[tuple[str, str]] = []
    chinese: list[tuple[str, str]] = []
    for err in exc.errors():
        field = _loc(err["loc"])
        detail = err["msg"].removeprefix("Value error, ")
        if err["type"] not in {"missing"} and "input" in err:
            detail += f" (got {_short(err['input'])})"
        if (field, detail) not in out:
            out.append((field, detail))
            chinese.append((field, zh_message(dict(err))))
    return out, chinese


class _FieldError(ValueError):
    def __init__(self, field: str, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.zh = zh or message


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "record"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@lru_cache(maxsize=20_000)
def _region(city: str | None, district: str | None, code: str | None) -> dict[str, str]:
    """Resolve a location. A district that cannot be placed inside the given city (scraped
    ads carry abolished or garbled names) keeps its text and falls back to the city's code."""
    regions = load_regions()
    region = None
    try:
        if code:
            region = regions.get(code)
        elif district:
            region = regions.try_resolve(district, within=city or None)
            if region is None and not city:
                region = regions.resolve(district)
        if region is None and city:
            region = regions.resolve(city, city=True)
    except TaxonomyError as exc:
        which = "code" if code else ("district" if district and not city else "city")
        raise _FieldError(f"location.{which}", str(exc), exc.zh) from None
    if region is None:
        return {}
    out = {"code": region.code, "city": _city_label(region.city or region.province)}
    if len(region.code) == 6:
        out["district"] = region.name
    elif district:
        out["district"] = district
    if region.zone:
        out["zone"] = region.zone
    return out


def _city_label(name: str) -> str:
    return name[:-1] if name.endswith("市") and len(name) > 2 else name


def _resolve_location(record: dict[str, Any], key: str = "location") -> None:
    loc = record.get(key)
    if not loc:
        return
    resolved = _region(loc.get("city"), loc.get("district"), loc.get("code"))
    if loc.get("city") and "city" in resolved:
        resolved["city"] = loc["city"]
    record[key] = resolved


def _resolve_position(record: dict[str, Any]) -> None:
    _resolve_location(record)
    industry = load_industries().lookup(record.get("industry"))
    if industry is not None:
        record["industry_code"] = industry.code


def _resolve_graduate(record: dict[str, Any]) -> None:
    major = record.get("major")
    if major:
        found = load_majors().lookup(major)
        if found is not None:
            record["major_code"] = found.code
            record["major_class"] = found.major_class.name
    desired = record.setdefault("desired", {})
    codes: list[str] = []
    for key in ("cities", "districts"):
        for i, name in enumerate(desired.get(key, [])):
            region = load_regions().try_resolve(name, city=key == "cities")
            if region is None:
                raise _FieldError(
                    f"desired.{key}[{i}]", f"unknown place {name!r}", f"无法识别的地点“{name}”"
                )
            codes.append(region.code)
    if codes:
        desired["region_codes"] = codes
    if record.get("district"):
        record["district_code"] = _region(None, record["district"], None).get("code")


def _employer_identity(record: dict[str, Any]) -> None:
    """An employer with a credit code is keyed by it, whatever id the file gave (kept as
    ``external_id``), so postings that name the employer link to the same row."""
    given, code = record.get("id"), record.get("credit_code")
    if code:
        if given and given != code:
            record["external_id"] = given
        record["id"] = code
    elif not given:
        record["id"] = employer_id(record["name"], None)


def _resolve_employer(record: dict[str, Any]) -> None:
    if record.get("district"):
        record["district_code"] = _region(None, record["district"], None).get("code")


_RESOLVERS = {
    "positions": _resolve_position,
    "graduates": _resolve_graduate,
    "employers": _resolve_employer,
    "trainings": _resolve_location,
}
