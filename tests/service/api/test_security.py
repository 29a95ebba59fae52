"""API keys (admin always, questions when configured; constant-time; never logged) and CORS
(explicit allowlist, no credentials, `*` only when configured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import start_server, stop_server, wait_ready
from tests.service.api.test_limits import make_client

CLIENT_KEY = "client-key-5f3a9c"
ADMIN_KEY = "admin-key-91be27"
ASK = {"question": "what is NSATU?"}


@pytest.fixture
def keyed(default_index: Path) -> Iterator[TestClient]:
    with make_client(default_index, api_key=CLIENT_KEY, admin_api_key=ADMIN_KEY) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        yield client


def test_question_endpoints_are_open_without_a_configured_key(client: TestClient) -> None:
    assert client.post("/v1/ask", json=ASK).status_code == 200
    assert client.post("/v1/search", json={"query": "NSATU"}).status_code == 200


def test_admin_endpoints_are_disabled_without_an_admin_key(client: TestClient) -> None:
    response = client.post("/v1/admin/reload", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 401 and "CITEQA_ADMIN_API_KEY" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"X-API-Key": ADMIN_KEY}, {"Authorization": f"Basic {CLIENT_KEY}"}],
)
def test_question_endpoints_need_the_client_key_when_configured(keyed: TestClient, headers: dict[str, str]) -> None:
    response = keyed.post("/v1/ask", json=ASK, headers=headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {CLIENT_KEY}"}, {"X-API-Key": CLIENT_KEY}])
def test_the_client_key_opens_question_endpoints(keyed: TestClient, headers: dict[str, str]) -> None:
    assert keyed.post("/v1/ask", json=ASK, headers=headers).status_code == 200


@pytest.mark.parametrize(("key", "status"), [(None, 401), (CLIENT_KEY, 401), ("x" * 17, 401), (ADMIN_KEY, 200)])
def test_admin_endpoints_need_the_admin_key(keyed: TestClient, key: str | None, status: int) -> None:
    headers = {"X-API-Key": key} if key else {}
    assert keyed.post("/v1/admin/reload", headers=headers).status_code == status


def test_probes_stay_open(keyed: TestClient) -> None:
    assert keyed.get("/healthz").status_code == 200 and keyed.get("/readyz").status_code == 200


def test_keys_are_compared_in_constant_time() -> None:
    import inspect

    from citeqa.service.api import auth

    assert "hmac.compare_digest" in inspect.getsource(auth._check)


def test_keys_are_secret_in_settings() -> None:
    from citeqa.service.settings import Settings

    settings = Settings(api_key=CLIENT_KEY, admin_api_key=ADMIN_KEY)
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert CLIENT_KEY not in shown and ADMIN_KEY not in shown


def test_keys_never_appear_in_the_server_log(default_index: Path, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    env = {"CITEQA_API_KEY": CLIENT_KEY, "CITEQA_ADMIN_API_KEY": ADMIN_KEY, "CITEQA_LOG_LEVEL": "debug"}
    server = start_server(default_index, log, env)
    try:
        for key in (CLIENT_KEY, ADMIN_KEY, "wrong-key"):
            for header in ("Authorization", "X-API-Key"):
                value = f"Bearer {key}" if header == "Authorization" else key
                httpx.post(f"{server.url}/v1/ask", json=ASK, headers={header: value}, timeout=30)
                httpx.post(f"{server.url}/v1/admin/reload", headers={header: value}, timeout=60)
    finally:
        stop_server(server)
    text = log.read_text(errors="replace")
    assert "POST /v1/ask" in text and "index reloaded" in text  # the log is really written
    assert CLIENT_KEY not in text and ADMIN_KEY not in text


# --- CORS ----------------------------------------------------------------------------------------

ORIGIN = "https://widget.example"


def preflight(client: TestClient, origin: str) -> httpx.Response:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    return client.options("/v1/ask", headers=headers)


def test_no_cors_headers_unless_origins_are_configured(client: TestClient) -> None:
    response = client.post("/v1/ask", json=ASK, headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


@pytest.fixture
def cors(default_index: Path, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    origins: Any = request.param
    with make_client(default_index, cors_origins=origins) as client:
        wait_ready(lambda: client.get("/readyz").status_code)
        yield client


@pytest.mark.parametrize("cors", [[ORIGIN]], indirect=True)
def test_allowlisted_origin_only_and_never_credentials(cors: TestClient) -> None:
    allowed = cors.post("/v1/ask", json=ASK, headers={"Origin": ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-credentials" not in allowed.headers
    assert preflight(cors, ORIGIN).status_code == 200
    other = cors.post("/v1/ask", json=ASK, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    assert preflight(cors, "https://evil.example").status_code == 400


@pytest.mark.parametrize("cors", [["*"]], indirect=True)
def test_any_origin_only_when_configured_as_star(cors: TestClient) -> None:
    response = cors.post("/v1/ask", json=ASK, headers={"Origin": "https://anyone.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
