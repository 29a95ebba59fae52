"""ONNX Runtime embedding backends (``onnx`` fp32 and ``onnx-int8``) over the exported model.

Vectors are compatible with the torch backend: fp32 ONNX reproduces torch to ~1e-6; int8 has a
cosine of ~0.997 to fp32, so the manifest keeps the same model name for all three backends (an
index built by one may be queried by another). The export itself is ``citeqa.index.embedding.export``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from citeqa.index.domain import Vectors
from citeqa.index.embedding.base import DEFAULT_MODEL, default_cache_dir, public_name, resolve_model_path
from citeqa.index.embedding.digest import model_digest
from citeqa.index.embedding.export import _max_length, exported_model
from citeqa.index.errors import EmbedderUnavailable


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
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        providers = providers_for(device)
        cache = cache_dir or default_cache_dir()
        path = exported_model(name, cache, quantize)
        self.name = public_name(name)
        self.digest = model_digest(Path(resolve_model_path(name)), cache)
        self.backend = "onnx-int8" if quantize else "onnx"
        cpus = os.cpu_count() or 1
        # Several texts: one single-threaded model call per core, on different batches (data
        # parallelism: ~1.4x the throughput of one call spread over the cores, whose operators are too
        # small to split well). One session, shared by the calls: one copy of the model in memory
        # (a second, all-core session made a lone question ~25% faster but held ~61 MB more).
        self._workers = cpus if device == "cpu" else 1
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1 if self._workers > 1 else cpus
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session: Any = ort.InferenceSession(str(path), options, providers=providers)
        self._pool = ThreadPoolExecutor(self._workers, "citeqa-embed") if self._workers > 1 else None
        self._tokenizer: Any = Tokenizer.from_file(str(path.parent / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_max_length(Path(resolve_model_path(name))))
        self._tokenizer.no_padding()
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or self._probe_dimension())

    def _probe_dimension(self) -> int:
        return int(self._run(["probe"]).shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        return self._encode(texts, None, batch_size)[0]

    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 64
    ) -> tuple[Vectors, list[Vectors]]:
        """The texts' vectors (as ``encode``) and, from the same model call, a vector for each character
        span ``spans[i]`` of ``texts[i]``: the normalised mean of the token embeddings inside the span
        (contextual: the tokens saw the whole text). A row is NaN when the span holds no token or
        the text was truncated before the span's end (``max_seq_length`` tokens)."""
        return self._encode(texts, spans, batch_size)

    def _encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]] | None, batch_size: int
    ) -> tuple[Vectors, list[Vectors]]:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        # one text (a question): no batch call (its thread-pool start costs ~0.1 ms)
        encodings = [self._tokenizer.encode(texts[0])] if len(texts) == 1 else self._tokenizer.encode_batch(list(texts))
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pooled: list[Vectors] = [np.zeros((0, self.dimension), dtype=np.float32)] * (len(spans or ()))
        batches = _calls(order, [len(encodings[i].ids) for i in order], self._workers, batch_size)

        session = self._session

        def run(rows: Any) -> None:
            hidden, mask = self._hidden([encodings[i] for i in rows], session)
            out[rows] = _normalised(_mean(hidden, mask))
            for j, i in enumerate(rows if spans is not None else ()):
                pooled[i] = _pool_spans(hidden[j], encodings[i], spans[i])  # type: ignore[index]

        if self._pool is not None and len(batches) > 1:
            # ONNX Runtime sessions may run concurrently and release the GIL while they compute
            list(self._pool.map(run, batches))
        else:
            for rows in batches:
                run(rows)
        return out, pooled

    def _run(self, texts: Sequence[str]) -> Vectors:
        return self._run_encodings(self._tokenizer.encode_batch(list(texts)), self._session)

    def _run_encodings(self, encodings: Sequence[Any], session: Any) -> Vectors:
        """Pads a length-sorted batch to its longest member, runs the encoder, pools and normalises."""
        hidden, mask = self._hidden(encodings, session)
        return _normalised(_mean(hidden, mask))

    def _hidden(self, encodings: Sequence[Any], session: Any) -> tuple[Any, Any]:
        """Token embeddings ``(batch, width, dimension)`` of a batch padded to its longest member, and its mask."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return session.run(None, feed)[0], mask


def _calls(order: Any, lengths: Sequence[int], workers: int, batch_size: int) -> list[Any]:
    """The model calls for texts sorted longest first (``order``, their token counts ``lengths``).

    Many texts (a build): calls of ``batch_size``, taken by the workers as they free up. As many texts
    as fit one call per worker (a batch of questions): one call per worker, cut where the calls' padded
    sizes (texts x longest) are most even. Cut into equal halves, a batch of 31 questions whose longest
    had 38 tokens and the rest 12-25 cost 77 ms in the call holding the long ones and 28 ms in the
    other, and the whole batch waits for the slower; cut evenly, 44 and 41 ms (in process, two
    workers, 200-article slice questions: the first burst of 32 clients on a fresh server). Outputs
    are unchanged: the int8 model's per-token scales make a text's vector independent of its batch.
    Under load (docs/performance.md, 2026-11-30 fourth session) it served 469 against 449 searches
    a second on the whole BBC index (6 interleaved rounds, faster in all six) and 363 against 379 on
    the slice (faster in three of six): within the noise there, kept for the bursts.
    """
    if len(order) > workers * batch_size or workers == 1:
        size = max(1, min(batch_size, -(-len(order) // workers)))
        return [order[begin : begin + size] for begin in range(0, len(order), size)]
    cuts = _even_cuts(lengths, workers, batch_size)
    return [order[a:b] for a, b in itertools.pairwise([0, *cuts, len(order)]) if b > a]


def _even_cuts(lengths: Sequence[int], parts: int, longest_run: int) -> list[int]:
    """Cut points splitting ``lengths`` (sorted, longest first) into at most ``parts`` runs of at most
    ``longest_run``, minimising the largest run's padded size (its count x its first length), by binary
    search on that size. Needs ``len(lengths) <= parts * longest_run``."""

    def cuts_within(limit: int) -> list[int] | None:
        cuts, start = [], 0
        for i in range(1, len(lengths) + 1):
            if (i - start) * lengths[start] > limit or i - start > longest_run:
                if i - 1 == start:
                    return None
                cuts.append(i - 1)
                start = i - 1
        return cuts if len(cuts) < parts else None

    low, high = max(lengths), len(lengths) * lengths[0]
    while low < high:
        middle = (low + high) // 2
        if cuts_within(middle) is None:
            low = middle + 1
        else:
            high = middle
    return cuts_within(low) or []


def _mean(hidden: Any, mask: Any) -> Any:
    weights = mask[:, :, None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


def _normalised(pooled: Any) -> Vectors:
    norms = np.linalg.norm(pooled, axis=-1, keepdims=True)
    return np.ascontiguousarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


def _pool_spans(hidden: Any, encoding: Any, spans: Sequence[tuple[int, int]]) -> Vectors:
    """Unit mean vectors of the tokens of ``encoding`` (rows of ``hidden``) whose characters lie inside each span."""
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
    real = offsets[:, 1] > offsets[:, 0]  # special tokens ([CLS], [SEP]) have empty offsets
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    inside = (real[None, :] & (offsets[None, :, 0] >= bounds[:, :1]) & (offsets[None, :, 1] <= bounds[:, 1:])).astype(
        np.float32
    )
    counts = inside.sum(axis=1, keepdims=True)
    vectors = _normalised(inside @ hidden[: len(offsets)] / np.clip(counts, 1, None))
    seen_until = int(offsets[real, 1].max()) if real.any() else 0
    cut = bounds[:, 1] > seen_until if encoding.overflowing else np.zeros(len(bounds), dtype=bool)
    vectors[(counts[:, 0] == 0) | cut] = np.nan
    return vectors
