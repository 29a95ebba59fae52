"""ONNX Runtime embedding backends (``onnx`` fp32 and ``onnx-int8``), exported locally from the model.

The sentence-transformers model (a BERT encoder, mean pooling, L2 normalisation) is exported
once with ``torch.onnx.export`` (encoder only; pooling and normalisation run in numpy) and, for
``onnx-int8``, rewritten with int8 weights and per-token int8 activations (``quantize_per_token``:
a text's vector does not depend on the rest of its batch). Nothing is downloaded.
The exported files are cached in a directory named after the model's files, written to a
staging directory and renamed into place, so concurrent processes never see half a model.

Vectors are compatible with the torch backend: fp32 ONNX reproduces torch to ~1e-6; int8 has a
cosine of ~0.997 to fp32, so the manifest keeps the same model name for all three backends (an
index built by one may be queried by another). Evaluation figures are in the README.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from index.embedding import DEFAULT_MODEL, Vectors, public_name, resolve_model_path
from index.errors import EmbedderUnavailable

EXPORT_FORMAT = 3
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _model_key(path: Path) -> str:
    """A short digest of what identifies the model's weights and tokenizer (cheap: no 90 MB hash)."""
    digest = hashlib.sha256(f"export-{EXPORT_FORMAT}".encode())
    for name in ("config.json", "tokenizer.json", "sentence_bert_config.json", "1_Pooling/config.json"):
        file = path / name
        digest.update(name.encode() + (file.read_bytes() if file.is_file() else b"-"))
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("pytorch_model.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def _max_length(path: Path) -> int:
    config = path / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 256))
    return 256


def _check_mean_pooling(path: Path) -> None:
    pooling = path / "1_Pooling" / "config.json"
    if pooling.is_file() and not json.loads(pooling.read_text(encoding="utf-8")).get("pooling_mode_mean_tokens"):
        raise EmbedderUnavailable(f"{path}: the onnx backends support mean-pooling models only: use the torch backend")


def export_model(model_dir: Path, target: Path, quantize: bool) -> None:
    """Write ``model.onnx`` (and ``model.int8.onnx`` when ``quantize``) plus the tokenizer into ``target``."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        """The transformer with keyword inputs and the last hidden state as its only output."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    dummy = {name: torch.ones((2, 8), dtype=torch.long) for name in INPUTS}
    dummy["token_type_ids"] = torch.zeros((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS}
    axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            Encoder(),
            (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
            str(target / FP32_FILE),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    if quantize:
        quantize_per_token(target / FP32_FILE, target / INT8_FILE)
    shutil.copy(model_dir / "tokenizer.json", target / "tokenizer.json")


def quantize_per_token(source: Path, target: Path) -> None:
    """Rewrite every weight MatMul of ``source`` as an int8 MatMul with per-token activation scales.

    Weights: int8, symmetric, one scale per output column. Activations: int8, symmetric, one scale per
    token (the row's largest magnitude), computed at run time. Unlike ONNX Runtime's dynamic quantisation,
    whose activation scale spans the whole batch tensor, a token's result never depends on the other texts
    (or the padding) in its batch, so a question gets the same vector alone or in a micro-batch, and an
    incremental build the same vectors as a full one. Activations shared by several MatMuls (Q, K and V)
    are quantised once. The int8 product runs in ONNX Runtime's ``MatMulIntegerToFloat`` (u8 x s8, the
    VNNI path: int8 activations are shifted by the constant zero point 128).
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    weights = {init.name: init for init in graph.initializer}
    nodes: list[Any] = []
    added = [
        numpy_helper.from_array(np.array(1 / 127, dtype=np.float32), "ptq_inv127"),
        numpy_helper.from_array(np.array(1e-12, dtype=np.float32), "ptq_tiny"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "ptq_one"),
        numpy_helper.from_array(np.array(128, dtype=np.uint8), "ptq_zero"),
    ]
    quantised: dict[str, tuple[str, str]] = {}  # activation -> (uint8 tensor, per-token scale)
    for node in graph.node:
        weight = weights.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if weight is None or len(weight.dims) != 2:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weight).astype(np.float32)
        name = f"ptq_w{len(added)}"
        w_scale = (np.maximum(np.abs(w).max(axis=0), 1e-12) / 127).astype(np.float32)
        w_int8 = np.clip(np.round(w / w_scale), -127, 127).astype(np.int8)
        added += [numpy_helper.from_array(w_int8, name), numpy_helper.from_array(w_scale, name + "_scale")]
        x = node.input[0]
        if x not in quantised:
            q = f"ptq_x{len(quantised)}"
            nodes += [
                helper.make_node("Abs", [x], [q + "_abs"]),
                helper.make_node("ReduceMax", [q + "_abs"], [q + "_max"], axes=[-1], keepdims=1),
                helper.make_node("Mul", [q + "_max", "ptq_inv127"], [q + "_raw_scale"]),
                helper.make_node("Max", [q + "_raw_scale", "ptq_tiny"], [q + "_scale"]),
                helper.make_node("Reciprocal", [q + "_scale"], [q + "_inverse"]),
                helper.make_node("Mul", [x, q + "_inverse"], [q + "_scaled"]),
                # round half to even, + 128, saturate to uint8: values lie in [-127, 127] before the shift
                helper.make_node("QuantizeLinear", [q + "_scaled", "ptq_one", "ptq_zero"], [q + "_u8"]),
            ]
            quantised[x] = (q + "_u8", q + "_scale")
        x_u8, x_scale = quantised[x]
        nodes += [
            helper.make_node(
                "MatMulIntegerToFloat",
                [x_u8, name, "ptq_one", name + "_scale", "ptq_zero"],
                [name + "_unscaled"],
                domain="com.microsoft",
            ),
            helper.make_node("Mul", [name + "_unscaled", x_scale], [node.output[0]]),
        ]
    used = {tensor for node in nodes for tensor in node.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))


def exported_model(name: str, cache_dir: Path, quantize: bool) -> Path:
    """The cached ONNX file for ``name`` (exported on first use, atomically)."""
    model_dir = Path(resolve_model_path(name))
    if not model_dir.is_dir():
        raise EmbedderUnavailable(
            f"model {name!r} is not a local directory: the onnx backends export local models only"
        )
    _check_mean_pooling(model_dir)
    final = cache_dir / f"{public_name(name).replace('/', '--')}-{_model_key(model_dir)}"
    wanted = final / (INT8_FILE if quantize else FP32_FILE)
    if wanted.is_file():
        return wanted
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_dir))
    staging.chmod(0o755)
    try:
        with warnings.catch_warnings():
            # the tracer warns that shape comparisons become constants; the exported graph is checked
            # against torch at every sequence length in tests/test_onnx_embedding.py
            warnings.simplefilter("ignore")
            export_model(model_dir, staging, quantize=True)
        (staging / "export.json").write_text(json.dumps({"model": public_name(name), "format": EXPORT_FORMAT}))
        os.replace(staging, final)
    except OSError:
        if not wanted.is_file():  # unless another process published the same export first
            raise
    except (RuntimeError, ValueError, ImportError) as exc:
        raise EmbedderUnavailable(f"cannot export {name} to ONNX ({exc}): use the torch backend") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return wanted


def providers_for(device: str) -> list[str]:
    """ONNX Runtime execution providers for a device: CPU, or CUDA when it is available."""
    import onnxruntime as ort

    if device == "cpu":
        return ["CPUExecutionProvider"]
    if device.startswith("cuda"):
        if "CUDAExecutionProvider" not in ort.get_available_providers():
            raise EmbedderUnavailable(
                "device 'cuda' needs onnxruntime-gpu with CUDA (this onnxruntime has "
                f"{', '.join(ort.get_available_providers())}): set CITEQA_DEVICE=cpu"
            )
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    raise EmbedderUnavailable(f"device {device!r} is not supported by the onnx backends: use 'cpu' or 'cuda'")


class OnnxEmbedder:
    """Mean-pooled, L2-normalised sentence vectors from an exported encoder run by ONNX Runtime."""

    def __init__(
        self,
        name: str = DEFAULT_MODEL,
        *,
        quantize: bool = True,
        device: str = "cpu",
        cache_dir: Path | None = None,
        solo: bool = True,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        providers = providers_for(device)
        path = exported_model(name, cache_dir or Path("data/models"), quantize)
        self.name = public_name(name)
        self.backend = "onnx-int8" if quantize else "onnx"
        cpus = os.cpu_count() or 1
        # Several texts: one single-threaded model call per core, on different batches (data
        # parallelism: ~1.4x the throughput of one call spread over the cores, whose operators are too
        # small to split well). One text (an idle server's question): one call on every core, its
        # threads spinning between operators (~25% faster than on one core), when ``solo``: a second
        # copy of the model in memory, worth it for the questions of a server, not for builds.
        self._workers = cpus if device == "cpu" else 1

        def session(threads: int, spin: bool) -> Any:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.log_severity_level = 3
            options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
            return ort.InferenceSession(str(path), options, providers=providers)

        self._session: Any = session(1 if self._workers > 1 else cpus, spin=False)
        self._solo: Any = session(cpus, spin=True) if solo and self._workers > 1 else self._session
        self._pool = ThreadPoolExecutor(self._workers, "citeqa-embed") if self._workers > 1 else None
        self._tokenizer: Any = Tokenizer.from_file(str(path.parent / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_max_length(Path(resolve_model_path(name))))
        self._tokenizer.no_padding()
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or self._probe_dimension())

    def _probe_dimension(self) -> int:
        return int(self._run(["probe"]).shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # one text (a question): no batch call (its thread-pool start costs ~0.1 ms)
        encodings = [self._tokenizer.encode(texts[0])] if len(texts) == 1 else self._tokenizer.encode_batch(list(texts))
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # at most ``batch_size`` texts per call, and enough calls to keep every worker busy
        size = max(1, min(batch_size, -(-len(order) // self._workers)))
        batches = [order[begin : begin + size] for begin in range(0, len(order), size)]

        # the all-core session only for a call with one text: batches of one that come from
        # splitting several texts over the workers run concurrently, each on one core
        session = self._solo if len(texts) == 1 else self._session

        def run(rows: Any) -> None:
            out[rows] = self._run_encodings([encodings[i] for i in rows], session)

        if self._pool is not None and len(batches) > 1:
            # ONNX Runtime sessions may run concurrently and release the GIL while they compute
            list(self._pool.map(run, batches))
        else:
            for rows in batches:
                run(rows)
        return out

    def _run(self, texts: Sequence[str]) -> Vectors:
        return self._run_encodings(self._tokenizer.encode_batch(list(texts)), self._session)

    def _run_encodings(self, encodings: Sequence[Any], session: Any) -> Vectors:
        """Pads a length-sorted batch to its longest member, runs the encoder, pools and normalises."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.ascontiguousarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)
