"""What an employer is told before it publishes (issue #19, item 4): the flags a draft posting
would get (category and its Chinese name, rule, the exact wording, the law, how to word it),
whether it would be published at once or held for the bureau's review, and the draft rewritten
so that the rules flag nothing (:mod:`matcher.compliance.rewrite`). Nothing is stored.

A blacklisted employer is refused before any of this (:func:`refuse_blacklisted`), with the
reason stored when it was blacklisted: the same refusal as when it tries to publish."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.access import AccessDenied
from matcher.compliance.rewrite import rewrite_posting
from matcher.compliance.screen import RuleSet, categories_of, default_rules


def refuse_blacklisted(employer: Mapping[str, Any] | None, doing: str = "publish") -> None:
    """Raise :class:`AccessDenied` (403) naming the stored reason when ``employer`` (a stored
    employer record, or None) is blacklisted; ``doing`` is ``publish`` or ``screen``."""
    if not employer or not employer.get("blacklisted"):
        return
    reason = str(employer.get("blacklist_reason") or "").strip()
    who = str(employer.get("id") or "")
    what = "its postings cannot be published" if doing == "publish" else "it may not publish"
    raise AccessDenied(
        f"employer {who} is blacklisted ({reason or 'no reason given'}); {what} until the "
        "bureau clears it",
        zh=f"该单位已被列入黑名单（原因：{reason or '未注明'}），在人社部门解除前暂不能发布岗位",
    )


def prescreen(posting: Mapping[str, Any], rules: RuleSet | None = None) -> dict[str, Any]:
    """The answer to a draft posting (exchange format; any field may be missing): ``flags``
    (each with ``category_label``, the category in Chinese), ``publishable`` (no flags: it
    would be recommended at once; otherwise it would wait for a review), ``rewritten`` (its
    screened text fields reworded) and a message in English and Chinese."""
    rules = rules or default_rules()
    flags = rules.screen(posting)
    rewritten = rewrite_posting(posting, rules)
    labels = [rules.labels[c] for c in categories_of(flags)]
    if not flags:
        message = (
            "nothing flagged: the posting can be published as it is",
            "未发现违规表述，可以发布",
        )
    else:
        message = (
            f"{len(flags)} wordings flagged ({', '.join(categories_of(flags))}): a posting "
            "published as it is waits for the bureau's review before it is recommended; "
            "publish the rewritten text, or reword it yourself",
            f"发现 {len(flags)} 处可能违反就业公平规定的表述（{'、'.join(labels)}）："
            "照原文发布的岗位须经人社部门审核通过后才会推荐；建议采用改写后的文本，或按提示自行修改",
        )
    return {
        "id": posting.get("id"),
        "publishable": not flags,
        "categories": categories_of(flags),
        "flags": [f.to_dict() | {"category_label": rules.labels[f.category]} for f in flags],
        "rewritten": rewritten.fields,
        "rewritten_clean": not rewritten.remaining,
        "message": message[0],
        "message_zh": message[1],
    }
