"""Where data goes: one compact JSON value a line, flushed at once, to stdout or ``--output``.

An interrupted run leaves valid JSON Lines: each line is written whole under the `Signals`
guard. A file is created on its first line only, so a run that fails before any data leaves an
existing file alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from firecrawl_status._encoding import compact_json

from ._exits import UsageError
from ._signals import Signals


class Output:
    """Data lines to stdout, a file, or nowhere (the demo's documents, unless ``--output``)."""

    def __init__(self, path: str | None, signals: Signals, *, discard: bool = False) -> None:
        self.path = None if path is None or path == "-" else Path(path)
        self.discard = discard
        self.written = 0
        self._signals = signals
        self._stream: IO[bytes] | None = None
        if self.path is not None:
            folder = self.path.parent
            if not folder.is_dir():
                raise UsageError(f"cannot write {self.path}: folder {folder} does not exist")
            if self.path.is_dir() or not os.access(folder, os.W_OK):
                raise UsageError(f"cannot write {self.path}: not a writable file path")

    @property
    def label(self) -> str:
        """Where the lines go, for messages."""
        return "nowhere" if self.discard else str(self.path) if self.path else "stdout"

    def write(self, value: object) -> None:
        """Write one JSON value as one line and flush it (an interrupt waits for the line)."""
        line = compact_json(value, strict=True).encode("utf-8") + b"\n"
        with self._signals.held():
            if not self.discard:
                stream = self._open()
                stream.write(line)
                stream.flush()
            self.written += 1

    def finish(self) -> None:
        """Make sure the file exists (a completed crawl with no documents gives an empty file)."""
        if not self.discard:
            self._open()

    def close(self) -> None:
        """Close the file, if one was opened (stdout stays open)."""
        if self._stream is not None and self.path is not None:
            self._stream.close()
        self._stream = None

    def _open(self) -> IO[bytes]:
        if self._stream is None:
            if self.path is None:
                self._stream = sys.stdout.buffer
            else:
                try:
                    self._stream = self.path.open("wb")
                except OSError as exc:
                    raise UsageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        return self._stream


def write_text_lines(lines: list[str], signals: Signals) -> None:
    """Plain text lines on stdout (a table, the demo's story), each whole, then flushed."""
    with signals.held():
        for line in lines:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
