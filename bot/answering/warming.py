"""``newsbot warm``: embed every sentence the answer step may read, ahead of the questions.

An answer embeds its candidate sentences with MiniLM and with the reader (and its best few with the
answer check's reader): most of its time on a CPU (docs/speed.md). Those vectors are kept in the data
folder (:mod:`retrieval.sentence_vectors`), so a sentence read for one question costs nothing for the
next; warming computes them for the whole archive at once, so even the first question about a story
is answered at the speed of a warm one. Only what the file lacks is computed: a run stopped with
Ctrl-C keeps what it did and the next one goes on from there, and after an ingest only the new
paragraphs' sentences are embedded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.answering.extractive import ExtractiveAnswerer, candidate_sentences
from corpus import Paragraph
from retrieval.sentence_vectors import Compute, SentenceVectors

CHUNK = 64  # sentences embedded and written at a time: what Ctrl-C may lose, and how often the bar moves


@dataclass
class WarmSummary:
    sentences: int  # distinct candidate sentences in the archive
    graphs: int  # models that read them
    computed: int  # vectors computed now (the others were kept already)
    seconds: float
    interrupted: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "sentences": self.sentences,
            "graphs": self.graphs,
            "computed": self.computed,
            "seconds": round(self.seconds, 1),
            "interrupted": self.interrupted,
        }


def answer_sentences(paragraphs: Iterable[Paragraph]) -> list[str]:
    """Every distinct sentence the answer step may embed, in archive order."""
    found: dict[str, None] = {}
    for paragraph in paragraphs:
        for _, start, end in candidate_sentences(paragraph.text):
            found.setdefault(paragraph.text[start:end])
    return list(found)


def graphs_of(answerer: ExtractiveAnswerer) -> list[tuple[str, Compute]]:
    """The models that embed candidate sentences, as (graph name, embed each text alone)."""
    graphs: list[tuple[str, Compute]] = [(answerer.embedder.graph_id, answerer.embedder.encode_alone)]
    readers = [answerer.reader] + ([answerer.check_reader] if answerer.model.check is not None else [])
    for reader in readers:
        graph, compute = getattr(reader, "graph_id", None), getattr(reader, "encode_alone", None)
        if graph is not None and compute is not None:  # a reader that keeps no vectors is skipped
            graphs.append((graph, compute))
    return graphs


def warm(
    answerer: ExtractiveAnswerer,
    kept: SentenceVectors,
    paragraphs: Iterable[Paragraph],
    on_plan: Callable[[int], None] = lambda total: None,
    progress: Callable[[int], None] = lambda n: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> WarmSummary:
    """Compute the vectors ``kept`` lacks for every candidate sentence of ``paragraphs``, for each model.

    ``on_plan`` gets the total (sentences × models); ``progress`` each chunk's size; ``should_stop`` is
    asked between chunks. Vectors of models no longer in use (an older reader) and of sentences no longer
    in the archive are deleted first."""
    started = time.monotonic()
    sentences = answer_sentences(paragraphs)
    graphs = graphs_of(answerer)
    kept.drop_other_graphs([graph for graph, _ in graphs])
    for graph, _ in graphs:
        kept.drop_other_texts(graph, sentences)
    on_plan(len(sentences) * len(graphs))
    computed = 0
    for graph, compute in graphs:
        for start in range(0, len(sentences), CHUNK):
            if should_stop():
                return WarmSummary(len(sentences), len(graphs), computed, time.monotonic() - started, True)
            chunk = sentences[start : start + CHUNK]
            computed += kept.fill(graph, chunk, compute)
            progress(len(chunk))
    return WarmSummary(len(sentences), len(graphs), computed, time.monotonic() - started)


def warm_in_passing(
    answerer: ExtractiveAnswerer,
    kept: SentenceVectors,
    paragraphs: Iterable[Paragraph],
    should_stop: Callable[[], bool],
    chunk: int,
) -> WarmSummary:
    """:func:`warm` as a running bot does it beside its questions (bot/background_warming.py): the
    paragraphs are read as they come, about ``chunk`` sentences at a time, each chunk embedded by every
    model before the next, and ``should_stop`` asked before each model's part. Nothing is prepared ahead
    and nothing is deleted: listing and hashing the whole archive first is seconds of Python that an
    answer in another thread would wait behind, and one model's part of a chunk is the longest an answer
    ever shares the embedding threads with this.
    ``sentences`` counts the sentences read (one repeated in two chunks counts twice)."""
    started = time.monotonic()
    graphs = graphs_of(answerer)
    read = computed = 0
    texts: dict[str, None] = {}

    def embed() -> bool:
        nonlocal read, computed
        for graph, compute in graphs:
            if should_stop():
                return False
            computed += kept.fill(graph, list(texts), compute)
        read += len(texts)
        texts.clear()
        return True

    for paragraph in paragraphs:
        for _, start, end in candidate_sentences(paragraph.text):
            texts.setdefault(paragraph.text[start:end])
        if len(texts) >= chunk and not embed():
            return WarmSummary(read, len(graphs), computed, time.monotonic() - started, True)
    if texts and not embed():
        return WarmSummary(read, len(graphs), computed, time.monotonic() - started, True)
    return WarmSummary(read, len(graphs), computed, time.monotonic() - started)
