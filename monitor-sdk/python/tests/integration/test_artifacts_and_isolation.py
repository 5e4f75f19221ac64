"""Artifacts (upload scopes, size limit, the demo's ONNX model and TensorBoard file read with the real
libraries) and tenant isolation of the run routes, against the real platform."""
import json
import os
import uuid

import pytest

from monitor_sdk import OneServiceRun

from . import platform_api as api

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not (api.URL and api.TOKEN), reason="set ONESERVICE_TEST_URL and ONESERVICE_TEST_TOKEN"),
]
needs_tokens = pytest.mark.skipif(not (api.BETA_TOKEN and api.INGEST_ONLY_TOKEN and api.WRITE_READ_TOKEN),
                                  reason="needs the extra tokens scripts/sdk-integration.mjs makes")


def _demo_artifacts():
    run = api.find_run("nlp-abtest", "bert-ab-a")
    items = api.get("/api/v1/runs/%s/artifacts" % run["id"])["items"]
    return run, {a["type"]: a for a in items}


def _download(run_id, artifact):
    status, headers, body = api.request("GET", "/api/v1/runs/%s/artifacts/%s/download" % (run_id, artifact["id"]))
    assert status == 200, body[:300]
    assert len(body) == artifact["size"]
    return body


def test_demo_onnx_model_and_tensorboard_file_are_valid(tmp_path):
    missing = os.environ.get("ONESERVICE_TEST_VALIDATORS_MISSING")
    if missing:
        pytest.skip("cannot read the files with the real libraries: " + missing)
    onnx = pytest.importorskip("onnx", reason="onnx is not installed (scripts/sdk-integration.mjs installs it)")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator",
        reason="tensorboard is not installed (scripts/sdk-integration.mjs installs it)")
    run, by_type = _demo_artifacts()

    model = onnx.load_from_string(_download(run["id"], by_type["model"]))
    onnx.checker.check_model(model, full_check=True)
    assert len(model.graph.node) > 0 and model.graph.input and model.graph.output

    logdir = tmp_path / "tb"
    logdir.mkdir()
    tb = by_type["tensorboard"]
    (logdir / tb["path"].split("/")[-1]).write_bytes(_download(run["id"], tb))
    acc = event_accumulator.EventAccumulator(str(logdir))
    acc.Reload()
    tags = acc.Tags()["scalars"]
    assert tags, "no scalars in the TensorBoard event file"
    values = acc.Scalars(tags[0])
    assert len(values) > 1 and all(v.step >= 0 for v in values)


@needs_tokens
def test_artifact_upload_takes_an_ingest_token_or_a_write_token_on_one_route(tmp_path):
    run = OneServiceRun(base_url=api.URL, api_token=api.TOKEN, tenant=api.TENANT, project="sdk-it",
                        run_name="it-artifact-scopes", spool_dir=str(tmp_path / "spool"), capture_console=False,
                        system_metrics=False, exit_hooks=False)
    run_id = run.wait_until_created(30)
    assert run.finish(timeout=60)
    path = "/api/v1/runs/%s/artifacts?path=notes.txt&type=other" % run_id
    octet = {"Content-Type": "application/octet-stream"}

    status, _, body = api.request("POST", path, token=api.INGEST_ONLY_TOKEN, body=b"by ingest", headers=octet)
    assert status == 201, body
    status, _, body = api.request("POST", path, token=api.WRITE_READ_TOKEN, body=b"by write", headers=octet)
    assert status == 201, body

    (stored,) = [a for a in api.get("/api/v1/runs/%s/artifacts" % run_id)["items"] if a["path"] == "notes.txt"]
    assert _download(run_id, stored) == b"by write"


def test_an_upload_over_the_size_limit_is_refused_with_413_naming_it(tmp_path):
    limit = int(os.environ.get("ONESERVICE_TEST_ARTIFACT_MAX_BYTES", "0"))
    if not limit:
        pytest.skip("ONESERVICE_TEST_ARTIFACT_MAX_BYTES (the platform's ARTIFACT_MAX_BYTES) is not set")
    run = OneServiceRun(base_url=api.URL, api_token=api.TOKEN, tenant=api.TENANT, project="sdk-it",
                        run_name="it-artifact-limit", spool_dir=str(tmp_path / "spool"), capture_console=False,
                        system_metrics=False, exit_hooks=False)
    run_id = run.wait_until_created(30)
    assert run.finish(timeout=60)
    status, _, body = api.request("POST", "/api/v1/runs/%s/artifacts?path=big.bin" % run_id, body=b"\0" * (limit + 1),
                                  headers={"Content-Type": "application/octet-stream"}, timeout=120)
    assert status == 413, body[:300]
    assert "ARTIFACT_MAX_BYTES" in json.loads(body.decode("utf-8"))["detail"]
    assert all(a["path"] != "big.bin" for a in api.get("/api/v1/runs/%s/artifacts" % run_id)["items"])


@needs_tokens
def test_another_tenant_sees_none_of_a_run(tmp_path):
    project = "iso-%s" % uuid.uuid4().hex[:6]
    run = OneServiceRun(base_url=api.URL, api_token=api.TOKEN, tenant=api.TENANT, project=project,
                        run_name="isolated", spool_dir=str(tmp_path / "spool"), capture_console=False,
                        system_metrics=False, exit_hooks=False)
    run.log_metric("loss", 0.5, step=0)
    run.log_text("secret line")
    art = tmp_path / "model.onnx"
    art.write_bytes(b"\x08\x07")
    job = run.upload_artifact(str(art), wait=True, timeout=60)
    assert run.finish(timeout=60) and job.result
    run_id, artifact_id = run.server_run_id, job.result["id"]

    beta = api.BETA_TOKEN
    for method, path in [
        ("GET", "/api/v1/runs/%s" % run_id),
        ("GET", "/api/v1/runs/%s/metrics?name=loss" % run_id),
        ("GET", "/api/v1/runs/%s/logs" % run_id),
        ("GET", "/api/v1/runs/%s/events" % run_id),
        ("GET", "/api/v1/runs/%s/traces" % run_id),
        ("POST", "/api/v1/runs/%s/replay" % run_id),
        ("GET", "/api/v1/runs/%s/artifacts" % run_id),
        ("GET", "/api/v1/runs/%s/artifacts/%s/download" % (run_id, artifact_id)),
        ("GET", "/api/v1/runs/%s/model-graph" % run_id),
        ("GET", "/api/v1/runs/%s/stream" % run_id),
        ("GET", "/api/v1/runs/compare?ids=%s&name=loss" % run_id),
        ("PATCH", "/api/v1/runs/%s" % run_id),
        ("DELETE", "/api/v1/runs/%s" % run_id),
        ("POST", "/api/v1/runs/%s/artifacts?path=x.bin" % run_id),
    ]:
        json_body = method == "PATCH" or path.endswith("/replay")
        body = (b'{"name":"taken"}' if method == "PATCH" else b'{"from":0,"to":1}' if json_body
                else b"x" if method == "POST" else None)
        headers = {"Content-Type": "application/json" if json_body else "application/octet-stream"}
        status, _, answer = api.request(method, path, token=beta, body=body, headers=headers)
        assert status == 404, "%s %s from the other tenant -> %s %s" % (method, path, status, answer[:200])
    assert api.list_runs(project, token=beta) == []
    # The owner still has it, untouched.
    assert api.get("/api/v1/runs/%s" % run_id)["name"] == "isolated"
