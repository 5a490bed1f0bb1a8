"""``scripts/bench``: every contender against the simulator over loopback, one report.

``run`` is the command (sizes, the runs, BENCHMARKS.md); ``host`` serves the simulator and starts
one contender process; ``metrics`` turns what the simulator and the contender saw into figures;
``parse`` measures parsing cost in-process; ``report`` renders the Markdown; ``venvs`` installs
the throwaway venvs for firecrawl-py and matplotlib. ``contenders/`` holds the processes the run
starts, each in its own venv.
"""
