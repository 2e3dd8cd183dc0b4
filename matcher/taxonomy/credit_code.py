"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Layout of the 18 characters::

    1      registration authority (9 market regulator, 1 institution staffing office, 5 civil
           affairs, 3 justice...)
    2      organisation type within that authority (91 enterprise, 12 public institution...)
    3-8    administrative division code of the registering office (e.g. 500112 渝北区)
    9-17   organisation code (GB 11714): 8 body characters and its own check character
    18     check character over the first 17 (weights 3^i mod 31)

The alphabet leaves out I, O, Z, S and V so that no character can be misread as a digit.
"""

from __future__ import annotations

import random
from functools import lru_cache

__all__ = ["ALPHABET", "KINDS", "check_digit", "checked", "is_valid", "make", "org_check_digit"]

#: The 31 characters a code may contain, in value order (0–30).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

#: ``make`` kinds → (registration authority, organisation types to draw from).
KINDS: dict[str, tuple[str, str]] = {
    "company": ("9", "1"),  # 企业
    "individual": ("9", "2"),  # 个体工商户
    "cooperative": ("9", "3"),  # 农民专业合作社
    "government": ("1", "1"),  # 机关
    "public_institution": ("1", "2"),  # 事业单位
    "mass_organisation": ("1", "3"),  # 中央编办直接管理的群众团体 (工会, 共青团...)
    "social_organisation": ("5", "123"),  # 社会团体, 民办非企业单位, 基金会
    "private_non_enterprise": ("5", "2"),  # 民办非企业单位 (民办学校, 民营医院, 社工机构)
    "law_firm": ("3", "1"),  # 律师事务所 (司法行政)
}


def _org_value(ch: str) -> int:
    """GB 11714 value of a character: digits as themselves, letters A=10 … Z=35."""
    return ord(ch) - 48 if ch.isdigit() else ord(ch) - 55


def org_check_digit(body8: str) -> str:
    """GB 11714 check character for the 8-character organisation code body."""
    if len(body8) != 8:
        raise ValueError(f"organisation code body must have 8 characters, got {body8!r}")
    total = sum(_org_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def check_digit(first17: str) -> str:
    """The 18th character of a code whose first 17 characters are ``first17``."""
    if len(first17) != 17:
        raise ValueError(f"need the first 17 characters of a credit code, got {len(first17)}")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(
            f"{exc.args[0]!r} is not allowed in a credit code; use 0-9 and A-Y without I O S V Z"
        ) from None
    return ALPHABET[(31 - total % 31) % 31]


@lru_cache(maxsize=65_536)  # postings repeat their employer's code
def is_valid(code: str) -> bool:
    """True when ``code`` is 18 allowed characters with both check characters right."""
    if len(code) != 18 or any(ch not in _VALUE for ch in code):
        return False
    if not code[2:8].isdigit():
        return False
    if org_check_digit(code[8:16]) != code[16]:
        return False
    return check_digit(code[:17]) == code[17]


_DIGITS = "0123456789"
_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make(rng: random.Random, division_code: str, kind: str = "company") -> str:
    """A random valid code registered in ``division_code`` (a 6-digit area code such as
    ``500112``) for an organisation of ``kind`` (see :data:`KINDS`). Enterprises registered
    since 2015 get the ``MA`` organisation codes the market regulator hands out."""
    if len(division_code) != 6 or not division_code.isdigit():
        raise ValueError(f"division_code must be a 6-digit area code, got {division_code!r}")
    try:
        authority, types = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}") from None
    org_type = types[int(rng.random() * len(types))]
    if authority == "9" and rng.random() < 0.7:
        body = "MA" + "".join(_BODY[int(rng.random() * len(_BODY))] for _ in range(6))
    else:
        body = "".join(_DIGITS[int(rng.random() * 10)] for _ in range(8))
    first17 = authority + org_type + division_code + body + org_check_digit(body)
    return first17 + check_digit(first17)


def checked(value: str | None) -> str | None:
    """A given code upper-cased and validated (``ValueError`` naming it if invalid); ``None``
    for no code."""
    if value is None or value == "":
        return None
    code = value.strip().upper()
    if not is_valid(code):
        raise ValueError(
            f"{value!r} is not a valid unified social credit code (18 characters, check digit)"
        )
    return code
