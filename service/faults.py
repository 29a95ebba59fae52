"""Process-level fault handling for the CLI: a clean exit on SIGTERM, and a test-only pause.

``CITEQA_TEST_PAUSE_AT=embedding|writing|publishing`` makes ``citeqa build`` print
``paused at STAGE`` to stderr and sleep there, so tests can SIGKILL a build at a known
moment. It is a test hook, not a setting: leave it unset.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType

PAUSE_ENV = "CITEQA_TEST_PAUSE_AT"


def pause_hook() -> Callable[[str], None] | None:
    """A build ``stage`` callback that sleeps at the stage named by CITEQA_TEST_PAUSE_AT, if set."""
    target = os.environ.get(PAUSE_ENV)
    if not target:
        return None

    def pause(stage: str) -> None:
        if stage == target:
            print(f"paused at {stage}", file=sys.stderr, flush=True)
            time.sleep(3600)

    return pause


def _exit_zero(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def exit_zero_on_sigterm() -> None:
    """Exit 0 on SIGTERM, also after uvicorn's graceful shutdown re-raises the signal it caught.

    uvicorn handles SIGTERM itself while serving (stops accepting, lets in-flight requests
    finish within ``timeout_graceful_shutdown``), then restores this handler and re-raises.
    """
    signal.signal(signal.SIGTERM, _exit_zero)
