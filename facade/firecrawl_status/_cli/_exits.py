"""The exit codes, their help text, and the command's own reasons to stop (not library errors)."""

from __future__ import annotations

from pathlib import Path

EXIT_OK, EXIT_JOB_FAILED, EXIT_USAGE, EXIT_GONE, EXIT_AUTH, EXIT_DEADLINE, EXIT_API = range(7)
EXIT_RETIRED = 7
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer killed by SIGPIPE (`| head`)
EXIT_BUG = 70  # EX_SOFTWARE from sysexits.h

EXIT_CODES_HELP = """\
exit codes:
  0    completed (a plain read: the job is running or completed)
  1    the job failed or was cancelled (documents seen so far are still written)
  2    usage error
  3    job not found, or expired (the server forgot it; `export` writes what was kept);
       `export` or `forget` of a job the store does not hold
  4    authentication, permission or payment error
  5    deadline (--timeout) reached
  6    any other API, protocol or job-store error, after retries
  7    the server retired the status endpoint (410, or an HTML 404 after its deprecation
       notice); the message names the successor
  130  interrupted (143 for SIGTERM); everything received so far is written
  141  the reader of stdout went away (e.g. `| head`)

environment:
  FIRECRAWL_API_KEY       API key (--api-key)
  FIRECRAWL_API_URL       API root (--base-url), e.g. http://localhost:3002 when self-hosted
  FIRECRAWL_STATUS_HOME   folder of the job store (default: the user's cache folder)
"""


class UsageError(Exception):
    """A bad argument found after parsing (exit 2), e.g. an ``--output`` that cannot be written."""


class NotKept(Exception):
    """The store does not hold the job a command needs from it (exit 3, like a job the server
    does not know)."""


class NoStore(Exception):
    """A command that must not create the store found no store file (nothing recorded yet)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no job store at {path} yet")
        self.path = path
