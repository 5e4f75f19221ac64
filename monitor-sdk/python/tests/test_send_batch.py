"""send_batch, the one place that posts a batch and says what the answer means (live path, spool replay
and `monitor-sdk sync` act on its Outcome)."""
import gzip
import json
import uuid

import pytest

from fakeserver import free_port_url
from monitor_sdk.sender import AUTH, DUPLICATE, OK, REJECTED, RETRY, retry_delay, send_batch
from monitor_sdk.transport import HttpClient


def _body(**run):
    header = dict({"client_run_id": "send-batch-test", "project": "p", "revision": 1}, **run)
    return gzip.compress(json.dumps({"batch_id": str(uuid.uuid4()), "run": header}).encode("utf-8"))


@pytest.fixture
def client(platform):
    c = HttpClient(platform.url, "tok-test", "demo")
    yield c
    c.close()


def test_a_stored_batch_is_ok_and_its_resend_a_duplicate(platform, client):
    body = _body()
    first, again = send_batch(client, body), send_batch(client, body)
    assert (first.kind, again.kind) == (OK, DUPLICATE)
    assert first.accepted and again.accepted
    assert first.run_id == again.run_id == platform.run("send-batch-test")["id"]


def test_429_and_5xx_are_retryable_with_the_servers_retry_after(platform, client):
    platform.script(429, headers={"Retry-After": "7"})
    platform.script(503)
    limited, unavailable = send_batch(client, _body()), send_batch(client, _body())
    assert (limited.kind, limited.retry_after) == (RETRY, 7.0)
    assert (unavailable.kind, unavailable.retry_after) == (RETRY, None)
    assert retry_delay(1, limited.retry_after) == 7.0
    assert 0.0 < retry_delay(3, None, ceiling=30.0) <= 2.0


def test_a_network_failure_is_retryable():
    c = HttpClient(free_port_url())
    try:
        outcome = send_batch(c, _body(), timeout=2)
    finally:
        c.close()
    assert outcome.kind == RETRY and not outcome.accepted


def test_a_refused_token_is_auth_not_rejected(platform):
    c = HttpClient(platform.url, "wrong-token", "demo")
    try:
        outcome = send_batch(c, _body())
    finally:
        c.close()
    assert outcome.kind == AUTH and outcome.error.status == 401


def test_an_invalid_batch_is_rejected_with_the_problem_detail(platform, client):
    outcome = send_batch(client, _body(tags={"bad": {"nested": 1}}))
    assert outcome.kind == REJECTED and outcome.error.status == 400
    assert outcome.problem["errors"][0]["path"] == "run.tags.bad"
    assert str(outcome) == "HTTP 400: invalid batch"  # the problem's detail, or its title when it has none
    assert platform.runs == {}
