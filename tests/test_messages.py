"""Every error a person can see has a Chinese text (issue 15, point 15): each raise of a domain
error in matcher/ and api/ passes ``zh=`` unless its class writes one from its arguments."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Classes whose raise sites must give a Chinese text (NotFoundError and OfferRefused build
#: theirs from the entity and the rule).
NEEDS_ZH = {
    "AccessDenied",
    "ConflictError",
    "ValidationError",
    "TaxonomyError",
    "StoreError",
    "Unauthenticated",
    "MatcherError",
    "UnreadableFileError",
}


def _missing() -> list[str]:
    out = []
    for package in ("matcher", "api"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                called = getattr(node, "func", None)
                if (
                    isinstance(node, ast.Call)
                    and getattr(called, "id", None) in NEEDS_ZH
                    and not any(k.arg == "zh" for k in node.keywords)
                ):
                    out.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return out


def test_every_domain_error_raised_has_a_chinese_text():
    assert _missing() == []


def test_the_check_finds_a_raise_without_one(tmp_path, monkeypatch):
    package = tmp_path / "matcher"
    package.mkdir()
    (package / "bad.py").write_text('raise ConflictError("no Chinese here")\n', encoding="utf-8")
    (package / "good.py").write_text('raise ConflictError("x", zh="冲突")\n', encoding="utf-8")
    (tmp_path / "api").mkdir()
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _missing() == ["matcher/bad.py:1"]
