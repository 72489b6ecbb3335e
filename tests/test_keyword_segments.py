"""Issue 13: the keyword index grows by segments and still ranks as one index built at once.

No model here: the keyword side works on paragraph text alone, so these build real indexes on disk
from generated articles and compare them with an index built in one go from the same paragraphs.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from corpus import Paragraph
from retrieval.keyword import KeywordIndex
from retrieval.keyword_store import KeywordStore, forget_loaded_keyword_indexes

WORDS = (
    "harbour council ferry bridge toll storm damage election budget school teacher hospital nurse "
    "river flood farmer wheat price market bank rate inflation court judge appeal senator vote "
    "museum painting theft police arrest festival music stadium football coach injury"
).split()
QUERIES = [
    "ferry bridge toll",
    "storm flood damage river",
    "judge appeal court senator",
    "football coach injury",
    "wheat",
]


def article(aid: str, seed: int, paragraphs: int = 4, title: str = "") -> list[Paragraph]:
    rng = random.Random(seed)
    return [
        Paragraph(
            article_id=aid,
            number=n,
            text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 30))),
            title=title or f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
            url=f"https://example.org/{aid}",
            published=f"2024-01-{1 + seed % 28:02d}",
            source=f"{aid}.txt",
        )
        for n in range(1, paragraphs + 1)
    ]


def ranked(index: KeywordIndex, query: str) -> list[tuple[float, str]]:
    """Results as (score, id), ordered so that ties do not depend on positions."""
    docs = index.paragraphs
    return sorted(((round(s, 9), docs[p].id) for p, s in index.search(query, 1000)), key=lambda x: (-x[0], x[1]))


def assert_same_as_one_build(store: KeywordStore, version: str, articles: dict[str, list[Paragraph]]) -> None:
    forget_loaded_keyword_indexes()  # read from disk, as another process would
    loaded = store.load(version)
    assert loaded is not None
    paragraphs = [p for group in articles.values() for p in group]
    whole, whole_articles = KeywordIndex.build(paragraphs, "x"), KeywordIndex.build_for_articles(paragraphs, "x")
    index, article_index = loaded
    assert len(index) == len(paragraphs) and len(article_index) == len(articles)
    for query in QUERIES:
        assert ranked(index, query) == ranked(whole, query), query
        assert ranked(article_index, query) == ranked(whole_articles, query), query
    assert index.document_frequency() == whole.document_frequency()
    assert sorted(p.id for p in index.paragraphs) == sorted(p.id for p in paragraphs)


def manifest(store: KeywordStore, version: str) -> dict:
    return json.loads((store.folder / f"manifest-{version}.json").read_text())


def test_updates_rank_exactly_as_an_index_built_at_once(tmp_path: Path) -> None:
    store = KeywordStore(tmp_path / "kw")
    corpus = {f"a{i}": article(f"a{i}", i) for i in range(60)}
    assert store.update(None, "v1", list(corpus.values()))
    assert_same_as_one_build(store, "v1", corpus)

    # New articles, an edited one (new text, one paragraph fewer) and a removed one: the IDFs and
    # the average length of the whole index move, and the old base segment must follow them.
    corpus["b1"], corpus["b2"] = article("b1", 101, 6), article("b2", 102, 2)
    corpus["a3"] = article("a3", 999, 3)
    del corpus["a7"]
    assert store.update("v1", "v2", [corpus["b1"], corpus["b2"], corpus["a3"]], removed=["a7"])
    assert_same_as_one_build(store, "v2", corpus)
    index, _ = store.load("v2")  # type: ignore[misc]
    assert index.positions.get("a7#1") is None and index.published.get("a7") is None
    assert index.paragraphs[index.positions["a3#2"]].text == corpus["a3"][1].text
    assert index.positions.get("a3#4") is None  # the edited article's old fourth paragraph is gone


def test_adding_a_few_articles_writes_a_small_segment_and_leaves_the_base_alone(tmp_path: Path) -> None:
    store = KeywordStore(tmp_path / "kw")
    corpus = {f"a{i}": article(f"a{i}", i) for i in range(300)}
    store.update(None, "v1", list(corpus.values()))
    base = manifest(store, "v1")["segments"][0]["name"]
    base_files = {p: p.stat().st_mtime_ns for p in (store.folder / base).iterdir()}

    corpus["new"] = article("new", 5000, 3)
    store.update("v1", "v2", [corpus["new"]])
    segments = manifest(store, "v2")["segments"]
    assert segments[0] == {"name": base, "dead": None}
    assert len(segments) == 2
    assert {p: p.stat().st_mtime_ns for p in (store.folder / base).iterdir()} == base_files
    small = json.loads((store.folder / segments[1]["name"] / "segment.json").read_text())
    assert small == {"format": 1, "paragraphs": 3, "articles": 1}
    assert_same_as_one_build(store, "v2", corpus)


def test_many_small_ingests_stay_few_segments_and_merges_change_no_result(tmp_path: Path) -> None:
    store = KeywordStore(tmp_path / "kw")
    corpus = {f"a{i}": article(f"a{i}", i) for i in range(200)}
    store.update(None, "v0", list(corpus.values()))
    for step in range(1, 41):
        new = article(f"n{step}", 10_000 + step, 2)
        corpus[new[0].article_id] = new
        changed = [new]
        if step % 5 == 0:  # now and then an old article is edited too
            corpus[f"a{step}"] = article(f"a{step}", 20_000 + step)
            changed.append(corpus[f"a{step}"])
        assert store.update(f"v{step - 1}", f"v{step}", changed)
        assert len(manifest(store, f"v{step}")["segments"]) <= 8
    assert_same_as_one_build(store, "v40", corpus)
    # Only the last few versions and what they name are kept.
    assert len(list(store.folder.glob("manifest-*.json"))) == 3
    named = {s["name"] for v in (38, 39, 40) for s in manifest(store, f"v{v}")["segments"]}
    assert {p.name for p in store.folder.glob("seg-*")} == named


def test_an_update_without_the_previous_index_says_so(tmp_path: Path) -> None:
    store = KeywordStore(tmp_path / "kw")
    assert not store.update("never-saved", "v2", [article("a", 1)])
    assert not store.update("v1", "v2", [article("a", 1)])
    assert store.load("v2") is None


def test_a_rebuild_indexes_the_whole_store_once_and_the_next_caller_loads_it(tmp_path: Path) -> None:
    store = KeywordStore(tmp_path / "kw")
    corpus = {f"a{i}": article(f"a{i}", i) for i in range(20)}
    paragraphs = [p for group in corpus.values() for p in group]
    index, articles = store.rebuild("v1", lambda: paragraphs)
    assert len(index) == 80 and len(articles) == 20
    again, _ = store.rebuild("v1", lambda: pytest.fail("built twice"))
    assert ranked(again, "ferry bridge") == ranked(index, "ferry bridge")


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: {**m, "segments": [{"name": "../../outside", "dead": None}]},
        lambda m: {**m, "vocabulary": ["/etc/passwd"]},
        lambda m: {**m, "df": "df-0000000000000000.npy"},
        lambda m: {**m, "terms": m["terms"] + 5},
        lambda m: {**m, "segments": [{"name": m["segments"][0]["name"], "dead": "dead-../../x.npy"}]},
        lambda m: {**m, "format": 4},
    ],
)
def test_a_damaged_manifest_is_ignored_not_followed(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    store = KeywordStore(tmp_path / "kw")
    store.update(None, "v1", [article("a", 1), article("b", 2)])
    path = store.folder / "manifest-v1.json"
    path.write_text(json.dumps(damage(json.loads(path.read_text()))))
    forget_loaded_keyword_indexes()
    assert store.load("v1") is None


def test_a_damaged_segment_is_ignored(tmp_path: Path) -> None:
    import numpy as np

    store = KeywordStore(tmp_path / "kw")
    store.update(None, "v1", [article("a", 1), article("b", 2)])
    segment = store.folder / manifest(store, "v1")["segments"][0]["name"]
    np.save(segment / "p_docs.npy", np.asarray([10**6] * len(np.load(segment / "p_docs.npy")), dtype=np.int32))
    forget_loaded_keyword_indexes()
    assert store.load("v1") is None


def test_writing_the_index_removes_the_per_process_caches_of_older_versions(tmp_path: Path) -> None:
    """After an upgrade, the BM25 cache folders of the old design go; anything current stays."""
    legacy = tmp_path / "keyword-newsbot-paragraphs-articles" / "e70b7fea654843ae8cda904342bbee12-v4"
    legacy.mkdir(parents=True)
    (legacy / "index.pickle").write_bytes(b"old")
    current = KeywordStore(tmp_path / "keyword-newsbot-paragraphs-title")
    assert current.update(None, "t1", [article("other", 9)])
    store = KeywordStore(tmp_path / "keyword-newsbot-paragraphs-none")
    assert store.update(None, "v1", [article("a", 1)])
    assert not legacy.parent.exists()
    assert current.load("t1") is not None
