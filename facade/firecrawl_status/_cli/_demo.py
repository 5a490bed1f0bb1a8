"""The commands that run the simulator: ``demo`` (in this process) and ``simulate`` (served).

``demo`` streams a crawl (an early or a current server generation, with a few failing pages)
through the same `stream_crawl` as ``crawl --wait``, to ``--output`` or nowhere, then waits on
an extract job; `_Summary` tells the story on stdout. Its jobs go to a temporary store unless
``--store`` names one. `main` imports this module, and with it the simulator, only for these
two commands.
"""

from __future__ import annotations

import contextlib
import json
import tempfile

import httpx

from firecrawl_status._policy import PollPolicy
from firecrawl_status._simulator import CrawlScenario, ExtractScenario, Simulator, serve_forever
from firecrawl_status._sync import StatusClient

from ._crawl import stream_crawl
from ._exits import EXIT_OK, UsageError
from ._format import PROG, figures_lines, iso, size
from ._output import Output, write_text_lines
from ._session import Session
from ._signals import Signals


def simulate_command(session: Session) -> int:
    """``simulate``: serve the simulator with a few demo jobs until interrupted."""
    args = session.args
    try:
        serve_forever(args.port, host=args.host, speed=args.speed, api_key=args.require_key)
    except BrokenPipeError:
        raise
    except OSError as exc:  # the address is taken or cannot be bound
        raise UsageError(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}; choose another "
            "--port (0 picks a free one)"
        ) from exc
    return EXIT_OK


def demo_command(session: Session) -> int:
    """``demo``: a simulated crawl and extract, in process, with the figures and a summary."""
    args = session.args
    early = args.server == "early"
    simulator = Simulator(session.clock, speed=args.speed)
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
    output = session.output = Output(args.output, session.signals, discard=not args.output)
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
                clock=session.clock,
            )
        )
        stack.enter_context(contextlib.closing(output))
        result = stream_crawl(client, store, crawl_id, output, progress, timeout=None)
        output.finish()
        crawl_seconds = progress.elapsed
        say(
            f"  {output.written} documents, each exactly once, in {crawl_seconds:.1f} s"
            + (f", written to {output.label}" if not output.discard else "")
        )
        for line in figures_lines(result):
            say(f"  {line}")
        if early:
            say("  (a gap is a page pushed out of the window between two polls; the final data")
            say("   brings it back, so every page is still written once)")
        store_note = str(store.path) if store and args.store else "a temporary one, now deleted"
        extract_id = simulator.add_extract(ExtractScenario(duration=3.0))
        say("")
        say(f"Extract {extract_id}: waiting for the extracted JSON")
        with progress.running("extract", extract_id):
            extracted = client.wait_for_extract(extract_id, on_progress=progress.report)
        data = json.dumps(extracted.data, ensure_ascii=False)
        say(f"  completed in {progress.elapsed:.1f} s: {data[:90]}{'…' if len(data) > 90 else ''}")
        say(f"  the server keeps it until {iso(extracted.expires_at)}")
        say("")
        say(
            f"Summary: crawl {result.status} with {output.written} documents "
            f"({result.traffic.requests} requests, {size(result.traffic.bytes_received)}); "
            f"extract {extracted.status}; "
            + ("store: none (--no-store)" if store is None else f"store: {store_note}")
        )
        say(f"Real use: FIRECRAWL_API_KEY=fc-... {PROG} crawl JOB_ID --wait --output pages.jsonl")
    return EXIT_OK


class _Summary:
    """The demo's narrative on stdout, a flushed line at a time."""

    def __init__(self, signals: Signals) -> None:
        self._signals = signals

    def __call__(self, text: str) -> None:
        write_text_lines([text], self._signals)
