"""After a build, ask every running replica to load the newly published index (POST /v1/admin/reload).

Run by the builder job of compose.yaml. ``CITEQA_REPLICAS`` names ``host:port`` entries (comma
separated); each host is resolved to all its addresses, so the compose service name reaches
every replica. Replicas that are not running are skipped (they load the index when they
start); a replica that refuses or fails the reload makes the exit code 1.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import urllib.error
import urllib.request


def addresses(entry: str) -> list[str]:
    host, _, port = entry.strip().rpartition(":")
    try:
        infos = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    found = sorted({info[4][0] for info in infos})
    return [f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}" for ip in found]


def reload(address: str, key: str) -> tuple[bool, str]:
    request = urllib.request.Request(
        f"http://{address}/v1/admin/reload", method="POST", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return True, f"version {json.load(response)['index']['version']}"
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        try:
            message = json.loads(body)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = body[:200]
        return False, f"HTTP {exc.code}: {message}"


def main() -> int:
    key = os.environ.get("CITEQA_ADMIN_API_KEY", "")
    entries = [e for e in os.environ.get("CITEQA_REPLICAS", "citeqa:8000").split(",") if e.strip()]
    failed = 0
    targets = [address for entry in entries for address in addresses(entry)]
    if not targets:
        print("no replicas running: they load the published index when they start")
        return 0
    for address in targets:
        try:
            ok, detail = reload(address, key)
        except OSError as exc:
            print(f"{address}: not running ({exc}); skipped")
            continue
        print(f"{address}: {'reloaded, ' if ok else 'error: '}{detail}")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
