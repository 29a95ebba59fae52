"""A low-rank query adapter (q + U Vᵀ q) fitted so that a question's cosine puts its answer sentence first
among its candidates (sixteenth session; see RESULTS.md). Reads ``dump.py``'s DUMP; the first nine files
dumped are fitted on, the rest held out. Prints top-1 by cosine alone, raw and adapted, and the area under
the ROC curve of the best cosine (answerable against unanswerable).

    .venv/bin/python bench/answer_model/session16/train.py RANK L2 EPOCHS   # grid: adapter_grid.txt
"""

from __future__ import annotations

import os
import sys

import numpy as np
import torch

DIMENSION = 384
FIT_FILES = 9


class Adapter(torch.nn.Module):
    def __init__(self, rank: int) -> None:
        super().__init__()
        self.u = torch.nn.Parameter(torch.zeros(DIMENSION, rank))
        self.v = torch.nn.Parameter(torch.randn(DIMENSION, rank) * 0.01)
        self.log_temperature = torch.nn.Parameter(torch.tensor(3.0))

    def forward(self, q: torch.Tensor) -> torch.Tensor:
        adapted = q + (q @ self.v) @ self.u.T
        return adapted / adapted.norm(dim=-1, keepdim=True)


def main(rank: int, l2: float, epochs: int) -> None:
    torch.manual_seed(0)
    data = np.load(os.environ.get("DUMP", "/tmp/adapter_dump.npz"))
    offsets, good = data["offsets"], data["good"]
    rows = [
        {
            "q": torch.tensor(data["questions"][i]),
            "s": torch.tensor(data["sentences"][offsets[i] : offsets[i + 1]]),
            "good": good[offsets[i] : offsets[i + 1]],
            "answerable": bool(data["answerable"][i]),
            "fit": int(data["sets"][i]) < FIT_FILES,
        }
        for i in range(len(offsets) - 1)
    ]
    fit = [r for r in rows if r["fit"]]
    held_out = [r for r in rows if not r["fit"]]
    usable = [r for r in fit if r["answerable"] and r["good"].any() and len(r["good"]) > 1]
    adapter = Adapter(rank)
    optimiser = torch.optim.Adam(adapter.parameters(), lr=3e-3)
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = torch.zeros(())
        for r in usable:
            scores = r["s"] @ adapter(r["q"]) * adapter.log_temperature.exp()
            loss = loss - (torch.logsumexp(scores[torch.tensor(r["good"])], 0) - torch.logsumexp(scores, 0))
        penalty = l2 * ((adapter.u**2).sum() + (adapter.v**2).sum())
        (loss / len(usable) + penalty).backward()
        optimiser.step()
    print(f"rank {rank} l2 {l2} epochs {epochs} temperature {adapter.log_temperature.exp().item():.1f}")
    for name, part in (("fit", fit), ("held-out", held_out)):
        print(
            name,
            "top-1 raw",
            top1(part, adapter, False),
            "adapted",
            top1(part, adapter, True),
            f"auc raw {auc(part, adapter, False):.3f} adapted {auc(part, adapter, True):.3f}",
        )


def _best(r: dict, adapter: Adapter, adapt: bool) -> np.ndarray:
    with torch.no_grad():
        return (r["s"] @ (adapter(r["q"]) if adapt else r["q"])).numpy()


def top1(rows: list[dict], adapter: Adapter, adapt: bool) -> tuple[int, int]:
    scored = [r for r in rows if r["answerable"] and r["good"].any() and len(r["good"]) > 1]
    return sum(bool(r["good"][int(np.argmax(_best(r, adapter, adapt)))]) for r in scored), len(scored)


def auc(rows: list[dict], adapter: Adapter, adapt: bool) -> float:
    best = [(float(_best(r, adapter, adapt).max()), r["answerable"]) for r in rows if len(r["s"])]
    positive = np.array([b for b, a in best if a])
    negative = np.array([b for b, a in best if not a])
    return float((positive[:, None] > negative[None, :]).mean())


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
