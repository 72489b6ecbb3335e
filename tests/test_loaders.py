import json
from pathlib import Path

from corpus import load_articles


def test_jsonl_articles_keep_title_url_and_date(tmp_path: Path) -> None:
    record = {
        "id": "rtqa-1",
        "title": "A title",
        "url": "https://example.org/a",
        "published": "2022-06-01",
        "text": "First.\n\nSecond.",
    }
    (tmp_path / "news.jsonl").write_text(json.dumps(record) + "\n")
    [article] = load_articles([tmp_path / "news.jsonl"]).articles
    assert (article.id, article.title, article.url, article.published) == (
        "rtqa-1",
        "A title",
        "https://example.org/a",
        "2022-06-01",
    )
    assert [p.text for p in article.paragraphs] == ["First.", "Second."]
    assert article.paragraphs[0].label == "A title"


def test_bad_inputs_are_named_and_good_ones_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A good article.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Café in Zürich.\n".encode("latin-1"))
    (tmp_path / "copy.txt").write_text("A good article.\n")
    lines = [
        json.dumps({"id": "j1", "text": "Line one article."}),
        "{not json",
        json.dumps({"id": "j3", "title": "no text"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    loaded = load_articles([tmp_path])

    assert sorted(a.id for a in loaded.articles) == ["copy", "j1", "latin1"] or sorted(
        a.id for a in loaded.articles
    ) == ["good", "j1", "latin1"]
    failed = {Path(p.source).name + (f":{p.line}" if p.line else ""): p.reason for p in loaded.failed}
    assert "empty" in failed["empty.txt"]
    assert "binary" in failed["binary.txt"]
    assert "not valid JSON" in failed["feed.jsonl:2"]
    assert "text" in failed["feed.jsonl:3"]
    warnings = " | ".join(str(w) for w in loaded.warnings)
    assert "not UTF-8" in warnings
    assert "same text as" in warnings
    latin = next(a for a in loaded.articles if a.id == "latin1")
    assert latin.paragraphs[0].text == "Café in Zürich."


def test_oversized_file_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 300_000)
    loaded = load_articles([tmp_path], max_file_mb=1)
    assert loaded.articles == []
    assert "over the 1 MB limit" in loaded.failed[0].reason


def test_missing_path_is_reported(tmp_path: Path) -> None:
    loaded = load_articles([tmp_path / "nope"])
    assert loaded.failed[0].reason == "no such file or folder"


def test_untitled_articles_are_labelled_by_a_short_first_sentence(tmp_path: Path) -> None:
    (tmp_path / "002_d45b3a8c4a730c3c.txt").write_text(
        "The Labour Party expelled MP Chris Carter late last night after a meeting that lasted more "
        "than six hours.\n\nParty president Andrew Little said so."
    )
    (tmp_path / "short.txt").write_text("Mr. J. Smith resigned. He had served ten years.")
    (tmp_path / "titled.md").write_text("# Council expels Carter\n\nChris Carter was expelled.")
    articles = {a.id: a for a in load_articles([tmp_path]).articles}
    expelled = articles["002_d45b3a8c4a730c3c"]
    assert expelled.label == "The Labour Party expelled MP Chris Carter late last night…"
    assert len(expelled.label) <= 60
    assert [p.label for p in expelled.paragraphs] == [expelled.label] * 2  # every paragraph carries it
    assert expelled.paragraphs[1].article_id == "002_d45b3a8c4a730c3c"  # the id does not change
    assert articles["short"].label == "Mr. J. Smith resigned"  # "Mr." and "J." do not end it
    assert articles["titled"].label == "Council expels Carter" and articles["titled"].paragraphs[0].lead == ""


def test_an_untitled_article_is_labelled_by_its_story_not_its_dateline(tmp_path: Path) -> None:
    # 81 untitled articles of the news archive open with a dateline on a line of its own and were
    # labelled "CNN —" or "Washington CNN —" in Sources and Related lines (stop 56).
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "rates", "text": "Washington CNN —\n\nThe Fed raised rates on Wednesday.\n\nMore."}) + "\n"
    )
    (tmp_path / "b.txt").write_text("New York CNN Business —\nTwitter shares fell 5% on Monday.\nThey recovered.")
    articles = {a.id: a for a in load_articles([tmp_path]).articles}
    assert articles["rates"].label == "The Fed raised rates on Wednesday"
    assert articles["b"].label == "Twitter shares fell 5% on Monday"
    assert articles["rates"].paragraphs[0].text == "Washington CNN —"  # the paragraph itself is kept
