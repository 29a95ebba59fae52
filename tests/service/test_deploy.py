"""Deployment files: the Dockerfile passes hadolint and keeps its promises; compose.yaml is wired as documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.conftest import ROOT, Server, free_port

HADOLINT = Path(sys.executable).parent / "hadolint"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run([str(HADOLINT), str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_cpu_only_non_root_with_healthcheck() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", text, re.M)) == 2
    assert "download.pytorch.org/whl/cpu torch==2.13.0" in text
    assert "citeqa build" in text
    assert re.search(r"^USER 10001", text, re.M)
    assert re.search(r"^HEALTHCHECK .*\n\s+CMD \[\"python\", \"/app/deploy/healthcheck.py\"\]", text, re.M)
    assert "/readyz" in (ROOT / "deploy" / "healthcheck.py").read_text(encoding="utf-8")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    copied = re.findall(r"^COPY (?!.*--from)(?:--\S+ )*(.+) \S+$", text, re.M)
    assert copied
    for sources in copied:
        for source in sources.split():
            assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
            assert source.split("/")[0] not in ignored, f"{source} is excluded by .dockerignore"


def test_compose_runs_replicas_behind_a_proxy_on_one_read_only_index(compose: dict[str, Any]) -> None:
    services = compose["services"]
    replicas = services["citeqa"]
    assert replicas["deploy"]["replicas"] >= 2
    assert "index:/index:ro" in replicas["volumes"]
    assert replicas["environment"]["CITEQA_INDEX_DIR"] == "/index"
    assert replicas["depends_on"]["builder"]["condition"] == "service_completed_successfully"
    builder = services["builder"]
    assert "index:/index" in builder["volumes"]
    assert "citeqa build" in " ".join(builder["command"]) and "reload_replicas.py" in " ".join(builder["command"])
    proxy = services["proxy"]
    mount = next(v for v in proxy["volumes"] if "nginx.conf" in v)
    conf = (ROOT / mount.split(":")[0].removeprefix("./")).read_text(encoding="utf-8")
    assert "server citeqa:8000 resolve" in conf
    assert "proxy_buffering off" in conf
    assert "index" in compose["volumes"]


def test_reload_script_reports_refusals_and_skips_stopped_replicas(server: Server) -> None:
    script = [sys.executable, str(ROOT / "deploy" / "reload_replicas.py")]
    port = server.url.rsplit(":", 1)[1]
    env = {**os.environ, "CITEQA_ADMIN_API_KEY": "k", "CITEQA_REPLICAS": f"127.0.0.1:{port}"}
    refused = subprocess.run(script, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "HTTP 401: admin endpoints are disabled" in refused.stdout
    env["CITEQA_REPLICAS"] = f"127.0.0.1:{free_port()},no-such-host.invalid:8000"
    stopped = subprocess.run(script, env=env, capture_output=True, text=True, timeout=60)
    assert stopped.returncode == 0, stopped.stdout
    assert "not running" in stopped.stdout
    assert httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200
