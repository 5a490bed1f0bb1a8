"""The benchmark's contender processes: one module per way of waiting on jobs, plus the chart.

Each runs as ``python -m scripts.benchmark.contenders.<name>`` from the repository root, in the
project's venv or in a throwaway one (firecrawl-py, matplotlib), so a contender imports only the
standard library, ``protocol`` beside it and what its own venv holds.
"""
