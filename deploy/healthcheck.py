"""Docker HEALTHCHECK: exit 0 when GET /readyz on this container answers 200 (a verified index is loaded)."""

import os
import sys
import urllib.request

port = os.environ.get("CITEQA_PORT", "8000")
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as exc:
    print(f"not ready: {exc}", file=sys.stderr)
    sys.exit(1)
