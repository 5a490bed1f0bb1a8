"""The ``firecrawl-status`` command: read, wait on and export Firecrawl jobs from a shell or cron.

Scripts depend on this interface (issue 6), so it changes only by addition:

* ``crawl JOB_ID`` / ``extract ID`` print one snapshot as one JSON object on stdout;
* ``crawl JOB_ID --wait`` streams every document once, as JSON Lines, to stdout or ``--output``;
  ``extract ID --wait`` writes the final result as one JSON object;
* ``jobs``, ``export``, ``forget`` and ``prune`` work on the local job store; ``simulate`` and
  ``demo`` run the simulator.

Theory of operation: stdout (or ``--output``) carries data only, one flushed line at a time, so an
interrupted run leaves valid JSON Lines; everything for people (progress, notes, the one error
line) goes to stderr through a `Progress`. SIGINT and SIGTERM are held while a line is written
and raised as `KeyboardInterrupt` right after, so no line is ever cut in half.

The modules, each importing only those listed before it:

* `_signals`: the signal guard; `_format`: how times, sizes and figures read;
  `_exits`: exit codes and the command's own errors;
* `_output`: data lines; `_progress`: progress and notes on stderr;
* `_parser`: the grammar and help; `_session`: what one run holds (clock, HTTP client, store);
* `_crawl`, `_extract`: the commands that ask the server; `_store_commands`: those that only
  read or trim the store; `_demo`: ``demo`` and ``simulate`` (loaded only for them);
* `_main`: `main`, and the table from failure to exit code.
"""

from ._main import main

__all__ = ["main"]
