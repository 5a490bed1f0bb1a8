"""firecrawl-status: a client for Firecrawl's crawl and extract job-status endpoints."""
