"""Reference for figure 7: the least memory any client that decodes a whole answer needs.

Reads one completed answer's bytes and decodes them with ``json.loads``, nothing else: the peak
RSS growth of holding an answer's bytes and its decoded objects at once. Standard library only.
"""

from __future__ import annotations

import json
from typing import Any

from scripts.benchmark.contenders.protocol import Recorder, handshake


def main() -> None:
    spec, _ = handshake()
    recorder = Recorder()
    with open(spec["body"], "rb") as handle:
        body = handle.read()
    decoded: Any = json.loads(body)
    recorder.extra["documents"] = len(decoded["data"])
    recorder.write(spec["out"])


if __name__ == "__main__":
    main()
