"""Measure the screener against labelled postings: precision, recall and F1 over (posting,
category) pairs, overall (micro-averaged) and per category.

Labels are JSON Lines: ``{"id": ..., "flags": [category, ...], "evidence": {...}}`` where
``flags == []`` means the posting is clean; the postings themselves are read from posting
files in the exchange format."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.compliance.screen import CATEGORIES, RuleSet, default_rules


@dataclass(frozen=True)
class Labelled:
    id: str
    flags: frozenset[str]
    evidence: dict[str, str]


def load_labels(path: Path) -> dict[str, Labelled]:
    """Read a labels file; a bad line raises ``ValueError`` naming the line and field."""
    if not path.is_file():
        raise FileNotFoundError(f"no such labels file: {path}")
    out: dict[str, Labelled] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            at = f"{path} line {number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{at}: invalid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise ValueError(f'{at}: field id: each line needs a string "id"')
            flags = row.get("flags")
            if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
                raise ValueError(f"{at}: field flags: a list of category names is needed")
            unknown = sorted(set(flags) - set(CATEGORIES))
            if unknown:
                raise ValueError(
                    f"{at}: field flags: unknown categories {unknown}; use {', '.join(CATEGORIES)}"
                )
            evidence = row.get("evidence") or {}
            if not isinstance(evidence, dict):
                raise ValueError(f"{at}: field evidence: an object {{category: text}} is needed")
            out[row["id"]] = Labelled(row["id"], frozenset(flags), evidence)
    return out


def read_postings(paths: Sequence[Path], ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The postings with these ids found in the posting files (JSON Lines)."""
    wanted = set(ids)
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"no such posting file: {path}")
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a broken line cannot be a labelled posting
                if isinstance(record, dict) and record.get("id") in wanted:
                    found[record["id"]] = record
    return found


def _metrics(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1; with nothing flagged precision is 1.0 (no false flag), with
    nothing to find recall is 1.0 (nothing missed)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "support": tp + fn,
    }


def score(gold: Mapping[str, frozenset[str]], predicted: Mapping[str, set[str]]) -> dict[str, Any]:
    """Precision, recall and F1 over (posting, category) pairs for the postings in ``gold``."""
    counts = {c: [0, 0, 0] for c in CATEGORIES}
    for pid, truth in gold.items():
        guess = predicted.get(pid, set())
        for category in CATEGORIES:
            if category in guess and category in truth:
                counts[category][0] += 1
            elif category in guess:
                counts[category][1] += 1
            elif category in truth:
                counts[category][2] += 1
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    overall = _metrics(*totals)
    return {
        "overall": {k: overall[k] for k in ("precision", "recall", "f1")},
        "per_category": {c: _metrics(*counts[c]) for c in CATEGORIES},
        "n": len(gold),
    }


def evaluate_files(
    labels_path: Path, posting_paths: Sequence[Path], rules: RuleSet | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Screen the labelled postings found in the posting files; returns the scores and the
    labelled ids that no posting file holds (left out of the scores)."""
    labels = load_labels(labels_path)
    postings = read_postings(posting_paths, labels)
    missing = sorted(set(labels) - set(postings))
    if not postings:
        raise ValueError(
            f"none of the {len(labels)} labelled postings is in "
            f"{', '.join(map(str, posting_paths))}; pass the posting files they come from "
            "with --positions"
        )
    rules = rules or default_rules()
    predicted = {pid: {f.category for f in rules.screen(p)} for pid, p in postings.items()}
    gold = {pid: labels[pid].flags for pid in postings}
    return score(gold, predicted), missing


def render_scores(report: Mapping[str, Any]) -> str:
    def fmt(value: float) -> str:
        return f"{value:.3f}"

    o = report["overall"]
    lines = [
        f"compliance screening on {report['n']} labelled postings",
        f"overall            precision {fmt(o['precision'])}  recall {fmt(o['recall'])}  "
        f"f1 {fmt(o['f1'])}",
        "category              precision  recall     f1   tp   fp   fn",
    ]
    for name, m in report["per_category"].items():
        lines.append(
            f"{name:22s} {fmt(m['precision']):>8s}  {fmt(m['recall']):>6s}  {fmt(m['f1']):>5s}"
            f" {m['tp']:>4} {m['fp']:>4} {m['fn']:>4}"
        )
    lines.append("(no flag raised: precision 1.000; nothing labelled: recall 1.000)")
    return "\n".join(lines)
