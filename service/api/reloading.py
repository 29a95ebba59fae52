"""Hot reload triggers: SIGHUP and (optionally) watching the index's CURRENT pointer.

Both call ``Runtime.reload`` on a background thread, off the request path; the admin
endpoint ``POST /v1/admin/reload`` is the third trigger. A failed reload keeps the previous
index serving and is reported on ``/readyz`` and in the log (see ``Runtime.reload``).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading

from citeqa.index.errors import CiteqaError
from citeqa.index.store import manifest
from citeqa.service.runtime import Runtime

log = logging.getLogger("citeqa")


def published_version(runtime: Runtime) -> str | None:
    """The version name in the CURRENT pointer, or None when there is no readable pointer."""
    return manifest.published_version(runtime.settings.index_dir)


def loaded_version(runtime: Runtime) -> str | None:
    return runtime.current.data.manifest.version if runtime.current is not None else None


class ReloadTriggers:
    """Starts the SIGHUP handler and the pointer watcher; ``stop`` ends both."""

    def __init__(self, runtime: Runtime, poll_seconds: float) -> None:
        self._runtime = runtime
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._busy = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tried: str | None = None

    def start(self, initial_load: threading.Thread | None = None) -> None:
        self._install_sighup()
        if self._poll > 0:
            self._thread = threading.Thread(
                target=self._watch, args=(initial_load,), name="citeqa-reload-watch", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._loop is not None:
            self._loop.remove_signal_handler(signal.SIGHUP)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def reload_now(self) -> None:
        """Reload on a background thread unless one triggered this way is already running."""
        if self._busy.acquire(blocking=False):
            threading.Thread(target=self._reload_and_release, name="citeqa-reload", daemon=True).start()

    def _reload_and_release(self) -> None:
        try:
            self._reload()
        finally:
            self._busy.release()

    def _reload(self) -> None:
        self._tried = published_version(self._runtime)
        try:
            self._runtime.reload()
        except CiteqaError:
            pass  # reported by Runtime.reload on /readyz and in the log

    def _install_sighup(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
        except (RuntimeError, ValueError, NotImplementedError):
            return  # not the main thread (e.g. a test client): no signal trigger
        self._loop = loop

    def _on_sighup(self) -> None:
        log.info("SIGHUP: reloading the published index")
        self.reload_now()

    def _watch(self, initial_load: threading.Thread | None) -> None:
        if initial_load is not None:
            initial_load.join()
        # the version the initial load tried, read before it loaded: reading it now could miss a fix
        # published while this thread waited for the loader
        self._tried = self._runtime.attempted if initial_load is not None else published_version(self._runtime)
        while not self._stop.wait(self._poll):
            version = published_version(self._runtime)
            if version is None or version == self._tried or version == loaded_version(self._runtime):
                continue
            log.info("CURRENT now names %s: reloading", version)
            with self._busy:
                self._reload()
