"""`newsbot eval`: metrics that match the evaluation data's definitions, and the report files."""

from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import evaluate, load_questions, summarise
from bot.evaluation.questions import content_tokens, normalise


def test_seed_questions_in_the_seed_format_are_read(shared: Path) -> None:
    questions = load_questions(shared / "seed_questions.jsonl")
    first = questions[0]
    assert first.gold_ids == {"000_0a1940cb40f05bde#3"}
    assert first.answers == ("August 7",)
    assert sum(not q.answerable for q in questions) == 2


def test_evaluation_format_keeps_gold_texts_and_evidence(shared: Path) -> None:
    [question] = load_questions(shared / "evaldata" / "news" / "questions.jsonl", limit=1)
    assert question.answers == ("Squid Game",)
    assert question.gold_articles == {"rtqa-0283"}
    # Compared as the data writes them (its text has no licence to be copied here): a gold paragraph
    # normalised, and the evidence as content words.
    assert any(normalise("green lit for a second season") in text for text in question.gold_texts)
    assert {"netflix", "squid", "game", "second", "season"} <= question.evidence
    assert question.evidence == content_tokens(" ".join(sorted(question.evidence)))


def test_metrics_on_the_seed_questions(seed_service, shared: Path) -> None:
    results = evaluate(seed_service, load_questions(shared / "seed_questions.jsonl"))
    summary = summarise(results)
    assert summary["questions"] == 13 and summary["unanswerable"] == 2
    assert summary["para_hit@4"] == 1.0
    # The known misses of tests/test_answering.py: seed-dev-12 is answered, three answers miss.
    assert summary["abstention_accuracy"] >= 1 / 2
    assert summary["wrong_abstention_rate"] <= 1 / 11
    assert summary["answer_contains_expected"] >= 8 / 11
    assert 0.5 <= summary["citation_precision"] <= 1.0
    wood = next(r for r in results if r.id == "seed-dev-03")
    assert (
        wood.strict_rank == 1 and wood.answer_contains and wood.retrieved[0]["paragraph_id"] == "001_0d878b2b2db99054#7"
    )


def test_a_bad_question_file_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    from config import NewsbotError

    bad = tmp_path / "q.jsonl"
    bad.write_text('{"question": "ok?"}\n{oops\n')
    with pytest.raises(NewsbotError, match=r"q.jsonl:2: not a question record"):
        load_questions(bad)


def test_eval_command_writes_the_report_chart_and_per_question_lines(tmp_path: Path, shared: Path) -> None:
    from tests_support import run_cli

    data = tmp_path / "data"
    out = tmp_path / "report"
    result = run_cli(
        [
            "eval",
            str(shared / "seed_questions.jsonl"),
            "--articles",
            str(Path(__file__).parents[1] / "corpus" / "articles"),
            "--limit",
            "4",
            "--out",
            str(out),
            "--json",
        ],
        data,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["questions"] == 4
    lines = (out / "questions.jsonl").read_text().splitlines()
    assert len(lines) == 4 and {"retrieved", "answer", "citations", "strict_rank"} <= set(json.loads(lines[0]))
    assert "| paragraph hit@4 (strict) |" in (out / "report.md").read_text()
    assert (out / "hit_at_k.png").read_bytes().startswith(b"\x89PNG")


def test_a_question_is_asked_as_of_the_day_its_set_records(tmp_path: Path) -> None:
    import datetime as dt

    from bot.evaluation.runner import asked_on

    path = tmp_path / "questions.jsonl"
    rows = [
        {"id": "a", "question": "Which show was green lit this week?", "answer": "x", "date": "2022-06-17"},
        {"id": "b", "question": "Who won?", "answer": "y"},
        {"id": "c", "question": "Who lost?", "answer": "z", "date": "June 2022"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    dated, undated, unreadable = load_questions(path)
    assert asked_on(dated) == dt.date(2022, 6, 17)
    assert asked_on(undated) is None and asked_on(unreadable) is None


def test_the_dev_split_of_several_files_is_one_set_with_a_row_per_kind(tmp_path: Path) -> None:
    from tests_support import run_cli

    root = Path(__file__).parents[1]
    seeds = root / "benchmarks" / "questions" / "seeds.jsonl"
    dev = sum(json.loads(line)["split"] == "dev" for line in seeds.read_text().splitlines() if line.strip())
    result = run_cli(
        [
            "eval",
            str(seeds),
            str(seeds),
            "--split",
            "dev",
            "--articles",
            str(root / "corpus" / "articles"),
            "--out",
            str(tmp_path / "report"),
            "--json",
        ],
        tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["questions"] == 2 * dev  # both files, dev questions only
    assert {"correct", "correct[trap]", "correct[why]", "correct[chat]"} <= set(summary)
    assert "| correct: trap questions |" in (tmp_path / "report" / "report.md").read_text()


def test_a_not_found_reply_is_scored_on_whether_its_related_paragraphs_hold_the_story(
    seed_service, tmp_path: Path
) -> None:
    # A near-miss trap names the article of its story; the reply's related paragraphs should include it.
    question = "How many votes did Chris Carter win at the 2008 election?"
    records = [
        {"id": f"trap-{n}", "question": question, "kind": "trap", "answerable": False, "answer_any": [],
         "gold_any": [], "article": article, "split": "dev"}
        for n, article in enumerate(["002_d45b3a8c4a730c3c.txt", "001_0d878b2b2db99054.txt"])
    ]
    path = tmp_path / "traps.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    results = evaluate(seed_service, load_questions(path))
    carter, sharma = results
    assert not carter.grounded and carter.related  # not found, with related reading
    assert carter.related_holds_gold is True and sharma.related_holds_gold is False
    assert summarise(results)["traps_related_story"] == 0.5
