"""Follow-up questions in a conversation, measured: is the last turn answered from the right paragraph?

    .venv/bin/python benchmarks/follow_ups.py                   # the bundled sample, a temporary store
    .venv/bin/python benchmarks/follow_ups.py --data-dir DIR    # reuse a store of the sample
    .venv/bin/python benchmarks/follow_ups.py --json

``benchmarks/conversations/follow-ups.jsonl`` holds short conversations over the bundled sample
articles, written as people follow up in a chat ("what did he say in response?", "and carter?",
"why?"): each line's ``turns`` are asked in order in one conversation (the REPL's and a Discord
thread's :class:`bot.conversation.Conversation`), and only the last is scored. An answerable last
turn is right when a cited paragraph is one of ``gold_any`` (article id, paragraph number); a trap
(``answerable: false``, the detail is in no article) when nothing is cited. The script first checks
that each gold paragraph holds one of ``answer_any``, so the set stays honest as the articles are
read. ``newsbot eval`` and ``answer_suite.py`` ask every question on its own; this is the only
measure of the follow-up rewrite (``bot/answering/follow_up.py``), which the unit tests check
example by example. The set was written at stop 41, after the rewrite's last changes, and guides
follow-up work; nothing is fitted on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS = ROOT / "benchmarks" / "conversations" / "follow-ups.jsonl"
SAMPLE = ROOT / "corpus" / "articles"


def load(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        if not row.get("turns") or not isinstance(row.get("answerable"), bool):
            raise SystemExit(f"{path}: {row.get('id', '?')}: needs 'turns' and 'answerable'")
    return rows


def check_gold(rows: list[dict[str, Any]], paragraphs: dict[tuple[str, int], str]) -> list[str]:
    """Problems with the set itself: a gold paragraph that does not exist or lacks every key word."""
    problems = []
    for row in rows:
        for article, number in row.get("gold_any", []):
            text = paragraphs.get((article, number))
            if text is None:
                problems.append(f"{row['id']}: no paragraph {article} ¶{number}")
            elif not any(word.lower() in text.lower() for word in row["answer_any"]):
                problems.append(f"{row['id']}: {article} ¶{number} holds none of {row['answer_any']}")
        if row["answerable"] and not row.get("gold_any"):
            problems.append(f"{row['id']}: answerable but no gold paragraph")
    return problems


def ask(service: Any, row: dict[str, Any]) -> dict[str, Any]:
    from bot.conversation import Conversation

    conversation = Conversation()
    answer = None
    for turn in row["turns"]:
        answer = service.ask(turn, conversation)  # adds the turn to the conversation
    assert answer is not None
    cited = [(c.article_id, c.paragraph) for c in answer.citations]
    gold = {(article, number) for article, number in row.get("gold_any", [])}
    correct = bool(gold & set(cited)) if row["answerable"] else not answer.grounded
    return {
        "id": row["id"],
        "answerable": row["answerable"],
        "correct": correct,
        "asked": row["turns"][-1],
        "understood": answer.standalone_question,
        "cited": [f"{a} ¶{n}" for a, n in cited],
        "answer": answer.text,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=CONVERSATIONS)
    parser.add_argument("--data-dir", type=Path, help="a store of the sample articles (default: a new temporary one)")
    parser.add_argument("--limit", type=int, help="only the first N conversations (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print every result and the summary as JSON")
    args = parser.parse_args(argv)

    from bot.service import NewsbotService
    from config import load_settings

    rows = load(args.file)[: args.limit]
    with tempfile.TemporaryDirectory(prefix="newsbot-follow-ups-") as scratch:
        service = NewsbotService(load_settings(data_dir=args.data_dir or Path(scratch)))
        loaded = service.load([SAMPLE])
        service.ingest(loaded)
        paragraphs = {(p.article_id, p.number): p.text for article in loaded.articles for p in article.paragraphs}
        problems = check_gold(rows, paragraphs)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        results = [ask(service, row) for row in rows]

    answerable = [r for r in results if r["answerable"]]
    traps = [r for r in results if not r["answerable"]]
    summary = {
        "conversations": len(results),
        "correct": sum(r["correct"] for r in results),
        "answerable_cited": sum(r["correct"] for r in answerable),
        "answerable": len(answerable),
        "traps_abstained": sum(r["correct"] for r in traps),
        "traps": len(traps),
    }
    if args.json:
        print(json.dumps({"summary": summary, "results": results}, indent=2, ensure_ascii=False))
        return 0
    for r in results:
        mark = "right" if r["correct"] else "WRONG"
        print(f"{r['id']}  {mark:5}  {r['asked']!r} → {r['understood']!r}  cites {', '.join(r['cited']) or 'nothing'}")
    print(
        f"\ncorrect {summary['correct']}/{summary['conversations']}: answerable last turns cited right "
        f"{summary['answerable_cited']}/{summary['answerable']}, traps abstained "
        f"{summary['traps_abstained']}/{summary['traps']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
