"""Domain errors. Only ``api/errors.py`` maps them to HTTP responses.

Every error carries an English message (for logs and integrators) and a Chinese text ``zh``
for the people who see it (graduates, advisers, employers, operators): the class gives a
general one, a raise site a specific one."""

from __future__ import annotations

from dataclasses import dataclass

#: Chinese names of the stored entities, for messages.
ENTITY_ZH = {
    "position": "岗位",
    "graduate": "毕业生",
    "employer": "用人单位",
    "training": "培训课程",
    "offer": "推送",
    "campaign": "推送活动",
    "plan": "帮扶计划",
    "key": "API 密钥",
    "partner": "合作机构",
}


class MatcherError(Exception):
    """Base class for every failure the engine reports on purpose."""

    zh_default = "操作未完成"

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or self.zh_default


class NotFoundError(MatcherError):
    """A record asked for by id does not exist in the store."""

    def __init__(self, entity: str, record_id: str) -> None:
        name = ENTITY_ZH.get(entity.rstrip("s"), entity)
        super().__init__(f"{entity} {record_id!r} not found", zh=f"未找到{name} {record_id}")
        self.entity = entity
        self.record_id = record_id


class ValidationError(MatcherError):
    """A record breaks the exchange format; ``field`` names the (first) offending field and
    ``errors`` lists every (field, message) of the record."""

    zh_default = "记录格式有误"

    def __init__(
        self,
        message: str,
        *,
        record_id: str | None = None,
        field: str | None = None,
        errors: list[tuple[str, str]] | None = None,
        zh: str | None = None,
    ):
        where = f"记录 {record_id} " if record_id else ""
        default = f"{where}字段 {field or 'record'} 有误：{message}"
        super().__init__(message, zh=zh or default)
        self.record_id = record_id
        self.field = field
        self.errors = errors if errors is not None else [(field or "record", message)]


class ConflictError(MatcherError):
    """The request conflicts with stored state (e.g. an idempotency key reused differently)."""

    zh_default = "与已保存的记录冲突"


class StoreError(MatcherError):
    """The database cannot be reached or its schema is not what this version expects."""

    zh_default = "数据库暂时不可用，请稍后再试或联系管理员"


class TaxonomyError(MatcherError):
    """A name or code cannot be resolved against a catalog (regions, industries, majors)."""

    zh_default = "无法识别的地名、专业或行业名称，请检查拼写或改用代码"


class ConfigError(MatcherError):
    """A setting or a model file the configuration names cannot be used."""

    zh_default = "配置有误"


class UnreadableFileError(MatcherError):
    """An uploaded file (a résumé) cannot be read. ``reason`` is the machine code a caller can
    act on: ``file_too_large``, ``scanned_pdf``, ``encrypted_file``, ``corrupt_file``,
    ``legacy_doc``, ``unsupported_format`` or ``no_text``."""

    zh_default = "无法读取该文件，请上传可复制文字的 PDF 或 Word（.docx）文件"

    def __init__(self, message: str, *, reason: str, zh: str | None = None) -> None:
        super().__init__(message, zh=zh)
        self.reason = reason


@dataclass
class EntryProblem:
    """One refused entry of a batch (a report line, a bulk record): where it was, which record
    and field, and why, in English and Chinese; the other entries are kept."""

    index: int
    id: str | None
    field: str
    message: str
    message_zh: str
