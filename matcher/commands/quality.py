"""``matcher train-encoder`` and ``matcher eval``: the text encoder and the engine's quality on
data with relevance judgements."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matcher.config import Settings


def cmd_train_encoder(args: argparse.Namespace) -> int:
    from matcher.text.training.train import TrainConfig, train_encoder

    config = TrainConfig(
        out_dir=Path(args.out),
        posting_files=[Path(p) for p in args.postings],
        seed=args.seed,
        generated_scale=args.generated_scale,
        max_sentences=args.max_sentences,
        vocab_size=args.vocab_size,
        dimension=args.dimension,
        epochs=args.epochs,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
    )
    for path in config.posting_files:
        if not path.is_file():
            raise FileNotFoundError(f"no such posting file: {path}")
    train_encoder(config)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from matcher.quality.evaluate import evaluate_engine

    results = evaluate_engine(
        [Path(p) for p in args.positions.split(",")],
        Path(args.graduates),
        Path(args.qrels),
        k=args.k,
        compare_bm25=args.compare == "bm25",
        settings=settings,
        rankers=["learned", "weights"] if args.ranker == "both" else [],
        log=(lambda _: None) if args.json else (lambda m: print(m, file=sys.stderr)),
    )
    if args.json:  # stdout: exactly the engine's figures; the baseline goes to stderr
        print(json.dumps(results["engine"], ensure_ascii=False))
        if "bm25" in results:
            print("bm25 " + json.dumps(results["bm25"], ensure_ascii=False), file=sys.stderr)
        return 0
    for name, figures in results.items():
        print(f"{name:8s} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


def cmd_train_ranker(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.engine.learned import MODEL_DIR
    from matcher.quality.ranker_training import JudgedSet
    from matcher.quality.train_ranker import FeedbackWindow, train

    sets = [
        JudgedSet(tuple(Path(p) for p in positions.split(",")), Path(graduates), Path(qrels))
        for positions, graduates, qrels in args.set or []
    ]
    for judged in sets:
        for path in (*judged.positions, judged.graduates, judged.qrels):
            if not path.is_file():
                raise FileNotFoundError(f"no such file: {path}")
    window = None
    if args.feedback:
        window = FeedbackWindow.of(args.since, args.until, args.test_from, settings.impression_days)
    out = Path(args.out) if args.out else MODEL_DIR
    train(sets, out, settings, folds=args.folds, feedback=window)
    return 0


def _with_ranker(args: argparse.Namespace, settings: Settings) -> Settings:
    if args.ranker in ("learned", "weights"):
        return settings.replace(ranker=args.ranker)
    return settings


def register(sub: Any, settings_of: Callable[[argparse.Namespace], Settings]) -> None:
    train = sub.add_parser("train-encoder", help="train the static text encoder")
    train.add_argument("--out", default="models/matcher-zh-static", help="model folder to write")
    train.add_argument(
        "--postings",
        nargs="*",
        default=[],
        help="unlabeled posting files (JSONL) to learn the job domain from",
    )
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--generated-scale", type=int, default=20_000, help="generated postings added to the corpus"
    )
    train.add_argument("--max-sentences", type=int, default=150_000)
    train.add_argument("--vocab-size", type=int, default=60_000)
    train.add_argument("--dimension", type=int, default=256, help="output dimension (PCA)")
    train.add_argument("--epochs", type=int, default=1, help="contrastive epochs (0: distil only)")
    train.add_argument("--cache-dir", help="keep teacher vectors here between runs")
    train.set_defaults(func=cmd_train_encoder)

    ev = sub.add_parser("eval", help="quality of the engine on judged data (temporary store)")
    ev.add_argument("--positions", required=True, help="posting files, comma-separated")
    ev.add_argument("--graduates", required=True)
    ev.add_argument("--qrels", required=True, help="TSV graduate_id, position_id, grade")
    ev.add_argument("-k", type=int, default=10)
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--compare", choices=["bm25"], help="also score a baseline")
    ev.add_argument(
        "--ranker",
        choices=["learned", "weights", "both"],
        help="rank with this ranker (default: MATCHER_RANKER); both: each beside the other",
    )
    ev.set_defaults(func=lambda args: cmd_eval(args, _with_ranker(args, settings_of(args))))

    tr = sub.add_parser(
        "train-ranker", help="train the learned ranker on judged sets and/or stored feedback"
    )
    tr.add_argument(
        "--set",
        nargs=3,
        action="append",
        metavar=("POSITIONS", "GRADUATES", "QRELS"),
        help="a judged set: posting files (comma-separated), graduates, judgements; repeat",
    )
    tr.add_argument("--out", help="model folder (default models/ranker)")
    tr.add_argument("--folds", type=int, default=5, help="cross-validation folds by graduate")
    tr.add_argument(
        "--feedback",
        action="store_true",
        help="also learn from the store's feedback: the lists served (impressions) and what "
        "graduates did with them, corrected for the position each item was shown at",
    )
    tr.add_argument("--since", help="feedback served from this date (default: the kept days)")
    tr.add_argument("--until", help="feedback served before this date (default: now)")
    tr.add_argument(
        "--test-from",
        help="time split: train on the lists before this date, report on those from it on "
        "(default: the last fifth of the period)",
    )
    tr.set_defaults(func=lambda args: cmd_train_ranker(args, settings_of(args)))
