"""Graduates' own pages, part two: my data (the profile, consent to offers, sharing with the
bureau's partners, a download of everything held, erasure) and the résumé intake (upload a PDF
or Word file, or paste text; the parsed draft is shown field by field to correct before
anything is saved)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.me import Me, MePost, flash, page, sign_out
from api.routes._writes import index_writes, patch_one, source_of
from api.routes.graduates import may_write
from api.routes.me_pages import graduate_id
from matcher.errors import MatcherError, UnreadableFileError, ValidationError
from matcher.offers.view import readable
from matcher.plans.consent import record_consent, record_sharing
from matcher.records.sharing import SHARE, choices
from matcher.resumes.draft import REMOVED_ZH, ResumeDraft
from matcher.resumes.files import MAX_BYTES, too_large
from matcher.resumes.parse import parse_bytes, parse_text
from matcher.store.erasure import erase_graduate
from matcher.store.feedback import events_of
from matcher.store.keys import audit
from matcher.store.links import SignInLinks
from matcher.store.offers import Offers
from matcher.store.plans import Plans
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import KIND_LABELS, Degree

router = APIRouter(prefix="/me", include_in_schema=False)
DEGREES = [d.value for d in Degree]
KINDS = {k.value: label for k, label in KIND_LABELS.items()}
ERASED = (
    "已删除：姓名、学校与专业、技能、经历、求职意向、联系方式和个人简介；推送与消息中的个人信息；"
    "计划中的备注与未进行的安排；推荐浏览记录；未使用的登录链接。"
)
KEPT = (
    "依法保留：档案编号、“不再求职”状态和删除时间，以及不含个人信息的推送与操作记录（只有编号），"
    "用于核对已经发生的服务和审计；这些记录不再用于推荐或推送。"
)


@router.get("/data", response_class=HTMLResponse)
def my_data(request: Request, principal: Me) -> HTMLResponse:
    store = request.app.state.store
    graduate = store.get("graduates", graduate_id(principal))
    return page(
        request,
        "me/data.html",
        graduate=graduate,
        kinds=KINDS,
        sharing=choices(graduate),
        share_labels=SHARE,
        tab="data",
    )


def districts_of(text: str) -> list[str]:
    """Chongqing districts named in ``text`` (separated by 、，, or spaces; 渝北 and 重庆渝北区
    are 渝北区); raises ``ValidationError`` naming a word that is not one."""
    known = {r.name: r.name for r in load_regions().chongqing_districts()}
    known |= {name[:-1]: name for name in list(known) if len(name) > 2}
    found: list[str] = []
    for word in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(","):
        word = word.strip().removeprefix("重庆市").removeprefix("重庆")
        if not word:
            continue
        if word not in known:
            raise ValidationError(
                f"{word!r} is not a district of Chongqing",
                field="desired.districts",
                zh=f"“{word}”不是重庆的区县名称，请填写如“渝北区”“万州区”",
            )
        if known[word] not in found:
            found.append(known[word])
    return found


@router.post("/data/wishes")
def wishes(
    request: Request,
    principal: MePost,
    districts: Annotated[str, Form(max_length=400)] = "",
    kinds: Annotated[list[str] | None, Form()] = None,
    salary_min: Annotated[str, Form(max_length=7)] = "",
    bio: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The graduate's wishes (districts, kinds, lowest monthly pay) and introduction, as a
    partial update: consent and everything else stay as they are."""
    try:
        if salary_min.strip() and not salary_min.strip().isdigit():
            raise ValidationError(
                "salary_min is a whole number of yuan a month",
                field="desired.salary_min",
                zh="期望月薪请填写整数（元）",
            )
        desired = {
            "districts": districts_of(districts),
            "kinds": [k for k in kinds or [] if k in KINDS],
            "salary_min": int(salary_min) if salary_min.strip() else None,
        }
    except MatcherError as exc:
        flash(request, exc.zh, "error")
        return RedirectResponse("/me/data", status_code=303)
    patch = {"desired": desired, "bio": bio.strip() or None}
    return _save(request, principal, patch, "求职意向已保存", "/me/data")


def _save(
    request: Request, principal: Any, patch: dict[str, Any], done: str, back: str
) -> Response:
    """Merge ``patch`` into the graduate's stored record (their own only) and say so; a
    rejected change is told on ``back`` with nothing stored."""
    gid = graduate_id(principal)
    try:
        patch_one(
            request.app.state.store,
            "graduates",
            gid,
            patch,
            may_write(principal),
            source_of(principal),
        )
    except MatcherError as exc:
        flash(request, exc.zh, "error")
        return RedirectResponse(back, status_code=303)
    index_writes(request)
    flash(request, done)
    return RedirectResponse("/me/data", status_code=303)


@router.post("/data/consent")
def consent(request: Request, principal: MePost, push: Annotated[str, Form()] = "no") -> Response:
    """Consent to plans and offers given or withdrawn on the page (recorded as ``online``)."""
    gid = graduate_id(principal)
    record_consent(
        request.app.state.store, gid, how="online", actor=f"graduate:{gid}", push=push == "yes"
    )
    index_writes(request)
    flash(request, "已同意接收推送" if push == "yes" else "已撤回推送同意，不会再向您推送岗位")
    return RedirectResponse("/me/data", status_code=303)


@router.post("/data/sharing")
def sharing(
    request: Request,
    principal: MePost,
    school: Annotated[str, Form()] = "no",
    agencies: Annotated[str, Form()] = "no",
    training: Annotated[str, Form()] = "no",
) -> Response:
    """The graduate's sharing choices with the bureau's partners, all three as ticked on the
    page (recorded as ``online``)."""
    gid = graduate_id(principal)
    given = {
        "school": school == "yes",
        "agencies": agencies == "yes",
        "training": training == "yes",
    }
    record_sharing(request.app.state.store, gid, given, how="online", actor=f"graduate:{gid}")
    index_writes(request)
    flash(request, "信息共享设置已保存，合作机构从现在起按您的选择查看您的信息")
    return RedirectResponse("/me/data", status_code=303)


@router.get("/data.json")
def download(request: Request, principal: Me) -> Response:
    """Everything held about the graduate, as one JSON file."""
    store = request.app.state.store
    gid = graduate_id(principal)
    offers, _ = Offers(store).page(graduate_ids=[gid], limit=10_000)
    plans = Plans(store)
    found = plans.of_graduates([gid])
    held: dict[str, Any] = {
        "profile": store.get("graduates", gid),
        "offers": readable(store, offers, staff=False),
        "plan": plans.get(found[gid]) if gid in found else None,
        "answers": events_of(store, gid),
        "sign_in_links": SignInLinks(store).of(gid),
    }
    audit(store, f"graduate:{gid}", "download", "graduates", [gid])
    body = json.dumps(held, ensure_ascii=False, indent=1, default=str)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="my-data-{gid}.json"'},
    )


@router.post("/erase")
def erase(request: Request, principal: MePost, confirm: Annotated[str, Form()] = "") -> Response:
    store = request.app.state.store
    gid = graduate_id(principal)
    if confirm != "删除":
        flash(request, "请在确认框中输入“删除”两个字", "error")
        return RedirectResponse("/me/data", status_code=303)
    done = erase_graduate(store, gid)
    audit(store, f"graduate:{gid}", "erase", "graduates", [gid], done.as_dict())
    index_writes(request)
    sign_out(request)
    return page(request, "me/message.html", heading="档案已删除", text=ERASED, more=KEPT)


@router.get("/resume", response_class=HTMLResponse)
def resume_form(request: Request, principal: Me) -> HTMLResponse:
    return page(request, "me/resume.html", draft=None, removed=REMOVED_ZH, tab="data")


@router.post("/resume", response_class=HTMLResponse)
async def resume_upload(
    request: Request,
    principal: MePost,
    file: UploadFile | None = None,
    text: Annotated[str, Form(max_length=50_000)] = "",
) -> HTMLResponse:
    """Parse an uploaded file (or pasted text) into a draft shown for correction."""
    try:
        if file is not None and file.filename:
            data = await file.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise too_large(len(data))
            draft: ResumeDraft = await run_in_threadpool(parse_bytes, data)
        elif text.strip():
            draft = await run_in_threadpool(parse_text, text)
        else:
            raise UnreadableFileError(
                "nothing sent", reason="no_text", zh="请选择简历文件，或粘贴简历文字"
            )
    except MatcherError as exc:
        return page(
            request,
            "me/resume.html",
            status=422,
            draft=None,
            error=exc.zh,
            removed=REMOVED_ZH,
            tab="data",
        )
    record = draft.to_graduate(graduate_id(principal))
    return page(
        request,
        "me/resume.html",
        draft=record,
        major_code=draft.major_code,
        carried=json.dumps(
            {k: record[k] for k in ("bio", "desired") if record.get(k)}, ensure_ascii=False
        ),
        degrees=DEGREES,
        removed=REMOVED_ZH,
        tab="data",
    )


@router.post("/resume/save")
def resume_save(
    request: Request,
    principal: MePost,
    school: Annotated[str, Form(max_length=100)] = "",
    major: Annotated[str, Form(max_length=100)] = "",
    degree: Annotated[str, Form()] = "",
    graduation_year: Annotated[str, Form(max_length=4)] = "",
    skills: Annotated[str, Form(max_length=2000)] = "",
    carried: Annotated[str, Form(max_length=60_000)] = "{}",
) -> Response:
    """Save the fields as the graduate confirmed them (a partial update: nothing else, consent
    included, changes)."""
    patch: dict[str, Any] = {}
    try:
        kept = json.loads(carried or "{}")
    except ValueError:
        kept = {}
    if isinstance(kept, dict):
        patch |= {k: v for k, v in kept.items() if k in ("bio", "desired")}
    for key, value in (("school", school), ("major", major), ("degree", degree)):
        if value.strip():
            patch[key] = value.strip()
    if graduation_year.strip():
        patch["graduation_year"] = (
            int(graduation_year) if graduation_year.isdigit() else graduation_year
        )
    names = [s.strip() for s in skills.replace("，", ",").replace("、", ",").split(",")]
    if any(names):
        patch["skills"] = [s for s in names if s]
    return _save(request, principal, patch, "简历信息已保存到您的档案", "/me/resume")
