"""Question sets in the two formats newsbot is measured with, read into one shape.

- evaluation sets (news quiz, XQuAD): ``question``, ``answer``, ``gold_article_ids``,
  ``gold_paragraphs`` (exact paragraph texts), optional ``evidence``;
- seed questions: ``question``, ``answerable``, ``answer_any``, ``gold_any`` ([file, paragraph]).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import NewsbotError

# The content-token rule of the evaluation data's lenient metric (its baseline's STOP list).
_STOP = set(
    """a an the of to in and or for on at by with from as is are was were be been being has have
had it its this that these those but not no nor so than then there their they them he she his her him
we our you your i me my what which who whom whose when where why how do does did will would can could
should may might must shall into over under about after before up down out off again further once
all any both each few more most other some such only own same too very s t just don now""".split()
)


def content_tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in _STOP}


def normalise(text: str) -> str:
    """Whitespace-free lower case: how the evaluation data compares paragraph texts."""
    return re.sub(r"\s+", "", text).lower()


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answerable: bool = True
    answers: tuple[str, ...] = ()
    gold_texts: frozenset[str] = frozenset()
    gold_ids: frozenset[str] = frozenset()
    gold_articles: frozenset[str] = frozenset()
    evidence: frozenset[str] | None = field(default=None, compare=False)
    asked_on: str = ""  # ISO day the question was asked ("this week" refers to it); "" when unknown
    kind: str = ""  # hand-written sets: why, how, yesno, paraphrase, chat, trap, factoid
    split: str = ""  # hand-written sets: train (what the answer model is fitted on), dev or test
    yes_no: str = ""  # yes/no questions: the answer the article states

    @property
    def has_paragraph_gold(self) -> bool:
        return bool(self.gold_texts or self.gold_ids)


def _from_record(record: dict[str, Any], number: int) -> EvalQuestion:
    qid = str(record.get("id") or number)
    if "gold_any" in record or "answer_any" in record:
        gold = [(str(name), int(n)) for name, n in record.get("gold_any", [])]
        return EvalQuestion(
            id=qid,
            question=record["question"],
            answerable=bool(record.get("answerable", True)),
            answers=tuple(record.get("answer_any", [])),
            gold_ids=frozenset(f"{Path(name).stem}#{n}" for name, n in gold),
            # A trap names the article whose story it asks about: its "related" paragraphs should be from it.
            gold_articles=frozenset(Path(name).stem for name, _ in gold)
            or frozenset([Path(str(record["article"])).stem] if record.get("article") else []),
            kind=str(record.get("kind", "")),
            split=str(record.get("split", "")),
            yes_no=str(record.get("yes_no", "")),
        )
    answer = str(record.get("answer", "")).strip().strip("“”\"'‘’ ")
    evidence = record.get("evidence")
    return EvalQuestion(
        id=qid,
        question=record["question"],
        answerable=True,
        answers=(answer,) if answer else (),
        gold_texts=frozenset(normalise(p) for p in record.get("gold_paragraphs", [])),
        gold_articles=frozenset(record.get("gold_article_ids", [])),
        evidence=frozenset(content_tokens(evidence)) if evidence else None,
        asked_on=str(record.get("date") or ""),
    )


def load_questions(path: Path, limit: int | None = None, split: str | None = None) -> list[EvalQuestion]:
    """Read a JSON Lines question file; a bad line is a one-line error naming it.

    ``split`` keeps only the questions of that split (the hand-written sets mark train and dev).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsbotError(f"Cannot read the question file {path}: {exc.strerror or exc}") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            question = _from_record(record, number)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise NewsbotError(f"{path}:{number}: not a question record ({exc.__class__.__name__}: {exc})") from None
        if split is None or question.split == split:
            questions.append(question)
        if limit is not None and len(questions) >= limit:
            break
    if not questions:
        raise NewsbotError(f"{path} holds no questions" + (f" of the {split!r} split" if split else ""))
    return questions
