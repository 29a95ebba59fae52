"""Exporting the sentence-transformers model to ONNX, once, cached on disk; int8 quantisation.

The model (a BERT encoder, mean pooling, L2 normalisation) is exported with
``torch.onnx.export`` (encoder only; pooling and normalisation run in numpy) and, for
``onnx-int8``, rewritten with int8 weights and per-token int8 activations (``quantize_per_token``:
a text's vector does not depend on the rest of its batch). Nothing is downloaded. The exported
files are cached in a directory named after a content hash of the model's files
(``citeqa.index.embedding.digest``: weights saved over the old ones at the same path are a new
export), written to a staging directory and renamed into place, so concurrent processes never
see half a model. By default the cache is the user's (``base.default_cache_dir``: ``~/.cache/citeqa/models``
on Linux), so a command run from any directory finds the export made by another.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from citeqa.index.embedding.base import public_name, resolve_model_path
from citeqa.index.embedding.digest import model_digest
from citeqa.index.errors import EmbedderUnavailable
from citeqa.index.store.atomic import fsync_dir, write_atomic

EXPORT_FORMAT = 3
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _model_key(path: Path, cache_dir: Path | None = None) -> str:
    """A short digest of the export format and the content of every model file (``model_digest``)."""
    digest = hashlib.sha256(f"export-{EXPORT_FORMAT}:{model_digest(path, cache_dir)}".encode())
    return digest.hexdigest()[:16]


def _max_length(path: Path) -> int:
    config = path / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 256))
    return 256


MEAN_POOLING_MODES = frozenset({"mean", "mean_tokens"})


def _check_mean_pooling(path: Path) -> None:
    """Refuse a model that does not mean-pool, whichever spelling its pooling config uses.

    sentence-transformers up to 5.x writes ``"pooling_mode_mean_tokens": true``; 6.x writes
    ``"pooling_mode": "mean"``.
    """
    pooling = path / "1_Pooling" / "config.json"
    if not pooling.is_file():
        return
    try:
        config = json.loads(pooling.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmbedderUnavailable(f"{pooling}: not readable JSON ({exc}): fix or re-save the model") from None
    mode = config.get("pooling_mode") if isinstance(config, dict) else None
    mean = bool(config.get("pooling_mode_mean_tokens")) if isinstance(config, dict) else False
    if not mean and str(mode).lower() not in MEAN_POOLING_MODES:
        found = mode if mode is not None else "no mean pooling"
        raise EmbedderUnavailable(
            f"{path}: the onnx backends support mean-pooling models only (this one: {found}): use the torch backend"
        )


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
    final = cache_dir / f"{public_name(name).replace('/', '--')}-{_model_key(model_dir, cache_dir)}"
    wanted = final / (INT8_FILE if quantize else FP32_FILE)
    if wanted.is_file():
        return wanted
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_dir))
    staging.chmod(0o755)
    try:
        with warnings.catch_warnings():
            # the tracer warns that shape comparisons become constants; the exported graph is checked
            # against torch at every sequence length in tests/index/embedding/test_onnx_embedding.py
            warnings.simplefilter("ignore")
            export_model(model_dir, staging, quantize=True)
        write_atomic(staging / "export.json", json.dumps({"model": public_name(name), "format": EXPORT_FORMAT}))
        os.replace(staging, final)  # not replace_dir: a concurrent export of the same model may have won
        fsync_dir(cache_dir)
    except OSError:
        if not wanted.is_file():  # unless another process published the same export first
            raise
    except (RuntimeError, ValueError, ImportError) as exc:
        raise EmbedderUnavailable(f"cannot export {name} to ONNX ({exc}): use the torch backend") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return wanted
