"""Ingest keeps the store equal to the articles: nothing re-embedded, nothing stale, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from tests_support import make_service

from corpus import bundled_articles_dir
from retrieval.indexer import Indexer


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(bundled_articles_dir(), folder)
    return folder


def test_reingesting_an_unchanged_corpus_embeds_nothing(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    first = service.ingest(service.load([corpus_dir]))
    again = service.ingest(service.load([corpus_dir]))
    assert (first.embedded, first.skipped) == (77, 0)
    assert (again.embedded, again.skipped, again.articles, again.paragraphs) == (0, 77, 4, 77)
    assert service.stats()["paragraphs"] == 77


def test_an_edited_article_leaves_no_stale_paragraph(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    story = corpus_dir / "002_d45b3a8c4a730c3c.txt"
    text = story.read_text()
    edited = text.replace("more than six hours", "about five hours and a half").replace(
        "\n\nMr Carter was told of the decision late last night.", ""
    )
    story.write_text(edited)
    summary = service.ingest(service.load([corpus_dir]))

    # ¶1 changed and ¶12 was removed, so ¶13–15 became ¶12–14: four paragraphs to embed, 72 kept.
    assert (summary.embedded, summary.skipped) == (4, 72)
    assert service.stats()["paragraphs"] == 76
    texts = {p.id: p.text for p in service.store.paragraphs()}
    assert "about five hours and a half" in texts["002_d45b3a8c4a730c3c#1"]
    assert not any("more than six hours" in t for t in texts.values())
    assert "002_d45b3a8c4a730c3c#15" not in texts
    hits = service.searcher.search("Mr Carter was told of the decision late last night", 8)
    assert all(h.paragraph.text in texts.values() for h in hits)


def test_prune_removes_articles_whose_files_are_gone(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    (corpus_dir / "001_0d878b2b2db99054.txt").unlink()
    kept = service.ingest(service.load([corpus_dir]))
    assert kept.removed_articles == 0 and service.stats()["articles"] == 4
    pruned = service.ingest(service.load([corpus_dir]), prune=True)
    assert pruned.removed_articles == 1
    assert service.stats()["articles"] == 3
    assert not any(p.article_id.startswith("001") for p in service.store.paragraphs())


def test_a_paragraph_longer_than_the_model_window_is_searchable_to_its_end(tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    filler = " ".join(f"The committee reviewed budget line {i} without comment." for i in range(80))
    ending = "Finally the aquarium announced that its octopus Otto escaped through a drain pipe."
    (folder / "long-story.txt").write_text(filler + " " + ending + "\nA short second paragraph.\n")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([folder]))

    assert service.store.record_count() > service.stats()["paragraphs"] == 2
    vector = service.embedder.encode(["Which octopus escaped from the aquarium through a drain?"])[0]
    dense = service.store.query(vector, 1)
    assert dense[0][0] == "long-story#1"
    answer = service.ask("Which octopus escaped from the aquarium through a drain pipe?")
    assert answer.grounded and "Otto" in answer.text
    assert answer.citations[0].paragraph == 1


def test_two_data_dirs_never_share_state(tmp_path: Path, corpus_dir: Path) -> None:
    first = make_service(tmp_path / "one")
    first.ingest(first.load([corpus_dir]))
    second = make_service(tmp_path / "two")
    assert second.stats()["paragraphs"] == 0


def test_a_new_process_finds_both_keyword_indexes_cached(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    service.searcher.search("Chris Carter", 4)
    again = make_service(tmp_path / "data")
    store_paragraphs = again.store.paragraphs
    again.store.paragraphs = lambda: pytest.fail("the keyword indexes were rebuilt from the store")  # type: ignore[method-assign]
    try:
        hits = again.searcher.search("Chris Carter", 4)
    finally:
        again.store.paragraphs = store_paragraphs  # type: ignore[method-assign]
    assert hits and "Carter" in hits[0].paragraph.text
    assert len(again.searcher.article_index()) == 4


def test_reingesting_an_unchanged_corpus_does_not_read_the_store_back(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    service.store.iter_records = lambda *a, **k: pytest.fail("every record was read back")  # type: ignore[method-assign]
    again = service.ingest(service.load([corpus_dir]))
    assert (again.embedded, again.skipped, again.articles, again.paragraphs) == (0, 77, 4, 77)


def test_a_write_by_another_process_makes_the_next_ingest_check_the_store(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    # Another process (a second client of a shared server) removes a paragraph and records its write.
    service.store.delete(["000_0a1940cb40f05bde#3@0"])
    service.store.mark_changed(4, 76, "someone else")
    again = service.ingest(service.load([corpus_dir]))
    assert again.embedded == 1
    assert any(h.paragraph.id == "000_0a1940cb40f05bde#3" for h in service.searcher.search("party council expel", 8))


def test_a_write_cut_short_makes_the_next_ingest_check_the_store(tmp_path: Path, corpus_dir: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    service.store.mark_writing()  # as a run killed mid-write leaves it
    service.store.delete(["000_0a1940cb40f05bde#3@0"])
    assert service.ingest(service.load([corpus_dir])).embedded == 1


def test_the_title_carries_a_paragraph_that_does_not_name_its_subject(tmp_path: Path) -> None:
    """Default "vector" mode: the title, embedded once per article, is part of each paragraph's vector."""
    articles = tmp_path / "octopus.jsonl"
    articles.write_text(
        '{"id": "otto", "title": "Otto the octopus escapes from the city aquarium", '
        '"text": "He slipped out through a narrow drain pipe during the night.\\n\\nStaff found the tank empty."}\n'
    )
    question = "How did the octopus get out of the aquarium?"
    similarity = {}
    for mode in ("vector", "none", "prefix"):
        service = make_service(tmp_path / mode, embed_title=mode)
        summary = service.ingest(service.load([articles]))
        assert summary.embedded == 2
        dense = dict(service.store.query(service.embedder.query_vector(question), 2))
        similarity[mode] = dense["otto#1"]
        if mode == "vector":
            stored = service.store.embeddings_for(["otto#1@0"])["otto#1@0"]
            expected = (
                service.embedder.encode_windows(
                    service.embedder.windows("He slipped out through a narrow drain pipe during the night.")
                )[0]
                + 0.5
                * service.embedder.encode_windows(
                    service.embedder.windows("Otto the octopus escapes from the city aquarium")
                )[0]
            )
            assert float(stored @ (expected / np.linalg.norm(expected))) > 0.999
    assert similarity["vector"] > similarity["none"] + 0.1
    assert similarity["prefix"] > similarity["none"] + 0.1


def test_changing_how_titles_are_embedded_embeds_again(tmp_path: Path, corpus_dir: Path) -> None:
    first = make_service(tmp_path / "data", embed_title="prefix")
    assert first.ingest(first.load([corpus_dir])).embedded == 77
    again = make_service(tmp_path / "data", embed_title=True)  # the old switch's "true" is the prefix
    assert again.ingest(again.load([corpus_dir])).embedded == 0
    vector = make_service(tmp_path / "data")
    assert vector.ingest(vector.load([corpus_dir])).embedded == 77
    assert make_service(tmp_path / "data").ingest(vector.load([corpus_dir])).embedded == 0
    heavier = make_service(tmp_path / "data", title_weight=1.0)
    assert heavier.ingest(heavier.load([corpus_dir])).embedded == 77


def test_adding_an_article_reads_nothing_back_and_extends_the_keyword_index(tmp_path: Path, corpus_dir: Path) -> None:
    import json

    service = make_service(tmp_path / "data")
    service.ingest(service.load([corpus_dir]))
    folder = service.searcher.keyword_store.folder
    base = json.loads((folder / f"manifest-{service.store.version()}.json").read_text())["segments"]

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "ferry.txt").write_text(
        "Ferry Terminal Plans\n\nThe harbour board approved a new ferry terminal costing 40 million.\n\n"
        "Work starts in spring.",
        encoding="utf-8",
    )
    service.store.iter_records = lambda *a, **k: pytest.fail("every record was read back")  # type: ignore[method-assign]
    service.store.records_of_articles = lambda *a, **k: pytest.fail("a new article was looked up")  # type: ignore[method-assign]
    service.store.paragraphs = lambda: pytest.fail("the keyword index was rebuilt")  # type: ignore[method-assign]
    added = service.ingest(service.load([extra]))
    assert (added.embedded, added.articles) == (3, 1)
    assert (service.stats()["paragraphs"], service.stats()["articles"]) == (80, 5)

    # The ingest saved the new version's index: the base segment as it was, plus a small one.
    segments = json.loads((folder / f"manifest-{service.store.version()}.json").read_text())["segments"]
    assert segments[0] == base[0] and len(segments) == 2
    fresh = make_service(tmp_path / "data")
    fresh.store.paragraphs = lambda: pytest.fail("a reader rebuilt the keyword index")  # type: ignore[method-assign]
    assert fresh.searcher.search("ferry terminal harbour board", 3)[0].paragraph.id == "ferry#2"


@pytest.mark.parametrize(
    ("backend", "key", "titled", "untitled"),
    [
        # "int8-7bit" since stop 81: 7-bit weights, fast and exact on every CPU, are other vectors, so every
        # store is embedded once more (before: "vectors=int8-exact", bcfe41962f549c79 and 190d314f5bc547fe;
        # until stop 80 "vectors=int8", 64fb88251939ea5a and d380e257a39823ba).
        ("onnx-int8", "all-MiniLM-L6-v2|title=1|window=256|vectors=int8-7bit", "30779f9e381a0e4d", "90e4a8d54a2a4324"),
        ("torch", "all-MiniLM-L6-v2|title=1|window=256", "3d02ee5b9492226d", "7a40da6ddb39fdaf"),
    ],
)
def test_the_hashes_of_existing_stores_do_not_change(backend: str, key: str, titled: str, untitled: str) -> None:
    """A paragraph's stored hash decides whether it is embedded again: if its recipe changed, the
    next ingest of an unchanged archive (73k paragraphs) would re-embed everything. The key is
    read without loading the model."""
    from corpus import Paragraph
    from retrieval.embeddings import ParagraphEmbedder

    indexer = Indexer(None, ParagraphEmbedder(backend=backend), embed_title=True)  # type: ignore[arg-type]
    titled_paragraph = Paragraph(
        "000_x", 3, "Chris Carter was expelled.", "Carter expelled", "https://n.example/1", "2010-07-28"
    )
    assert indexer.embedder_key == key
    assert indexer.paragraph_hash(titled_paragraph) == titled
    assert indexer.paragraph_hash(Paragraph("001_y", 1, "No title here.", lead="No title here")) == untitled
    assert indexer.embedder._model is None and indexer.embedder._onnx is None


def test_batches_written_beside_the_embedding_store_what_one_after_the_other_stores(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch is upserted while the next one is embedded: same records, same vectors, same search."""
    from retrieval import indexer

    monkeypatch.setattr(indexer, "CHUNK_PARAGRAPHS", 10)  # the 4 articles in 4 batches
    stores = {}
    for background in (True, False):
        service = make_service(tmp_path / f"data-{background}")
        writes: list[int] = []

        def counted(ids, *args, _upsert=service.store.upsert, _writes=writes, **kwargs):  # type: ignore[no-untyped-def]
            _writes.append(len(ids))
            return _upsert(ids, *args, **kwargs)

        service.store.upsert = counted  # type: ignore[method-assign]
        monkeypatch.setattr(indexer.Indexer, "background_writes", background)
        assert service.ingest(service.load([corpus_dir])).embedded == 77
        assert len(writes) == 4 and sum(writes) == service.store.record_count()
        ids = sorted(r for r, _, _ in service.store.iter_records(include=("metadatas",)))
        stores[background] = (ids, service.store.embeddings_for(ids))
        hits = [h.paragraph.id for h in service.searcher.search("party council expel", 5)]
        stores[background] += (hits,)
    (ids_bg, vectors_bg, hits_bg), (ids_seq, vectors_seq, hits_seq) = stores[True], stores[False]
    assert ids_bg == ids_seq and hits_bg == hits_seq
    assert all(np.allclose(vectors_bg[r], vectors_seq[r], atol=1e-6) for r in ids_bg)


def test_a_store_error_in_a_background_write_stops_the_ingest_and_the_next_run_finishes(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval import indexer

    monkeypatch.setattr(indexer, "CHUNK_PARAGRAPHS", 10)
    service = make_service(tmp_path / "data")
    upsert, calls = service.store.upsert, []

    def failing(ids, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return upsert(ids, *args, **kwargs)

    service.store.upsert = failing  # type: ignore[method-assign]
    with pytest.raises(OSError, match="disk full"):
        service.ingest(service.load([corpus_dir]))
    assert 0 < service.store.record_count() < 77
    service.store.upsert = upsert  # type: ignore[method-assign]
    again = service.ingest(service.load([corpus_dir]))
    assert again.embedded + again.skipped == 77 and again.embedded < 77
    assert service.stats()["paragraphs"] == 77


def test_paragraph_texts_read_back_whether_kept_as_metadata_or_as_documents(tmp_path: Path) -> None:
    """Short texts are stored as metadata and long ones as Chroma documents (retrieval/store.py); a
    store written before that (every text a document) must read its edits, not its stale documents."""
    folder = tmp_path / "story"
    folder.mkdir()
    long_paragraph = " ".join(f"The council listed grievance number {i} in its report." for i in range(90))
    story = folder / "council.txt"
    story.write_text(f"The council met on Monday.\n\n{long_paragraph}\n")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([folder]))
    texts = {p.number: p.text for p in service.store.paragraphs()}
    assert len(long_paragraph.encode()) > 4000 and texts[2] == long_paragraph
    assert texts[1] == "The council met on Monday."

    # As an older newsbot wrote it: the text as the record's document only.
    collection = service.store.collection
    record = collection.get(ids=["council#1@0"], include=["metadatas", "embeddings"])
    meta = {k: v for k, v in record["metadatas"][0].items() if k != "text"}
    collection.delete(ids=["council#1@0"])
    collection.upsert(
        ids=["council#1@0"], embeddings=record["embeddings"], documents=["The council met on Monday."], metadatas=[meta]
    )

    story.write_text("The council met on Tuesday instead.\n\nThe report was short.\n")
    service.ingest(service.load([folder]))
    texts = {p.number: p.text for p in service.store.paragraphs()}
    assert texts == {1: "The council met on Tuesday instead.", 2: "The report was short."}


def test_a_line_repeated_across_articles_is_embedded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "bridge.txt").write_text(
        "The mayor opened the new bridge on Friday.\n\nAdvertisement\n\nTraffic resumed.\n"
    )
    (folder / "storm.txt").write_text(
        "A storm closed the port on Sunday.\n\nAdvertisement\n\nFerries were cancelled.\n"
    )
    service = make_service(tmp_path / "data")
    embedded: list[str] = []
    encode = service.embedder.encode_windows

    def counting(windows: list) -> np.ndarray:
        embedded.extend(w.text for w in windows)
        return encode(windows)

    monkeypatch.setattr(service.embedder, "encode_windows", counting)
    summary = service.ingest(service.load([folder]))

    assert summary.embedded == 6 and embedded.count("Advertisement") == 1
    stored = {(p.article_id, p.number): p.text for p in service.store.paragraphs()}
    assert stored[("bridge", 2)] == stored[("storm", 2)] == "Advertisement"
    vectors = service.store.embeddings_for(["bridge#2@0", "storm#2@0"])
    assert all(np.linalg.norm(v) > 0.99 for v in vectors.values()) and len(vectors) == 2
