"""Against the real platform (the training plugin): started by CI, which sets ONESERVICE_TEST_URL and
ONESERVICE_TEST_TOKEN (a token with ingest and read scopes)."""
import gzip
import hashlib
import json
import os
import time
import uuid

import pytest

from monitor_sdk import OneServiceRun
from monitor_sdk.transport import HttpClient

from . import platform_api as api

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not (api.URL and api.TOKEN),
                       reason="set ONESERVICE_TEST_URL and ONESERVICE_TEST_TOKEN to run against a platform"),
]


def _run(tmp_path, **kw):
    opts = dict(base_url=api.URL, api_token=api.TOKEN, tenant=api.TENANT, project="sdk-it",
                spool_dir=str(tmp_path / "spool"), capture_console=False, system_metrics=False, exit_hooks=False)
    opts.update(kw)
    return OneServiceRun(**opts)


def test_a_full_run_is_listed_with_its_metric_series(tmp_path):
    name = "it-full-%s" % uuid.uuid4().hex[:6]
    run = _run(tmp_path, run_name=name, framework="pytorch", tags={"exp": "ab"}, params={"lr": 0.001})
    for step in range(50):
        run.log_metric("loss", 1.0 / (step + 1), step=step)
    run.log_text("loading dataset shard-1 ...")
    run.log_event("checkpoint_saved", {"path": "/chkpt/epoch-1"})
    with run.span("forward_pass"):
        with run.span("attention"):
            pass
    model = tmp_path / "model.onnx"
    payload = os.urandom(200000)
    model.write_bytes(payload)
    job = run.upload_artifact(str(model), wait=True, timeout=60)
    assert run.finish(status="success", timeout=60) is True
    assert job.result and job.result["sha256"] == hashlib.sha256(payload).hexdigest()
    assert job.result["size"] == len(payload)

    listed = api.find_run("sdk-it", run.client_run_id)
    assert listed["id"] == run.server_run_id
    assert listed["status"] == "finished"
    assert listed.get("tags", {}).get("exp") == "ab"
    pts = api.series(run.server_run_id, "loss", by="step")
    assert [x for x, _ in pts] == list(range(50))
    assert all(abs(v - 1.0 / (x + 1)) < 1e-9 for x, v in pts)


def test_a_resent_batch_is_stored_once(tmp_path):
    crid = "it-dup-%s" % uuid.uuid4().hex[:8]
    body = {"batch_id": str(uuid.uuid4()),
            "run": {"client_run_id": crid, "project": "sdk-it", "name": crid, "status": "running"},
            "metrics": [{"name": "loss", "value": 0.5 - i * 0.1, "step": i, "ts": time.time() * 1000} for i in range(3)]}
    gz = gzip.compress(json.dumps(body).encode("utf-8"))
    client = HttpClient(api.URL, api.TOKEN, api.TENANT)
    first = client.post_batch(gz)
    second = client.post_batch(gz)
    client.close()
    assert first["duplicate"] is False and first["accepted"]["metrics"] == 3
    assert second["duplicate"] is True and second["run_id"] == first["run_id"]
    assert [x for x, _ in api.series(first["run_id"], "loss")] == [0, 1, 2]


def test_sdk_replay_after_a_lost_answer_is_idempotent(tmp_path):
    # What a spool replay does after a timeout that hid a success: the same file, sent again.
    run = _run(tmp_path, run_name="it-replay", batch_size=10)
    for i in range(30):
        run.log_metric("loss", float(i), step=i)
    assert run.finish(timeout=60)
    crid = run.client_run_id
    body = {"batch_id": str(uuid.uuid4()), "run": {"client_run_id": crid, "project": "sdk-it"},
            "metrics": [{"name": "loss", "value": 99.0, "step": 30, "ts": time.time() * 1000}]}
    gz = gzip.compress(json.dumps(body).encode("utf-8"))
    client = HttpClient(api.URL, api.TOKEN, api.TENANT)
    for _ in range(3):
        client.post_batch(gz)
    client.close()
    assert [x for x, _ in api.series(run.server_run_id, "loss")] == list(range(31))


def test_non_finite_values_read_back_as_strings(tmp_path):
    run = _run(tmp_path, run_name="it-nonfinite")
    run.log_metric("weird", float("nan"), step=0)
    run.log_metric("weird", float("inf"), step=1)
    run.log_metric("weird", float("-inf"), step=2)
    run.log_metric("weird", 1.5, step=3)
    assert run.finish(timeout=60)
    assert api.series(run.server_run_id, "weird") == [(0, "NaN"), (1, "Infinity"), (2, "-Infinity"), (3, 1.5)]
