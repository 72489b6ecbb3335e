"""The real `newsbot` command in subprocesses, as a user runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests_support import run_cli as run


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    result = run(["ingest"], data)
    assert result.returncode == 0, result.stderr
    assert "Articles: 4  paragraphs: 77  embedded: 77" in result.stderr
    assert "Embedding paragraphs" in result.stderr  # the progress bar, drawn when there is work
    return data


def test_ingesting_an_unchanged_folder_again_draws_no_empty_bar(ingested: Path) -> None:
    result = run(["ingest"], ingested, COLUMNS="80")  # a pipe or a log with no terminal width
    assert result.returncode == 0, result.stderr
    assert "embedded: 0  skipped (unchanged): 77" in result.stderr
    assert "Embedding paragraphs" not in result.stderr
    # The summary stays on one line, where rich would wrap it at the 80 columns it assumes.
    assert re.search(r"^Articles: 4 .* removed articles: 0  failed: 0  seconds: [\d.]+$", result.stderr, re.M)


def test_ask_json_follows_the_contract(ingested: Path) -> None:
    result = run(["ask", "--json", "Why was Chris Carter expelled from the Labour Party?"], ingested)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= {"question", "answer", "grounded", "citations"}
    assert payload["grounded"] is True
    first = payload["citations"][0]
    assert set(first) == {"n", "article_id", "label", "paragraph", "quote", "url", "published"}
    assert first["published"] is None  # the sample's .txt articles carry no day
    assert first["article_id"] in {"000_0a1940cb40f05bde", "002_d45b3a8c4a730c3c", "003_ac9ca953e05f51c2"}
    assert first["label"].endswith("…") and "_" not in first["label"]  # the lead sentence, not the file name
    assert isinstance(first["paragraph"], int) and first["paragraph"] >= 1
    article = Path(__file__).resolve().parents[1] / "corpus" / "articles" / f"{first['article_id']}.txt"
    assert first["quote"] in " ".join(article.read_text().split())


def test_ask_abstains_on_a_question_the_articles_do_not_answer(ingested: Path) -> None:
    result = run(["ask", "What is the capital of France?"], ingested)
    assert result.returncode == 0
    assert result.stdout.startswith("The articles don't say")
    assert "Sources" not in result.stdout


def test_stats_json_counts_articles_and_paragraphs(ingested: Path) -> None:
    payload = json.loads(run(["stats", "--json"], ingested).stdout)
    assert (payload["articles"], payload["paragraphs"]) == (4, 77)


def test_reingest_says_nothing_was_embedded(ingested: Path) -> None:
    result = run(["ingest", "--json"], ingested)
    summary = json.loads(result.stdout)
    assert (summary["embedded"], summary["skipped"], summary["failed"]) == (0, 77, [])


def test_repl_transcript_with_follow_up_sources_and_new(ingested: Path) -> None:
    script = (
        "Why was Chris Carter expelled from the Labour Party?\nWhen was he elected?\nthanks!\n:sources\n:new\n:quit\n"
    )
    result = run(["repl"], ingested, stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "> When was he elected?" in out
    assert "(understood as: When was Chris Carter elected?)" in out
    assert "1993" in out
    # "thanks!" is not a question: no answer, no "thanks! (Chris Carter)?", and :sources still has 1993.
    assert "> thanks!\n(You're welcome." in out and "thanks! (" not in out
    # Sources carry a label people read (the untitled .txt file's first sentence)…
    assert re.search(r"Sources:\n(?:.*\n)*\[\d\] The Labour Party expelled MP Chris Carter late last night…, ¶15", out)
    # …and :sources also names the file, which --json keeps as article_id.
    assert "[1] The Labour Party expelled MP Chris Carter late last night… (002_d45b3a8c4a730c3c), ¶15" in out
    assert "(new conversation)" in out


def test_repl_greets_a_greeting_instead_of_searching_for_it(ingested: Path) -> None:
    result = run(["repl"], ingested, stdin="hello there\n:quit\n")
    assert result.returncode == 0, result.stderr
    # "hello there" was a search no paragraph answered ("The articles don't say"); "hi" was thanked.
    assert "> hello there\n(Hello! Ask a question about the articles" in result.stdout
    assert "articles don't say" not in result.stdout


def test_ask_with_thanks_or_help_says_how_to_ask_instead_of_quoting(ingested: Path) -> None:
    thanks = run(["ask", "thanks!"], ingested)
    assert thanks.returncode == 0, thanks.stderr
    # It quoted a sentence holding "thanks" as if it answered.
    assert thanks.stdout.startswith("I'm newsbot: I answer questions") and "[1]" not in thanks.stdout
    assert run(["ask", "source?"], ingested).stdout.startswith("Each answer lists its sources under it")
    payload = json.loads(run(["ask", "--json", "help"], ingested).stdout)
    assert (payload["grounded"], payload["citations"]) == (False, []) and "newsbot ask" in payload["answer"]


def test_repl_answers_what_can_you_do_with_its_help_not_a_search(ingested: Path) -> None:
    result = run(["repl"], ingested, stdin="Why was Chris Carter expelled?\nwhat can you do\n:quit\n")
    assert result.returncode == 0, result.stderr
    # It was searched for as a follow-up, "what can you do (Why was Chris Carter expelled?)".
    assert "> what can you do\nI'm newsbot: I answer questions" in result.stdout and ":sources" in result.stdout
    assert "understood as: what can you do" not in result.stdout


def test_repl_shows_the_sources_when_asked_where_the_answer_came_from(ingested: Path) -> None:
    result = run(["repl"], ingested, stdin="Why was Chris Carter expelled?\nwhere did you get that\n:quit\n")
    assert result.returncode == 0, result.stderr
    # It was asked as the follow-up "where did you get that (Why was Chris Carter expelled?)".
    assert "understood as: where did you get that" not in result.stdout
    after = result.stdout.split("> where did you get that\n", 1)[1]
    assert after.startswith("[1] ") and "(00" in after.splitlines()[0]  # the full paragraph, its file named


def test_repl_sources_after_two_questions_at_once_lists_both_answers_sources(ingested: Path) -> None:
    result = run(["repl"], ingested, stdin="What did Goff say? And how long was the meeting?\n:sources\n:quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "What did Goff say?\nMr Goff described Mr Carter's actions as stupid and disloyal. [1]" in out
    # :sources numbers the paragraphs as the answer did: [1] is Goff's words, [3] the second story's length.
    assert "[1] Chris Carter will be a lonely MP from now until the next… (000_0a1940cb40f05bde), ¶8" in out
    assert "[3] Former Labour MP Chris Carter threatened to disclose the… (003_ac9ca953e05f51c2), ¶2" in out


def test_asking_before_any_ingest_is_a_one_line_error(tmp_path: Path) -> None:
    result = run(["ask", "Who is Phil Goff?"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: No articles have been ingested yet: run `newsbot ingest` first."


def test_a_misspelt_setting_in_the_environment_is_named_with_the_nearest_one(tmp_path: Path) -> None:
    result = run(["stats"], tmp_path, NEWSBOT_TOPK="5", NEWSBOT_TEST_ANYTHING="1")
    assert result.returncode == 0, result.stderr
    warning = "Warning: NEWSBOT_TOPK is not a newsbot setting and is ignored (did you mean NEWSBOT_TOP_K?)"
    assert warning in result.stderr
    assert "NEWSBOT_TEST_ANYTHING" not in result.stderr  # the tests' and benchmarks' own switches are not settings


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = run(["stats"], tmp_path, NEWSBOT_TOP_K="many")
    assert result.returncode == 2
    assert "NEWSBOT_TOP_K" in result.stderr and "Traceback" not in result.stderr


def test_ingesting_a_missing_path_fails_with_its_name(tmp_path: Path) -> None:
    result = run(["ingest", str(tmp_path / "nowhere")], tmp_path / "data")
    assert result.returncode == 1
    assert f"failed: {tmp_path / 'nowhere'}: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Embedding paragraphs" not in result.stderr  # no empty progress bar before the error


def test_help_explains_every_command(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    # The Commands section, not the quick-start text above it (which names ingest, ask and repl too).
    listed = result.stdout.split("\nCommands:\n", 1)[1].splitlines()
    described = dict(line.split(None, 1) for line in listed if line.strip())
    assert set(described) == {"ask", "demo", "discord", "eval", "feedback", "ingest", "repl", "stats", "warm"}
    assert all(len(text) > 20 for text in described.values()), described
    assert "NEWSBOT_DATA_DIR" in result.stdout


def _ingested(tmp_path: Path, records: list[dict[str, str]]) -> Path:
    """A data folder holding ``records`` (article records, as a .jsonl file holds them), ingested by the CLI."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    data = tmp_path / "data"
    assert run(["ingest", str(articles)], data).returncode == 0
    return data


def _two_mayors(tmp_path: Path) -> Path:
    return _ingested(tmp_path, [
        {"id": "jan", "title": "Harbour council elects a mayor", "published": "2022-01-10",
         "text": "The harbour council elected Alice Moana as mayor on Monday.\n\nShe promised a new ferry."},
        {"id": "jun", "title": "Harbour council elects a new mayor", "published": "2022-06-10",
         "text": "The harbour council elected Ben Tait as mayor on Monday.\n\nHe promised a new bridge."},
    ])  # fmt: skip


def _cited(data: Path, *extra: str) -> list[str]:
    result = run(["ask", "--json", *extra, "Who did the harbour council elect as mayor?"], data)
    assert result.returncode == 0, result.stderr
    return [c["article_id"] for c in json.loads(result.stdout)["citations"]]


def test_ask_as_of_a_day_answers_from_the_articles_published_by_then(tmp_path: Path) -> None:
    data = _two_mayors(tmp_path)
    assert _cited(data, "--as-of", "2022-02-01") == ["jan"]  # the June article did not exist yet
    bad = run(["ask", "--as-of", "last week", "Who is mayor?"], data)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "'last week' does not match the format '%Y-%m-%d'" in bad.stderr


def test_asked_today_the_newer_report_leads_and_the_earlier_follows_dated(tmp_path: Path) -> None:
    data = _two_mayors(tmp_path)
    assert _cited(data) == ["jun", "jan"]
    as_json = run(["ask", "--json", "who is the mayor"], data)
    assert [c["published"] for c in json.loads(as_json.stdout)["citations"]] == ["2022-06-10", "2022-01-10"]
    result = run(["ask", "who is the mayor"], data)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert said.startswith("Latest report, 2022-06-10: The harbour council elected Ben Tait")
    assert "Earlier, 2022-01-10: The harbour council elected Alice Moana" in said


def test_a_later_articles_different_count_is_shown_as_a_dated_disagreement(tmp_path: Path) -> None:
    data = _ingested(tmp_path, [
        {"id": "mon", "title": "Storm hits the coast", "published": "2022-06-08",
         "text": "The storm killed four people on the coast, officials said.\n\nPower was cut to 20,000 homes."},
        {"id": "wed", "title": "Storm toll rises", "published": "2022-06-10",
         "text": "The death toll from the storm has risen to six people, officials said on Wednesday."},
    ])  # fmt: skip
    result = run(["ask", "how many people did the storm kill"], data)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert said.startswith("The articles disagree: Reported 2022-06-08: The storm killed four people")
    assert "Reported 2022-06-10: The death toll from the storm has risen to six people" in said
    assert "[2] Storm toll rises, ¶1 (2022-06-10)" in result.stdout  # the sources say which is the newer


def test_a_holder_the_sentence_says_resigned_is_quoted_but_not_given_as_the_answer(tmp_path: Path) -> None:
    text = ("Freedonia's President Anna Berg, who fled the country on Monday, has formally resigned, the speaker "
            "said.\n\nProtesters celebrated in the capital.")  # fmt: skip
    data = _ingested(tmp_path, [{"id": "fled", "title": "President resigns", "text": text}])
    result = run(["ask", "who is the president of freedonia"], data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Freedonia's President Anna Berg, who fled"), result.stdout  # no "Anna Berg:" lead


def test_an_unwritable_model_cache_is_a_one_line_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("")
    result = run(["ingest"], tmp_path / "data", NEWSBOT_MODEL_CACHE_DIR=str(not_a_folder / "models"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Cannot write the ONNX model export" in result.stderr
    assert "NEWSBOT_MODEL_CACHE_DIR" in result.stderr


def test_demo_ingests_the_sample_and_shows_two_articles_disagreeing(tmp_path: Path) -> None:
    result = run(["demo"], tmp_path / "data", stdin="")
    assert result.returncode == 0, result.stderr
    assert "The articles disagree" in result.stdout
    assert "more than six hours" in result.stdout and "seven-hour" in result.stdout
    assert "no terminal attached" in result.stdout


def test_an_unwritable_default_model_cache_falls_back_to_the_data_folder(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache-home-is-a-file"
    not_a_folder.write_text("")
    result = run(["ingest"], tmp_path / "data", XDG_CACHE_HOME=str(not_a_folder))
    assert result.returncode == 0, result.stderr
    assert "embedded: 77" in result.stderr
    assert list((tmp_path / "data" / "models").glob("*int8*.onnx"))


def test_feedback_exports_the_discord_votes_as_csv_and_json(tmp_path: Path) -> None:
    import csv
    import io

    from bot.answering.answer import Answer, Citation
    from bot.discord_bot.feedback import FeedbackStore

    data = tmp_path / "data"
    assert run(["feedback"], data).returncode == 1  # nothing yet: a one-line error, no empty file made
    store = FeedbackStore(data / "discord-feedback.sqlite3")  # where the bot keeps it by default
    cited = (Citation(1, "002_d45b3a8c4a730c3c", "The Labour Party expelled…", 1, "Carter was expelled."),)
    store.record_answer(11, Answer("Why was Carter expelled?", "Carter was expelled. [1]", cited, grounded=True))
    store.record_answer(12, Answer("Who won the cup?", "The articles don't say."))
    store.vote(11, 501, 1)
    store.vote(12, 501, -1)
    store.vote(12, 502, -1)

    rows = list(csv.DictReader(io.StringIO(run(["feedback"], data).stdout)))
    assert [(r["question"], r["vote"]) for r in rows] == [
        ("Why was Carter expelled?", "1"), ("Who won the cup?", "-1"), ("Who won the cup?", "-1")
    ]
    assert json.loads(rows[0]["citations"])[0]["article_id"] == "002_d45b3a8c4a730c3c"
    out = tmp_path / "votes.json"
    result = run(["feedback", "--format", "json", "--days", "7", "--output", str(out)], data)
    assert result.returncode == 0 and "3 vote(s) written" in result.stderr
    votes = json.loads(out.read_text())
    assert sorted(v["vote"] for v in votes) == [-1, -1, 1] and "501" not in out.read_text()
