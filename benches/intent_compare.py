#!/usr/bin/env python3
"""Intent classification, memberkit against scikit-learn and fastText, side by side.

Trains each on the same splits and prints accuracy (and, for CLINC150,
in-scope accuracy and out-of-scope recall), training time and single-query
latency from Python:

- Banking77: train on train.csv, evaluate on dev.csv.
- CLINC150: train on train.jsonl + oos_train.jsonl, evaluate on val.jsonl + oos_val.jsonl.
- HWU64: train on train.jsonl, evaluate on dev.jsonl.

memberkit trains with its defaults (no options) on every data set.

Usage (from the repository root, after scripts/setup-python.sh):

    .venv/bin/pip install -r benches/requirements-intent.txt
    .venv/bin/python benches/intent_compare.py [--data ../shared/data]

The datasets are read from --data (default: ../shared/data); they are never
copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

Pairs = list[tuple[str, str]]


def read_csv(path: Path) -> Pairs:
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["text"], row["category"]) for row in csv.DictReader(f)]


def read_jsonl(*paths: Path) -> Pairs:
    pairs: Pairs = []
    for path in paths:
        with path.open(encoding="utf-8") as f:
            pairs += [(row["text"], row["intent"]) for row in map(json.loads, f) if row]
    return pairs


def scores(predicted: Sequence[str], gold: Pairs) -> dict[str, float]:
    correct = [p == g for p, (_, g) in zip(predicted, gold)]
    result = {"accuracy": sum(correct) / len(correct)}
    in_scope = [c for c, (_, g) in zip(correct, gold) if g != "oos"]
    out_scope = [c for c, (_, g) in zip(correct, gold) if g == "oos"]
    if out_scope:
        result["in_scope_accuracy"] = sum(in_scope) / len(in_scope)
        result["oos_recall"] = sum(out_scope) / len(out_scope)
    return result


def median_latency_us(classify: Callable[[str], object], texts: Sequence[str], n: int = 2000) -> float:
    sample = [texts[i % len(texts)] for i in range(n)]
    for text in sample[:50]:
        classify(text)
    times = []
    for text in sample:
        start = time.perf_counter()
        classify(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def run_memberkit(train: Pairs, test: Pairs) -> dict[str, float]:
    from memberkit import intent

    start = time.perf_counter()
    model = intent.train(train)
    trained = time.perf_counter() - start
    predicted = [c.intent for c in model.classify_batch([t for t, _ in test])]
    result = scores(predicted, test)
    result["train_s"] = trained
    result["latency_us"] = median_latency_us(model.classify, [t for t, _ in test])
    report = model.evaluate(test)
    if report.get("expected_calibration_error") is not None:
        result["ece"] = report["expected_calibration_error"]
    return result


def run_sklearn(train: Pairs, test: Pairs) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    pipeline = make_pipeline(features, LogisticRegression(max_iter=2000, C=10.0))
    start = time.perf_counter()
    pipeline.fit([t for t, _ in train], [i for _, i in train])
    trained = time.perf_counter() - start
    predicted = list(pipeline.predict([t for t, _ in test]))
    result = scores(predicted, test)
    result["train_s"] = trained
    result["latency_us"] = median_latency_us(lambda t: pipeline.predict([t]), [t for t, _ in test], n=300)
    return result


def run_fasttext(train: Pairs, test: Pairs) -> dict[str, float]:
    import fasttext  # type: ignore[import-not-found]

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for text, label in train:
            f.write(f"__label__{label} {' '.join(text.split())}\n")
        path = f.name
    try:
        start = time.perf_counter()
        model = fasttext.train_supervised(path, epoch=25, lr=0.5, wordNgrams=2, minn=2, maxn=5, dim=100, verbose=0, seed=1, thread=1)
        trained = time.perf_counter() - start
    finally:
        os.unlink(path)

    def predict(text: str) -> str:
        labels, _ = model.predict(" ".join(text.split()))
        return labels[0].removeprefix("__label__")

    predicted = [predict(t) for t, _ in test]
    result = scores(predicted, test)
    result["train_s"] = trained
    result["latency_us"] = median_latency_us(predict, [t for t, _ in test])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--only", choices=["memberkit", "sklearn", "fasttext"], action="append")
    parser.add_argument("--dataset", choices=["banking77", "clinc150", "hwu64"], action="append", help="only these data sets (default: all)")
    args = parser.parse_args()
    data: Path = args.data
    datasets = {
        "banking77": (read_csv(data / "banking77/train.csv"), read_csv(data / "banking77/dev.csv")),
        "clinc150": (
            read_jsonl(data / "clinc150/train.jsonl", data / "clinc150/oos_train.jsonl"),
            read_jsonl(data / "clinc150/val.jsonl", data / "clinc150/oos_val.jsonl"),
        ),
        "hwu64": (read_jsonl(data / "hwu64/train.jsonl"), read_jsonl(data / "hwu64/dev.jsonl")),
    }
    if args.dataset:
        datasets = {name: pair for name, pair in datasets.items() if name in args.dataset}
    runners = {"memberkit": run_memberkit, "sklearn": run_sklearn, "fasttext": run_fasttext}
    chosen = args.only or list(runners)
    columns = ["accuracy", "in_scope_accuracy", "oos_recall", "train_s", "latency_us", "ece"]
    print(f"{'dataset':<10} {'system':<10} " + " ".join(f"{c:>17}" for c in columns))
    for name, (train, test) in datasets.items():
        for system in chosen:
            run = runners[system]
            try:
                result = run(train, test)
            except ImportError as missing:
                print(f"{name:<10} {system:<10} skipped: {missing} (pip install -r benches/requirements-intent.txt)")
                continue
            cells = []
            for c in columns:
                value = result.get(c)
                cells.append(f"{'':>17}" if value is None else f"{value:>17.4f}" if c not in ("latency_us",) else f"{value:>17.1f}")
            print(f"{name:<10} {system:<10} " + " ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
