"""The ``demo`` command: a crawl and an extract on the simulator, in process: no network, no key.

The crawl (an early or a current server generation, with a few failing pages) streams through
the same `_stream_crawl` as ``crawl --wait``, to ``--output`` or nowhere; then an extract job is
waited on. `_Summary` tells the story on stdout, a flushed line at a time; the jobs go to a
temporary store unless ``--store`` names one. `_cli` imports this module, and with it the
simulator, only when the command runs.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile

import httpx

from ._cli import EXIT_OK, _on_progress, _Session, _stream_crawl
from ._policy import PollPolicy
from ._simulator import CrawlScenario, ExtractScenario, Simulator
from ._sync import StatusClient
from ._terminal import PROG, _figures_lines, _iso, _Output, _Signals, _size


def _cmd_demo(session: _Session) -> int:
    args = session.args
    early = args.server == "early"
    simulator = Simulator(speed=args.speed)
    failing = frozenset(range(17, args.pages + 1, 61))  # a few 404/500 pages, as real sites have
    crawl_id = simulator.add_crawl(
        CrawlScenario(
            pages=args.pages,
            pages_per_second=25.0,
            start_delay=1.5,
            behaviour="window" if early else "growing",
            failing_pages=failing,
        )
    )
    output = session.output = _Output(args.output, session.signals, discard=not args.output)
    progress = session.progress
    say = _Summary(session.signals)
    generation = (
        "an early server (partial_data is a sliding 50-page window)"
        if early
        else "a current server (every finished page re-sent on every poll)"
    )
    say(f"{PROG} demo: a simulated Firecrawl in this process; no network, no API key.")
    say("")
    say(f"Crawl {crawl_id}: {args.pages + len(failing)} pages on {generation}")
    if failing and early:
        say(f"  ({len(failing)} answer 404 or 500: it sends them as documents with pageStatusCode)")
    elif failing:
        say(f"  ({len(failing)} of them fail: a current server drops failed pages from the result)")
    with contextlib.ExitStack() as stack:
        # The demo's jobs do not belong in the user's store unless --store asks for it.
        folder = (
            None
            if args.store or args.no_store
            else stack.enter_context(tempfile.TemporaryDirectory(prefix="firecrawl-status-demo-"))
        )
        store = session.open_store(temporary_dir=folder)
        if store is not None:
            stack.enter_context(store)
        http = stack.enter_context(
            httpx.Client(transport=simulator.transport(), base_url="http://simulator.invalid")
        )
        client = stack.enter_context(
            StatusClient(
                base_url="http://simulator.invalid",
                http_client=http,
                store=store,
                # A fast simulator shrinks the 6 h extract lifetime too: no expiry warning here.
                poll=PollPolicy(expiry_warning=None),
            )
        )
        stack.enter_context(contextlib.closing(output))
        result = _stream_crawl(client, store, crawl_id, output, progress, timeout=None)
        output.finish()
        crawl_seconds = progress.elapsed
        say(
            f"  {output.written} documents, each exactly once, in {crawl_seconds:.1f} s"
            + (f", written to {output.label}" if not output.discard else "")
        )
        for line in _figures_lines(result.figures):
            say(f"  {line}")
        if early:
            say("  (a gap is a page pushed out of the window between two polls; the final data")
            say("   brings it back, so every page is still written once)")
        store_note = str(store.path) if store and args.store else "a temporary one, now deleted"
        extract_id = simulator.add_extract(ExtractScenario(duration=3.0))
        say("")
        say(f"Extract {extract_id}: waiting for the extracted JSON")
        with progress.running("extract", extract_id):
            extracted = client.wait_for_extract(extract_id, on_progress=_on_progress(progress))
        data = json.dumps(extracted.data, ensure_ascii=False)
        say(f"  completed in {progress.elapsed:.1f} s: {data[:90]}{'…' if len(data) > 90 else ''}")
        say(f"  the server keeps it until {_iso(extracted.expires_at)}")
        say("")
        say(
            f"Summary: crawl {result.status} with {output.written} documents "
            f"({result.figures.requests} requests, {_size(result.figures.bytes_received)}); "
            f"extract {extracted.status}; "
            + ("store: none (--no-store)" if store is None else f"store: {store_note}")
        )
        say(f"Real use: FIRECRAWL_API_KEY=fc-... {PROG} crawl JOB_ID --wait --output pages.jsonl")
    return EXIT_OK


class _Summary:
    """The demo's narrative on stdout, a flushed line at a time."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals

    def __call__(self, text: str) -> None:
        with self._signals.held():
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
