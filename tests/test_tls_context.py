"""Our own httpx clients verify TLS with the CA bundle; a plain-http server's client skips
loading it (about 20 ms of CPU a client) with a context that fails closed on any https use."""

from __future__ import annotations

import ssl

import pytest

from firecrawl_status._api import _tls_context


@pytest.mark.parametrize("url", ["https://api.firecrawl.dev", "HTTPS://api.firecrawl.dev"])
def test_an_https_server_is_verified_with_the_default_bundle(url: str) -> None:
    assert _tls_context(url) is True


@pytest.mark.parametrize("url", ["http://127.0.0.1:3002", "HTTP://localhost"])
def test_a_plain_http_server_gets_a_context_that_trusts_nothing(url: str) -> None:
    context = _tls_context(url)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
