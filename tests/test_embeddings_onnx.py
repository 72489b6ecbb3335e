"""The ONNX embedding backends: same vectors as torch (int8: close), exported once, offline."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from config.settings import default
from corpus import bundled_articles_dir, load_articles
from retrieval import onnx_backend
from retrieval.embeddings import ParagraphEmbedder
from retrieval.indexer import Indexer


def _no_network(*args: object, **kwargs: object) -> None:
    raise OSError("network access attempted during an offline test")


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ONNX files (fp32; int8 for questions; 7-bit int8 for paragraphs), exported once for the
    session with every network connection refused."""
    folder = tmp_path_factory.getbasetemp() / "onnx-models"
    with (
        mock.patch.object(socket.socket, "connect", _no_network),
        mock.patch.object(socket, "create_connection", _no_network),
    ):
        ParagraphEmbedder(backend="onnx-int8", cache_dir=folder).encode(["warm up"])
        ParagraphEmbedder(backend="onnx-int8", cache_dir=folder).onnx_paragraphs.encode(["warm up"])
        ParagraphEmbedder(backend="onnx", cache_dir=folder).encode(["warm up"])
    yield folder


@pytest.fixture(scope="session")
def bundled_texts() -> list[str]:
    """What the indexer embeds for the bundled articles: "title. paragraph" windows."""
    articles = load_articles([bundled_articles_dir()]).articles
    embedder = ParagraphEmbedder(backend="torch")
    texts = [
        window.text
        for article in articles
        for p in article.paragraphs
        for window in embedder.windows(p.text, f"{p.title}. " if p.title else "")
    ]
    assert len(texts) >= 77
    return texts


@pytest.fixture(scope="session")
def torch_vectors(bundled_texts: list[str]) -> np.ndarray:
    return ParagraphEmbedder(backend="torch").encode(bundled_texts)


def test_default_constructor_follows_the_settings_default(onnx_cache: Path) -> None:
    embedder = ParagraphEmbedder(cache_dir=onnx_cache)
    assert embedder.backend == default("embed_backend") == "onnx-int8"
    assert embedder.batch_size == default("embed_batch_size")
    assert embedder.key == "int8-7bit"
    torch_embedder = ParagraphEmbedder(backend="torch")
    assert torch_embedder.key == "fp32"
    assert torch_embedder.encode([]).shape == (0, 384)


@pytest.mark.parametrize("backend", ["torch", "onnx", "onnx-int8"])
def test_the_shape_the_indexer_records_is_the_loaded_models(onnx_cache: Path, backend: str) -> None:
    """The window size and vector length enter the stored hash without loading the model: they
    must be what the model really has, on every backend."""
    embedder = ParagraphEmbedder(backend=backend, cache_dir=onnx_cache)  # type: ignore[arg-type]
    assert embedder.max_tokens == embedder.window_tokens == 256
    assert embedder.encode(["Chris Carter was expelled."]).shape == (1, embedder.dimension) == (1, 384)


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend"):
        ParagraphEmbedder(backend="onnx-int4")  # type: ignore[arg-type]


@pytest.mark.parametrize("graph", ["questions", "paragraphs"])
def test_int8_vectors_are_close_to_torch(
    onnx_cache: Path, bundled_texts: list[str], torch_vectors: np.ndarray, graph: str
) -> None:
    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    encoder = embedder.onnx if graph == "questions" else embedder.onnx_paragraphs
    vectors = encoder.encode(bundled_texts)
    assert vectors.shape == torch_vectors.shape and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = (vectors * torch_vectors).sum(axis=1)
    assert cosine.min() >= 0.98, f"worst paragraph cosine {cosine.min():.4f}"
    assert cosine.mean() >= 0.985


def test_fp32_onnx_vectors_equal_torch(onnx_cache: Path, bundled_texts: list[str], torch_vectors: np.ndarray) -> None:
    vectors = ParagraphEmbedder(backend="onnx", cache_dir=onnx_cache).encode(bundled_texts)
    cosine = (vectors * torch_vectors).sum(axis=1)
    assert cosine.min() >= 0.9999


def test_batching_and_padding_do_not_change_vectors(onnx_cache: Path, bundled_texts: list[str]) -> None:
    embedder = ParagraphEmbedder(backend="onnx", cache_dir=onnx_cache, batch_size=3)
    short = "Who escaped from the aquarium?"
    alone = embedder.encode([short])[0]
    mixed = embedder.encode([bundled_texts[0], short, *bundled_texts[1:6]])
    np.testing.assert_allclose(mixed[1], alone, atol=1e-5)
    np.testing.assert_allclose(mixed[0], embedder.encode([bundled_texts[0]])[0], atol=1e-5)


def test_export_happens_once_and_is_reused(onnx_cache: Path) -> None:
    files = onnx_backend.model_files(onnx_cache)
    assert files["fp32"].is_file() and files["int8"].is_file() and files["int8-7bit"].is_file()
    assert files["int8"].stat().st_size < files["fp32"].stat().st_size / 2
    stamps = {name: path.stat().st_mtime_ns for name, path in files.items()}
    with (
        mock.patch.object(onnx_backend, "_export_fp32", side_effect=AssertionError("exported again")),
        mock.patch.object(onnx_backend, "_quantise_int8", side_effect=AssertionError("quantised again")),
    ):
        for backend in ("onnx", "onnx-int8"):
            embedder = ParagraphEmbedder(backend=backend, cache_dir=onnx_cache)  # type: ignore[arg-type]
            assert embedder.encode(["again"]).shape == embedder.onnx_paragraphs.encode(["again"]).shape == (1, 384)
    assert stamps == {name: path.stat().st_mtime_ns for name, path in files.items()}
    assert not list(onnx_cache.glob("*.tmp"))


def test_serving_from_the_cache_does_not_need_the_torch_model(onnx_cache: Path) -> None:
    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    embedder.encode(["a question"])
    assert embedder._model is None


def test_windows_match_the_torch_tokenizer(onnx_cache: Path, bundled_texts: list[str]) -> None:
    long_text = " ".join(bundled_texts[:25])
    torch_embedder = ParagraphEmbedder(backend="torch")
    onnx_embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    assert onnx_embedder.max_tokens == torch_embedder.max_tokens == 256
    expected = torch_embedder.windows(long_text, "Some title. ")
    assert len(expected) > 2
    assert onnx_embedder.windows(long_text, "Some title. ") == expected
    assert onnx_embedder.windows("Short.", "T. ") == torch_embedder.windows("Short.", "T. ")


def test_long_texts_are_truncated_like_torch(onnx_cache: Path) -> None:
    text = "The council met again on Tuesday to discuss the budget. " * 80
    torch_vector = ParagraphEmbedder(backend="torch").encode([text])[0]
    onnx_vector = ParagraphEmbedder(backend="onnx", cache_dir=onnx_cache).encode([text])[0]
    assert float(torch_vector @ onnx_vector) >= 0.9999


def test_switching_to_int8_reembeds_and_torch_to_onnx_does_not(onnx_cache: Path, tmp_path: Path) -> None:
    from tests_support import make_service

    def service(backend: str) -> object:
        svc = make_service(tmp_path)
        svc.embedder = ParagraphEmbedder(backend=backend, cache_dir=onnx_cache)
        return svc

    torch_service = service("torch")
    loaded = torch_service.load()
    assert torch_service.ingest(loaded).embedded == 77
    assert service("onnx").ingest(loaded).embedded == 0  # fp32 ONNX = torch vectors: kept
    int8 = service("onnx-int8")
    torch_key = Indexer(torch_service.store, torch_service.embedder).embedder_key
    assert Indexer(int8.store, int8.embedder).embedder_key != torch_key
    assert int8.ingest(loaded).embedded == 77
    assert service("onnx-int8").ingest(loaded).embedded == 0
    hits = service("onnx-int8").searcher.search("Why will Chris Carter be a lonely MP?", 3)
    assert hits and "Chris Carter" in hits[0].paragraph.text


def test_batches_group_similar_lengths_within_budget() -> None:
    lengths = np.array([12, 250, 40, 38, 41, 255, 11, 39, 10])
    batches = onnx_backend.length_batches(lengths, batch_size=64, token_budget=512, slack=0.8)
    assert sorted(int(i) for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        widths = lengths[batch]
        assert len(batch) * widths.max() <= 512 or len(batch) == 1
        assert widths.min() >= 0.8 * widths.max()
    assert [list(lengths[b]) for b in batches] == [[255, 250], [41, 40, 39, 38], [12, 11, 10]]
    assert [len(b) for b in onnx_backend.length_batches(np.full(10, 5), batch_size=4)] == [4, 4, 2]


def test_texts_embedded_alone_are_cached_and_bounded(onnx_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    question = embedder.query_vector("a question")
    computed: list[list[str]] = []
    original = embedder._compute
    monkeypatch.setattr(embedder, "_compute", lambda texts: computed.append(list(texts)) or original(texts))
    batch = embedder.encode(["a question", "a sentence", "another sentence", "a question"])
    assert computed == [["a sentence", "another sentence"]]  # the question came from the cache
    np.testing.assert_array_equal(batch[0], question)
    np.testing.assert_array_equal(batch[3], question)
    # Vectors computed in a batch are not kept: an int8 batch is quantised as a whole, so keeping
    # them would make the next question's answer depend on this one's batch.
    embedder.encode(["a sentence", "a question", "new text"])
    assert computed[1:] == [["a sentence", "new text"]]
    embedder._cache.capacity = 2
    for text in ("x", "y", "z"):
        embedder.encode([text])
    assert len(embedder._cache) == 2
    embedder.clear_cache()
    assert not embedder._cache


def test_batches_run_side_by_side_give_the_same_vectors(onnx_cache: Path, bundled_texts: list[str]) -> None:
    """Ingest and the answerer run several batches at once; the vectors must not depend on it."""
    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache, batch_size=4)
    embedder.onnx.workers = 1
    one_by_one = embedder.onnx.encode(bundled_texts)
    embedder.onnx.workers = 3
    side_by_side = embedder.onnx.encode(bundled_texts)
    assert len(bundled_texts) > 3 * 4  # several batches, so several run at once
    np.testing.assert_array_equal(side_by_side, one_by_one)


def test_ingest_reuses_the_word_pieces_it_cut_windows_with(onnx_cache: Path, bundled_texts: list[str]) -> None:
    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    long_text = " ".join(bundled_texts[:25])
    windows = [w for text in [*bundled_texts[:10], long_text] for w in embedder.windows(text)]
    assert windows[0].pieces is not None  # a paragraph that fits one window keeps its word pieces
    assert all(w.pieces is None for w in windows[10:])  # slices of a long one are tokenised again
    assert not embedder.windows("Short.", "T. ")[0].pieces  # a prefixed window too
    tokenised: list[str] = []

    class Counting:  # the real tokenizer, counting the texts it is given
        def __init__(self, real: object) -> None:
            self.real = real

        def encode_batch(self, texts: list[str]) -> object:
            tokenised.extend(texts)
            return self.real.encode_batch(texts)  # type: ignore[attr-defined]

    paragraphs = embedder.onnx_paragraphs
    original = paragraphs.tokenizer
    paragraphs.tokenizer = Counting(original)
    vectors = embedder.encode_windows(windows)
    paragraphs.tokenizer = original
    assert len(tokenised) == len(windows) - 10
    np.testing.assert_array_equal(vectors, paragraphs.encode([w.text for w in windows]))


def test_a_question_is_embedded_once_for_search_and_answer(onnx_cache: Path) -> None:
    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    computed: list[list[str]] = []
    original = embedder._compute
    embedder._compute = lambda texts: computed.append(list(texts)) or original(texts)  # type: ignore[method-assign]
    vector = embedder.query_vector("Who escaped from the aquarium?")
    np.testing.assert_array_equal(embedder.query_vector("Who escaped from the aquarium?"), vector)
    np.testing.assert_array_equal(embedder.encode(["Who escaped from the aquarium?", "A sentence."])[0], vector)
    assert computed == [["Who escaped from the aquarium?"], ["A sentence."]]


def test_int8_products_are_exact_on_this_cpu() -> None:
    """A CPU without VNNI (AVX2) sums pairs of u8×s8 products in 16 bits by default, which saturate
    (255×127×2 = 64,770 > 32,767): its embeddings and answers then differed from a VNNI CPU's (stop 80).
    newsbot's graphs run with the options that make the products exact on every CPU."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["y"])],
        "products",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [1, 64])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [1, 8])],
        [helper.make_tensor("b", TensorProto.INT8, [64, 8], [127] * 64 * 8)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    options = onnx_backend.session_options()
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    (products,) = session.run(None, {"a": np.full((1, 64), 255, dtype=np.uint8)})
    assert products.tolist() == [[255 * 127 * 64] * 8]


def test_the_paragraph_model_is_exact_with_the_fast_kernel(onnx_cache: Path, bundled_texts: list[str]) -> None:
    """The paragraph model's 7-bit weights keep every pair of products within 16 bits, so it runs
    without the slow exact option at no cost in agreement: on a CPU without VNNI (AVX2) the fast kernel
    gives the very vectors the exact one gives (with 8-bit weights it bent them to a cosine of 0.991 and
    the exact option cost 19 % of the embedding time, stop 80). On a VNNI CPU both are exact anyway."""
    import onnxruntime as ort

    embedder = ParagraphEmbedder(backend="onnx-int8", cache_dir=onnx_cache)
    paragraphs = embedder.onnx_paragraphs
    fast = paragraphs.encode(bundled_texts)
    path = onnx_backend.model_files(onnx_cache)["int8-7bit"]
    exact = ort.InferenceSession(str(path), onnx_backend.session_options(), providers=["CPUExecutionProvider"])
    with pytest.raises(RuntimeError, match="does not have configuration"):  # newsbot runs it without the option
        paragraphs.session.get_session_options().get_session_config_entry("session.x64quantprecision")
    paragraphs.session = exact
    np.testing.assert_array_equal(paragraphs.encode(bundled_texts), fast)
    # Questions keep the 8-bit graph the answer model was fitted on: other vectors, near the paragraphs'.
    questions = embedder.onnx.encode(bundled_texts)
    assert embedder.onnx is not paragraphs and not np.array_equal(questions, fast)
    assert (questions * fast).sum(axis=1).mean() >= 0.98
