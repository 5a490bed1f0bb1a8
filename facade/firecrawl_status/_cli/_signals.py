"""The signal guard: SIGINT and SIGTERM stop a run, but never in the middle of a written line."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any


class Signals:
    """SIGINT/SIGTERM become `KeyboardInterrupt`, but never while a line is being written."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._holding = 0
        self._pending = False
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        """Handle SIGINT and SIGTERM (from the main thread only; elsewhere Python cannot)."""
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(signum)
            if previous is signal.SIG_IGN:
                continue  # as Python itself does: a background job's ignored SIGINT stays ignored
            self._previous[signum] = previous
            signal.signal(signum, self._handle)

    def restore(self) -> None:
        """Put back the handlers `install` replaced."""
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received = signum
        if self._holding:
            # Returning lets the interrupted write() resume (PEP 475); we raise once it is done.
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Defer an interrupt until the block ends."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._pending:
                self._pending = False
                raise KeyboardInterrupt
