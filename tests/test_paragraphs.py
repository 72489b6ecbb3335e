from pathlib import Path

import pytest

from corpus import bundled_articles_dir, load_articles, split_paragraphs


def test_bundled_seeds_split_into_the_documented_paragraph_counts() -> None:
    loaded = load_articles([bundled_articles_dir()])
    counts = {a.id[:3]: len(a.paragraphs) for a in loaded.articles}
    assert counts == {"000": 23, "001": 21, "002": 15, "003": 18}
    assert loaded.problems == []


def test_hard_wrapped_paragraph_is_joined_with_spaces() -> None:
    article = next(a for a in load_articles([bundled_articles_dir()]).articles if a.id.startswith("002"))
    eleventh = article.paragraphs[10]
    assert eleventh.number == 11
    assert "\n" not in eleventh.text
    assert "he had done, that he regretted it" in eleventh.text
    assert eleventh.text.endswith("But that was not evident")


def test_one_paragraph_per_line_when_there_are_no_blank_lines() -> None:
    assert split_paragraphs("First line.\nSecond line.\n\n") == ["First line.", "Second line."]


def test_blank_lines_win_over_line_breaks() -> None:
    text = "A wrapped\nparagraph.\n\nSecond one.\n"
    assert split_paragraphs(text) == ["A wrapped paragraph.", "Second one."]


def test_crlf_bom_and_whitespace_only_lines_are_handled() -> None:
    text = "\ufeffOne\r\nstill one\r\n  \r\nTwo\r\n"
    assert split_paragraphs(text) == ["One still one", "Two"]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_article_id_is_the_file_name_without_extension(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"story-1{suffix}").write_text("Hello there.\n")
    [article] = load_articles([tmp_path]).articles
    assert article.id == "story-1"
    assert article.paragraphs[0].id == "story-1#1"


def test_a_paragraph_comes_back_from_the_store_and_the_retriever_as_the_record_it_was(seed_service) -> None:
    """One record from corpus to citation: nothing is lost or renamed on the way through Chroma
    metadata and LangChain documents."""
    from retrieval.hybrid import hit_of

    read = {p.id: p for a in seed_service.load().articles for p in a.paragraphs}
    stored = {p.id: p for p in seed_service.store.paragraphs()}
    assert stored == read
    documents = seed_service.retriever.invoke("Why was Chris Carter expelled from the Labour Party?")
    assert documents
    for document in documents:
        hit = hit_of(document)
        assert hit.paragraph == read[hit.paragraph.id]
        assert document.id == hit.paragraph.id and hit.score > 0
