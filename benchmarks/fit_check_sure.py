"""Choose, kind by kind, when the answer model is sure enough to skip the answer check.

The answer check (bot/answering/check.py) reads the model's best sentences only when the model is
unsure of its best one (below ``sure``). For some kinds of question the model's confidence says little:
asked "Who directed the Broadway production of Waitress?" of an archive that has the show but not its
director, it is as sure of a sentence naming the show's star as it is of real answers. This script asks
every train question as served (the shipped model, the suite's stores, the rules after the model), records
what the check read (``ExtractiveAnswerer.on_check``), and replays the decision at other levels of
``sure`` for each kind of question (``cues.question_kind``). A kind gets its own level only when that
gains at least ``--min-gain`` train questions; the levels go into the model file's check as
``sure_by_kind``. Only the train split is read: our train questions asked of the news archive, and the
questions of the even XQuAD articles, weighted as ``fit_answerer.py`` weights them (XQUAD_SHARE of the
total), because encyclopaedia questions are not what our users ask.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/fit_check_sure.py            # writes answer_model.json
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/fit_check_sure.py --dry-run  # prints the table only

It needs the answer suite's stores (``benchmarks/answer_suite.py`` builds them once: about an hour).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common

QUESTIONS = Path(__file__).resolve().parent / "questions"
MODEL = Path(__file__).resolve().parent.parent / "bot" / "answering" / "answer_model.json"
SURE_LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: the check reads every answer of that kind
MIN_GAIN = 3.0  # weighted train questions a kind's own level must gain over the shared one
XQUAD_SHARE = 0.3  # as in fit_answerer.py


@dataclass(frozen=True)
class Asked:
    """One train question as served: what the check read (None: the check was not asked) and the outcome."""

    kind: str | None
    confidence: float
    probability: float
    answered: bool
    answerable: bool
    correct: bool
    weight: float


def ask_all(service: Any, questions: list[Any], weight: float) -> list[Asked]:
    """Ask each question alone, as ``newsbot eval`` does, recording the check's last reading."""
    from bot.evaluation import evaluate

    readings: list[Any] = []
    service.extractive.on_check = readings.append
    out = []
    for n, question in enumerate(questions, 1):
        readings.clear()
        result = evaluate(service, [question])[0]
        last = readings[-1] if readings else None
        out.append(
            Asked(
                last.kind if last else None,
                last.confidence if last else 1.0,
                last.probability if last else 1.0,
                result.grounded,
                result.answerable,
                bool(result.correct),
                weight,
            )
        )
        if n % 200 == 0:
            common.log(f"{n}/{len(questions)} asked")
    service.extractive.on_check = None
    return out


def gain_at(rows: list[Asked], sure: float, shared: float, threshold: float) -> float:
    """Weighted train questions gained if answers below ``sure`` (not only below ``shared``) are checked:
    an answered trap that the check turns down is gained, an answered right one lost."""
    gain = 0.0
    for r in rows:
        if r.answered and r.confidence >= shared and r.confidence < sure and r.probability < threshold:
            gain += r.weight * (-1.0 if r.correct else (0.0 if r.answerable else 1.0))
    return gain


def choose(rows: list[Asked], shared: float, threshold: float, min_gain: float) -> tuple[dict[str, float], str]:
    """The level of each kind whose best level gains at least ``min_gain``, and the table that says why."""
    by_kind: dict[str, list[Asked]] = defaultdict(list)
    for r in rows:
        if r.kind is not None:
            by_kind[r.kind].append(r)
    chosen: dict[str, float] = {}
    lines = ["| kind | questions | traps | " + " | ".join(f"sure {s:g}" for s in SURE_LEVELS) + " | chosen |"]
    lines.append("|---" * (len(SURE_LEVELS) + 4) + "|")
    for kind in sorted(by_kind):
        kept = by_kind[kind]
        gains = [gain_at(kept, s, shared, threshold) for s in SURE_LEVELS]
        best = max(gains)
        pick = next(s for s, g in zip(SURE_LEVELS, gains, strict=True) if g == best)
        if best >= min_gain:
            chosen[kind] = pick
        traps = sum(not r.answerable for r in kept)
        cells = " | ".join(f"{g:+.1f}" for g in gains)
        lines.append(f"| {kind} | {len(kept)} | {traps} | {cells} | {chosen.get(kind, shared):g} |")
    return chosen, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=common.ROOT / "benchmarks" / ".cache" / "answer-suite")
    parser.add_argument("--model", type=Path, default=MODEL, help="the model file to read and write")
    parser.add_argument("--min-gain", type=float, default=MIN_GAIN)
    parser.add_argument("--limit", type=int, help="ask at most this many questions of each store (a quick try)")
    parser.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    parser.add_argument("--rows", type=Path, help="also write each question's reading and outcome here (JSON lines)")
    args = parser.parse_args(argv)

    import answer_suite

    from bot.answering.model import AnswerModel
    from bot.evaluation import load_questions

    data = json.loads(args.model.read_text(encoding="utf-8"))
    model = AnswerModel.from_json(data)
    if model.check is None:
        raise SystemExit(f"{args.model} has no answer check to tune")
    plain = dataclasses.replace(model, check=dataclasses.replace(model.check, sure_by_kind={}))

    news = [
        q
        for path in sorted(QUESTIONS.glob("news-*.jsonl"))
        if '"split": "train"' in path.read_text(encoding="utf-8")
        for q in load_questions(path, None, "train")
    ]
    even = {r["id"] for r in common.rows(common.XQUAD / "articles.jsonl") if int(r["id"].split("-")[1]) % 2 == 0}
    xquad = [q for q in load_questions(common.XQUAD / "questions.jsonl") if set(q.gold_articles) & even]
    news, xquad = news[: args.limit], xquad[: args.limit]

    rows: list[Asked] = []
    for store, questions, weight in (
        ("news", news, 1.0),
        ("xquad", xquad, XQUAD_SHARE / (1 - XQUAD_SHARE) * len(news) / max(len(xquad), 1)),
    ):
        service = answer_suite.service_for(store, args.root)
        service.extractive._model = plain  # every kind read at the shared level, whatever the file holds
        rows += ask_all(service, questions, weight)
        common.log(f"{store}: {len(questions)} train questions asked (weight {weight:.2f} each)")

    if args.rows:
        args.rows.write_text("".join(json.dumps(dataclasses.asdict(r)) + "\n" for r in rows), encoding="utf-8")
    chosen, table = choose(rows, model.check.sure, model.check.threshold, args.min_gain)
    print(table)
    print(f"chosen: {chosen or 'none'} (a kind's level must gain at least {args.min_gain:g} weighted questions)")
    if not args.dry_run:
        data["check"]["sure_by_kind"] = chosen
        data["check"]["sure_by_kind_training"] = {
            "news_questions": len(news),
            "xquad_questions": len(xquad),
            "min_gain": args.min_gain,
            "gains": {
                k: round(gain_at([r for r in rows if r.kind == k], v, model.check.sure, model.check.threshold), 1)
                for k, v in chosen.items()
            },
        }
        args.model.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.model}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
