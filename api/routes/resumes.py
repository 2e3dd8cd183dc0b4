"""Résumé intake: ``POST /resumes/parse`` reads an uploaded résumé (multipart ``file``: PDF,
DOCX, text) or pasted text (JSON ``{"text": ...}``) into a profile draft. Nothing is stored:
the graduate confirms or corrects the draft, then saves it with ``PUT /graduates/{id}``.
For the bureau, service partners (who hold résumés) and graduates (for their own profile)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import allow
from api.openapi import Documented, ref, responses
from api.resume_answers import PastedResume, ResumeDraftAnswer
from matcher.access import AccessDenied, Principal, Role
from matcher.resumes.draft import ResumeDraft
from matcher.resumes.files import MAX_BYTES, too_large
from matcher.resumes.parse import parse_bytes, parse_text

router = APIRouter(prefix="/resumes", tags=["resumes"], route_class=Documented)
#: the largest request body this route takes: a résumé file and the multipart wrapping
BODY_LIMIT = MAX_BYTES + 256 * 1024
Readers = Annotated[Principal, Depends(allow(Role.BUREAU, Role.SERVICE, Role.GRADUATE))]
_UPLOAD = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": f"PDF, Word DOCX or text, at most {MAX_BYTES // 1048576} MB",
        }
    },
}


def _missing(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "missing"}])


async def _draft(request: Request) -> ResumeDraft:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=4, max_part_size=BODY_LIMIT)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise _missing("file", "Field required: upload the résumé as the 'file' part")
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise too_large(len(data))
        return await run_in_threadpool(parse_bytes, data)
    if media == "application/json" or media.endswith("+json"):
        try:
            pasted = PastedResume.model_validate_json(await request.body())
        except PydanticError as exc:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
            raise RequestValidationError(errors) from None
        return await run_in_threadpool(parse_text, pasted.text)
    raise _missing("file", "send multipart/form-data with a 'file' part, or JSON {\"text\": ...}")


@router.post(
    "/parse",
    responses=responses(ResumeDraftAnswer, 403, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": _UPLOAD},
                "application/json": {"schema": ref(PastedResume, "validation")},
            },
        }
    },
)
async def parse_resume(
    request: Request,
    principal: Readers,
    graduate_id: Annotated[
        str | None,
        Query(max_length=100, description="the draft's record gets this id (a graduate's own)"),
    ] = None,
) -> dict[str, Any]:
    """A résumé → a profile draft (each field with the words it came from). Protected traits
    (gender, age, ethnicity, marital status, hukou, photo, ID number, health...) are dropped
    and never returned; ``removed`` says which kinds were found. A file that cannot be read
    (a scan without text, encrypted, damaged, over 10 MB, a legacy .doc) is answered 422 (413
    when too large) with ``code`` naming the reason and a Chinese ``detail``."""
    own = principal.scope.get("graduate") if principal.role is Role.GRADUATE else None
    if own is not None and graduate_id not in (None, own):
        raise AccessDenied(
            f"a graduate's key parses résumés for its own profile ({own}) only",
            zh="毕业生本人只能为自己的档案解析简历",
        )
    draft = await _draft(request)
    answer = draft.to_dict()
    record_id = graduate_id or own
    answer["record"] = draft.to_graduate(str(record_id)) if record_id else None
    return answer
