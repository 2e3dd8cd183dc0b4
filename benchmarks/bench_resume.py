"""Résumé parsing measured: field-level precision, recall and F1 of ``matcher.resumes`` on the
generated résumé set (``benchmarks/resumes/make_resumes.py``: DOCX and PDF of many majors and
layouts), beside a naive baseline that looks the same catalogs up over the whole text; then
how each unreadable file is answered, and the time per résumé.

    python benchmarks/bench_resume.py [--seed 0] [--per-field 2] [--runs 3] [--json OUT]
    python benchmarks/bench_resume.py --dir DIR   # a set written before (DIR/truth.json)

Fields: school, major, degree and graduation year (one value per résumé: a wrong value is a
false positive and a false negative), skills and certificates (vocabulary names), experience
(employer and role pairs, exact after removing spaces). Protected values leaked into a draft
are counted too (must be 0)."""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import write_result
from benchmarks.resumes.make_resumes import unreadable, write_set
from matcher.errors import UnreadableFileError
from matcher.resumes.files import read_file
from matcher.resumes.parse import parse_file
from matcher.taxonomy.majors import load_majors
from matcher.taxonomy.skills import load_skills
from matcher.taxonomy.vocab import parse_degree

SINGLE = ("school", "major", "degree", "graduation_year")
FIELDS = (*SINGLE, "skills", "experience")
Predict = Callable[[Path], dict[str, Any]]


def parser(path: Path) -> dict[str, Any]:
    draft = parse_file(path, ocr=False)
    out: dict[str, Any] = {
        key: getattr(draft, key).value if getattr(draft, key) else None for key in SINGLE
    }
    out["skills"] = [s.name for s in draft.skills]
    out["experience"] = [[w.employer, w.role] for w in draft.experience]
    out["_json"] = json.dumps(draft.to_dict(), ensure_ascii=False)
    return out


_SCHOOL = re.compile(r"[\u4e00-\u9fff]{2,20}?(?:大学|学院|学校)")
_ORG = re.compile(
    r"[\u4e00-\u9fff]{2,30}?(?:公司|医院|学校|银行|事务所|幼儿园|酒店|法院|研究院|小学)"
)
_YEAR = re.compile(r"20[12]\d")
_DEGREES = ("博士", "硕士", "研究生", "本科", "学士", "大专", "专科", "高职", "中专", "中职")


def baseline(path: Path) -> dict[str, Any]:
    """Keyword lookup over the whole text: the first school-like name, the first catalog
    major name, the first degree word, the latest year, every vocabulary spelling, and each
    organisation name with the word after it as the role."""
    text = read_file(path, ocr=False).text
    flat = re.sub(r"\s+", " ", text)
    school = _SCHOOL.search(flat)
    names = sorted({m.name for m in load_majors().majors()}, key=len, reverse=True)
    majors = [(flat.find(n), n) for n in names if len(n) >= 2 and n in flat]
    degrees = [(flat.find(d), d) for d in _DEGREES if d in flat]
    years = [int(y) for y in _YEAR.findall(flat)]
    lower = flat.lower().replace(" ", "")
    skills = sorted({t.name for s, t in load_skills().spellings().items() if s in lower})
    experience = []
    for m in _ORG.finditer(flat):
        after = flat[m.end() :].split()
        experience.append([m.group(0), after[0] if after else ""])
    return {
        "school": school.group(0) if school else None,
        "major": min(majors)[1] if majors else None,
        "degree": parse_degree(min(degrees)[1]).value if degrees else None,  # type: ignore[union-attr]
        "graduation_year": max(years) if years else None,
        "skills": skills,
        "experience": experience,
        "_json": text,
    }


def _key(value: Any) -> str:
    """A value compared without spaces; an (employer, role) pair as ``employer|role``."""
    if isinstance(value, list | tuple):
        return "|".join(_key(v) for v in value)
    return re.sub(r"\s+", "", str(value))


def score(truth: dict[str, dict], predict: Predict, folder: Path) -> dict[str, Any]:
    counts = {f: [0, 0, 0] for f in FIELDS}  # tp, fp, fn
    leaks = 0
    seconds = []
    for name, expected in truth.items():
        started = time.perf_counter()
        got = predict(folder / name)
        seconds.append(time.perf_counter() - started)
        for f in SINGLE:
            want, have = expected[f], got[f]
            hit = have is not None and _key(have) == _key(want)
            counts[f][0] += hit
            counts[f][1] += have is not None and not hit
            counts[f][2] += want is not None and not hit
        for f in ("skills", "experience"):
            want_set = {_key(x) for x in expected[f]}
            have_set = {_key(x) for x in got[f]}
            counts[f][0] += len(want_set & have_set)
            counts[f][1] += len(have_set - want_set)
            counts[f][2] += len(want_set - have_set)
        leaks += sum(1 for value in expected["protected"] if value in got["_json"])
    out: dict[str, Any] = {"n": len(truth), "leaked_protected_values": leaks}
    for f, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[f] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
        }
    out["ms_per_resume"] = round(1000 * statistics.median(seconds), 1)
    return out


def refusals(folder: Path, expected: dict[str, str]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, reason in expected.items():
        started = time.perf_counter()
        try:
            parse_file(folder / name, ocr=False)
            got, zh = "parsed", ""
        except UnreadableFileError as exc:
            got, zh = exc.reason, exc.zh
        out[name] = {
            "expected": reason,
            "got": got,
            "ms": round(1000 * (time.perf_counter() - started), 1),
            "zh": zh,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--dir", type=Path, help="a set written before by make_resumes.py")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-field", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3, help="timing runs (the median is shown)")
    ap.add_argument("--json", type=Path, help="also write the result here (default: results/)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        if args.dir is None:
            truth = write_set(folder, seed=args.seed, per_field=args.per_field)
            reasons = unreadable(folder / "unreadable")
        else:
            truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
            reasons = unreadable(Path(tmp) / "unreadable")
        runs = [score(truth, parser, folder) for _ in range(max(1, args.runs))]
        ours = runs[0] | {"ms_per_resume": statistics.median(r["ms_per_resume"] for r in runs)}
        naive = score(truth, baseline, folder)
        refused = refusals(
            folder / "unreadable" if args.dir is None else Path(tmp) / "unreadable", reasons
        )
    layouts = sorted({t["layout"] for t in truth.values()})
    print(f"{len(truth)} résumés, layouts: {', '.join(layouts)}\n")
    print("| field | parser P | parser R | parser F1 | baseline P | baseline R | baseline F1 |")
    print("|---|---|---|---|---|---|---|")
    for f in FIELDS:
        a, b = ours[f], naive[f]
        cells = [a["precision"], a["recall"], a["f1"], b["precision"], b["recall"], b["f1"]]
        print(f"| {f} | " + " | ".join(f"{x:.3f}" for x in cells) + " |")
    leaked = ours["leaked_protected_values"], naive["leaked_protected_values"]
    print(f"\nprotected values leaked: parser {leaked[0]}, baseline (raw text) {leaked[1]}")
    print(f"time per résumé (median of {args.runs} runs): {ours['ms_per_resume']} ms\n")
    print("| unreadable file | expected | got | ms |")
    print("|---|---|---|---|")
    for name, r in refused.items():
        print(f"| {name} | {r['expected']} | {r['got']} | {r['ms']} |")
    result = {
        "parameters": vars(args) | {"dir": str(args.dir) if args.dir else None, "json": None},
        "parser": ours,
        "baseline": naive,
        "unreadable": refused,
        "layouts": layouts,
    }
    written = write_result("bench_resume", result)
    if args.json:
        args.json.write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    print(f"\nresult: {args.json or written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
