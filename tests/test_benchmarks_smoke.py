"""The speed benchmark's smoke mode runs end to end (CI runs only this small version)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import common, plain  # noqa: E402


def test_subset_takes_whole_articles_then_cuts_the_last_one() -> None:
    records = [{"id": f"a{i}", "text": "\n\n".join(f"p{i}-{j}" for j in range(4))} for i in range(5)]
    subset = common.subset_records(records, 10, first=["a3"])
    assert [r["id"] for r in subset] == ["a3", "a0", "a1"]
    assert common.paragraph_count(subset) == 10
    assert subset[-1]["text"] == "p1-0\n\np1-1"


@pytest.mark.slow
def test_smoke_benchmark_runs_and_reports(
    shared: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path / "smoke.json"
    models = tmp_path_factory.getbasetemp() / "onnx-models"  # shared with test_embeddings_onnx when run together
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--smoke",
            "--out",
            str(out),
            "--models-dir",
            str(models),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(out.read_text())
    ours = result["ingest"]["newsbot:onnx-int8"]
    assert ours["paragraphs"] == ours["embedded"] == 300
    assert ours["reingest_embedded"] == 0 and not ours["reingest_model_loaded"]
    serve = result["serve_newsbot"]
    assert serve["retrieval"]["n"] == serve["answer"]["n"] == 20
    assert not serve["torch_imported"], "serving from the ONNX cache should not import torch"
    assert "| (a) ingest" in proc.stdout and "| (c) hybrid retrieval p95" in proc.stdout
    reason = plain.missing()
    if reason:
        assert result["plain_skipped"] == reason
        assert "plain pipeline skipped" in proc.stdout
    else:
        assert result["ingest"]["plain"]["paragraphs"] == 300
        assert result["serve_plain"]["retrieval"]["n"] == 20
        assert "ingest_vs_plain" in result["ratios"]


@pytest.mark.slow
def test_profile_reports_every_step_of_an_ingest_and_a_search(
    shared: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, seed_service
) -> None:
    models = tmp_path_factory.getbasetemp() / "onnx-models"  # shared with test_embeddings_onnx when run together

    def profile(*args: str) -> dict:
        out = tmp_path / f"{args[0]}.json"
        script = str(ROOT / "benchmarks" / "profile_steps.py")
        proc = subprocess.run(
            [sys.executable, script, *args, "--out", str(out), "--models-dir", str(models)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "| step |" in proc.stdout
        return json.loads(out.read_text())

    ingest = profile("ingest", "--paragraphs", "60")
    assert ingest["paragraphs"] == ingest["embedded"] == 60
    steps = {row["step"]: row for row in ingest["steps"]}
    assert steps["model (onnxruntime run)"]["cpu_s"] > 0 and steps["Chroma upsert"]["calls"] >= 1
    assert abs(sum(row["cpu_share"] for row in ingest["steps"]) - 1) < 0.01

    query = profile("query", "--store", str(seed_service.settings.resolved_data_dir), "--queries", "5")
    assert query["queries"] == 5 and query["paragraphs"] == 77
    steps = {row["step"]: row for row in query["steps"]}
    assert steps["query embedding"]["calls"] == steps["Chroma HNSW query"]["calls"] == 5
    assert "Chroma count" not in steps  # one Chroma call per search
    assert 0 < query["p50_ms"] <= query["p95_ms"]


def test_copies_differ_in_names_and_numbers_but_keep_the_common_words() -> None:
    from benchmarks.scale import Copier

    record = {"id": "a1", "url": "u", "title": "Carter wins", "published": "2022-03-01", "text": "Carter won 12 votes."}
    copier = Copier([record, {"id": "a2", "text": "the votes were counted and won"}])
    copy = copier.record(3, record)
    assert copy["id"] == "a1-c03" and copy["published"] == "2019-03-01" and copy["url"].endswith("copy=3")
    assert copy["text"].endswith(" won 15 votes.") and "Carter" not in copy["text"]
    assert copy["title"].split()[0] == copy["text"].split()[0]  # one name, renamed the same all through a copy
    assert copier.record(4, record)["text"] != copy["text"] and copier.record(0, record) == record


@pytest.mark.slow
def test_scale_benchmark_smoke_builds_stages_and_measures_a_second_process(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "scale.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "scale.py"),
            "--smoke",
            "--root",
            str(tmp_path / "scale"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(out.read_text())
    assert [s["paragraphs"] for s in result["sizes"]] == [300, 900]
    for stage in result["sizes"]:
        second = stage["second_process"]
        assert second["search_ms"]["n"] == 20 and second["startup_s"]["spawn_to_first_answer"] > 0
        assert second["rss_mb"]["VmRSS"] > 0 and stage["disk"]["keyword_mb"] >= 0
    assert result["sizes"][1]["ingest"]["derived_vectors"] > 0  # copies took derived vectors
    added = result["add_articles"]
    assert added["articles"] == 2 and added["paragraphs"] > 0 and not added["rebuilt_keyword_index"]
    assert added["second_process_after"]["paragraphs"] == 900 + added["paragraphs"]
    assert "| 900 |" in proc.stdout


@pytest.mark.slow
def test_the_answer_suite_prints_the_quality_table_and_what_changed(shared: Path, tmp_path: Path) -> None:
    def suite(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(ROOT / "benchmarks" / "answer_suite.py"), "--root", str(tmp_path)]
        command += ["--sets", "dev-first-sample", "seed-questions", "off-topic", "--limit", "3", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)

    first = suite("--tag", "before")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "store sample: 77 paragraphs, 77 embedded now" in first.stderr
    rows = {line.split(" | ")[0].strip("| "): line for line in first.stdout.splitlines()}
    assert "correct" in rows["set"] and "wrong abstentions" in rows["set"]
    assert "/3 |" in rows["dev-first-sample"] and "/3 |" in rows["seed-questions"]
    # News questions asked of the sample articles: each should be "not found", with nothing related.
    assert "| off-topic 3/3 |" in rows["off-topic"] and "| off-topic 0/3 |" in rows["off-topic"]
    assert (tmp_path / "runs" / "before" / "seed-questions" / "questions.jsonl").exists()

    again = suite("--tag", "after", "--compare", "before", "--live")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "77 paragraphs, 0 embedded now" in again.stderr  # the store is built once
    assert "against before" in again.stdout
    # The same code answers the same way; the sample articles have no dates, so "live" changes nothing.
    assert again.stdout.count("0 changed, 0 gained, 0 lost") == 3
    assert "asked as on" not in again.stderr


def test_an_interrupted_reader_training_resumes_at_the_first_fold_not_done(tmp_path: Path) -> None:
    from benchmarks.train_reader import FoldTable

    path = tmp_path / "reader-oof.json"
    first = FoldTable(path, "recipe-a")
    first.table["Why?"] = {"Because.": 0.7}
    first.finished(0)  # the run is cut off here, before fold 2
    again = FoldTable(path, "recipe-a")
    assert again.done == [0] and again.table == {"Why?": {"Because.": 0.7}}
    other = FoldTable(path, "recipe-b")  # other questions or another recipe: nothing is reused
    assert other.done == [] and other.table == {}
    again.finished(1)
    again.write()
    again.close()
    assert json.loads(path.read_text()) == {"Why?": {"Because.": 0.7}}
    assert not again.partial.exists() and FoldTable(path, "recipe-a").done == []


@pytest.mark.parametrize(
    ("option", "message"), [("--folds=1", "--folds must be at least 2"), ("--epochs=0", "--epochs must be at least 1")]
)
def test_reader_training_refuses_a_recipe_it_cannot_run(tmp_path: Path, option: str, message: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "train_reader.py"), "--news-store", str(tmp_path), option],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_the_follow_up_benchmark_scores_the_last_turn_of_each_conversation(tmp_path: Path) -> None:
    script = [sys.executable, str(ROOT / "benchmarks" / "follow_ups.py")]
    run = subprocess.run([*script, "--limit", "2", "--json"], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["summary"]["conversations"] == 2
    first = report["results"][0]
    # "what did he say in response?" after "Who did Sharma accuse of being a bully?": he is McAnulty.
    assert first["understood"] == "what did Kieran McAnulty say in response?"
    assert first["correct"] and first["cited"] == ["001_0d878b2b2db99054 ¶13"]

    # A gold paragraph that does not hold the answer's words stops the run: the set stays honest.
    wrong = tmp_path / "wrong.jsonl"
    row = {"id": "x", "turns": ["Who is Carter?"], "answerable": True, "answer_any": ["Sharma"]}
    wrong.write_text(json.dumps({**row, "gold_any": [["002_d45b3a8c4a730c3c", 15]]}) + "\n")
    refused = subprocess.run([*script, "--file", str(wrong)], capture_output=True, text=True, timeout=600, check=False)
    assert refused.returncode == 1 and "x: 002_d45b3a8c4a730c3c ¶15 holds none of ['Sharma']" in refused.stderr


def test_questions_are_retyped_as_in_a_chat_with_one_typo_the_same_every_run() -> None:
    import random

    from benchmarks.typed_as_chat import typed

    question = "Who did the Celtics pick to take over as coach after suspending Ime Udoka?"
    assert typed(question, "written", random.Random(1)) == question
    lower = typed(question, "lower", random.Random(1))
    assert lower == "who did the celtics pick to take over as coach after suspending ime udoka"
    retyped = typed(question, "typo", random.Random(1))
    assert retyped == typed(question, "typo", random.Random(1)) and retyped != lower
    # One word of five letters or more differs, by one typo; the rest is as typed in lower case.
    changed = [(a, b) for a, b in zip(lower.split(), retyped.split(), strict=True) if a != b]
    assert len(changed) == 1 and len(changed[0][0]) >= 5
    # Opened as in a chat, the question itself as written.
    opened = typed(question, "asked", random.Random(1))
    assert opened == typed(question, "asked", random.Random(1)) and opened.endswith(question[1:])
    openings = {"Can you tell me", "I want to know", "Explain", "Any idea", "I was wondering"}
    assert opened.split(" who did")[0] in openings
    assert typed("Did Sharma leak it?", "asked", random.Random(1)).endswith(": did Sharma leak it?")
    # A yes/no question with a name for subject, reported; any other question as written.
    assert typed("Did Carter appeal the decision?", "whether", random.Random(1)).endswith(
        "Carter appealed the decision"
    )
    assert typed(question, "whether", random.Random(1)) == question


def test_a_story_is_requested_from_its_headline_the_same_every_run() -> None:
    import random

    from benchmarks.story_requests import request_for

    headline = "Sanctions slam Russian economy | CNN Business"
    made = request_for(headline, random.Random(1))
    assert made == request_for(headline, random.Random(1))
    assert made is not None and made.lower().endswith("sanctions slam russian economy")
    assert request_for("5 things to know for Jan. 25: Ukraine, SCOTUS, Covid-19", random.Random(1)) is None


@pytest.mark.slow
def test_the_answer_latency_benchmark_times_answers_and_counts_what_each_graph_embeds(tmp_path: Path) -> None:
    script = [sys.executable, str(ROOT / "benchmarks" / "answer_latency.py")]
    quietly: dict = {"capture_output": True, "text": True, "check": False}
    missing = subprocess.run([*script, "--store", str(tmp_path / "none")], **quietly)
    assert missing.returncode == 1 and "no newsbot store at" in missing.stderr and "Traceback" not in missing.stderr

    store = tmp_path / "store"
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(store)}
    ingest = subprocess.run(
        [sys.executable, "-m", "bot", "ingest"], env=env, capture_output=True, text=True, check=False
    )
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    no_file = subprocess.run([*script, "--store", str(store), "--file", str(tmp_path / "nope.jsonl")], **quietly)
    assert no_file.returncode == 1 and "no such file" in no_file.stderr and "Traceback" not in no_file.stderr
    out = tmp_path / "latency.json"
    # Questions the sample articles answer: their sentences are embedded and read (news questions are not).
    questions = ROOT / "benchmarks" / "questions" / "seeds.jsonl"
    command = [*script, "--store", str(store), "--file", str(questions), "--questions", "4", "--runs", "1"]
    command += ["--out", str(out), "--warm-paragraphs", "20"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["store_paragraphs"] == 77 and figures["questions"] == 4
    cold, warm = figures["runs"]
    assert (cold["sentence_vectors"], warm["sentence_vectors"]) == ("cold", "warm")
    assert 0 < cold["p50_ms"] <= cold["p95_ms"] <= cold["max_ms"] and cold["cpu_ms_per_answer"] > 0
    # Cold, each answer embeds its candidate sentences with MiniLM and reads them with the reader; warm,
    # the same questions find them kept and embed little more than the question.
    assert cold["texts_per_answer"]["MiniLM"] >= 2 and cold["texts_per_answer"]["reader-int8"] >= 2, figures
    assert warm["texts_per_answer"]["reader-int8"] <= 1, figures
    assert figures["warm"]["paragraphs"] == 20 and figures["warm"]["vectors"] > 0
    assert "run 1, cold: ask p50" in run.stdout and "run 1, warm: ask p50" in run.stdout
    assert not (store / "cache" / "sentence-vectors.sqlite").exists()  # the store is only read
