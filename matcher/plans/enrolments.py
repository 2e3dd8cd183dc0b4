"""A training institution's word on the graduates sent to one of its courses: enrolled, done
(completed) or declined (did not start or dropped out). Each report moves the graduate's plan
item for that course, exactly as an adviser's change would (one history entry, the plan put
in progress), with the institution as the actor; an entry for a graduate not sent to the
course, or for a closed plan, is named and the others are kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matcher.config import Settings
from matcher.errors import EntryProblem, MatcherError, ValidationError
from matcher.plans.edit import set_item
from matcher.records.limits import text_breach
from matcher.records.sharing import shares
from matcher.store import Store
from matcher.store.plans import Plans

#: What an institution may report of a graduate on its course.
STATUSES: dict[str, str] = {"enrolled": "已报名入学", "done": "已结业", "declined": "未参加或退学"}
MAX_REPORT = 5000


@dataclass
class Enrolled:
    training_id: str
    changed: int = 0  # plan items moved to the reported status
    unchanged: int = 0  # already at it
    errors: list[EntryProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "training_id": self.training_id,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "errors": [vars(e) for e in self.errors],
        }


def sent_to(store: Store, training_id: str, institution: bool = False) -> list[dict[str, Any]]:
    """The graduates whose plans hold the course, with their item's status; for the
    ``institution`` itself only those who share their details with training institutions."""
    store.get("trainings", training_id)  # raises: not found
    sent = Plans(store).sent_to("training", training_id)
    if not institution:
        return sent
    profiles = store.get_many("graduates", [r["graduate_id"] for r in sent])
    return [r for r in sent if shares(profiles.get(r["graduate_id"], {}), "training")]


def _problem(gid: Any, entry: Any) -> tuple[str, str, str] | None:
    if not isinstance(entry, dict) or not isinstance(gid, str) or not gid or text_breach(gid):
        return ("graduate_id", "each entry needs the graduate's id", "每条记录须填写毕业生编号")
    if entry.get("status") not in STATUSES:
        return (
            "status",
            f"status must be one of {', '.join(STATUSES)}; got {entry.get('status')!r:.40}",
            "状态须为 enrolled（已报名入学）、done（已结业）或 declined（未参加或退学）",
        )
    return None


def report(
    store: Store,
    settings: Settings,
    training_id: str,
    raw: Any,
    actor: str,
    institution: bool = False,
) -> Enrolled:
    """Move the plan items of the graduates named in ``raw`` (``[{graduate_id, status}]``);
    the ``institution`` reports only on the graduates it may see (:func:`sent_to`)."""
    if not isinstance(raw, list) or len(raw) > MAX_REPORT:
        raise ValidationError(
            f"enrolments is a list of at most {MAX_REPORT} entries",
            field="enrolments",
            zh=f"学员记录应为列表，每次最多 {MAX_REPORT} 条",
        )
    items = {r["graduate_id"]: r for r in sent_to(store, training_id, institution)}
    done = Enrolled(training_id)
    for index, entry in enumerate(raw):
        gid = entry.get("graduate_id") if isinstance(entry, dict) else None
        problem = _problem(gid, entry)
        name = gid if isinstance(gid, str) else None
        if problem is None and gid not in items:
            problem = (
                "graduate_id",
                f"graduate {gid!r} is not on the list of course {training_id!r}: only graduates "
                "whose plan holds the course (and, for the institution, who share their details "
                "with it) can be reported; their adviser records the others",
                f"毕业生 {gid} 不在本课程的学员名单中：只能报告帮扶计划中安排了本课程、"
                "且同意向培训机构提供信息的学员，其他学员由就业指导员登记",
            )
        if problem is not None:
            done.errors.append(EntryProblem(index, name, *problem))
            continue
        item, status = items[str(gid)], str(entry["status"])
        if item["status"] == status:
            done.unchanged += 1
            continue
        try:
            set_item(store, settings, item["plan_id"], item["item_id"], actor=actor, status=status)
        except MatcherError as exc:
            done.errors.append(EntryProblem(index, name, "status", str(exc), exc.zh))
            continue
        item["status"] = status
        done.changed += 1
    return done
