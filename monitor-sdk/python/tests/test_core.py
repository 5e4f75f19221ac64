import gzip
import json
import os
import threading
import time

import pytest

from fakeserver import Blackhole, free_port_url
from monitor_sdk import OneServiceRun
from monitor_sdk.run import guess_artifact_type, normalize_status


def test_metrics_logs_events_spans_reach_the_platform(platform, make_run):
    run = make_run(framework="pytorch", tags={"exp": "ab"}, params={"lr": 3e-4, "batch_size": 32})
    for step in range(10):
        run.log_metric("loss", 1.0 / (step + 1), step=step)
    run.log_metric("accuracy", 0.87, epoch=1)
    run.log_metrics({"precision": 0.82, "recall": 0.79}, step=2)
    run.log_text("loading dataset shard-1 ...")
    run.log_text("disk almost full", level="warning")
    run.log_event("checkpoint_saved", {"path": "/chkpt/epoch-1"})
    assert run.finish(status="success", timeout=5) is True

    r = platform.run(run.client_run_id)
    assert r["header"]["status"] == "finished"
    assert r["header"]["framework"] == "pytorch"
    assert r["header"]["tags"] == {"exp": "ab"}
    assert r["header"]["params"] == {"lr": 3e-4, "batch_size": 32}
    assert r["header"]["project"] == "p" and r["header"]["name"] == "t"
    assert isinstance(r["header"]["started_at"], float) and r["header"]["ended_at"] >= r["header"]["started_at"]
    assert platform.metric_values("loss") == [(s, 1.0 / (s + 1)) for s in range(10)]
    acc = [m for _, m in platform.metrics if m["name"] == "accuracy"][0]
    assert acc["epoch"] == 1 and acc["step"] is None
    assert platform.metric_values("precision") == [(2, 0.82)]
    logs = [l for _, l in platform.logs]
    assert [(l["level"], l["message"]) for l in logs] == [("info", "loading dataset shard-1 ..."),
                                                          ("warn", "disk almost full")]
    assert [e for _, e in platform.events][0]["type"] == "checkpoint_saved"
    assert run.server_run_id == r["id"]
    # the batches were gzip'd and authenticated as the protocol says
    batch_reqs = [h for p, s, h in platform.request_log if p == "/api/v1/ingest/batch"]
    assert all(h.get("Content-Encoding") == "gzip" for h in batch_reqs)
    assert all(h.get("Authorization") == "Bearer tok-test" for h in batch_reqs)
    assert all(h.get("X-OneService-Tenant") == "demo" for h in batch_reqs)
    assert r["status_history"][-1] == "finished"
    # nothing was left in the spool, and the run's spool folder is gone
    assert not os.path.exists(run.spool_dir)


def test_spans_nest_as_context_managers_and_decorators(platform, make_run):
    run = make_run()

    @run.span("train_step", phase="train")
    def train_step(i):
        with run.span("forward_pass", layer_count=2) as s:
            s.set_attribute("i", i)
        with run.span("backward_pass"):
            pass
        return i * 2

    assert train_step(3) == 6
    with pytest.raises(ZeroDivisionError):
        with run.span("bad"):
            1 / 0
    run.finish(timeout=5)
    spans = {s["name"]: s for _, s in platform.spans}
    root, fwd, bwd = spans["train_step"], spans["forward_pass"], spans["backward_pass"]
    assert root["parent_span_id"] is None and root["attributes"] == {"phase": "train"}
    assert fwd["parent_span_id"] == root["span_id"] and bwd["parent_span_id"] == root["span_id"]
    assert fwd["trace_id"] == root["trace_id"] == bwd["trace_id"]
    assert len(root["trace_id"]) == 32 and len(root["span_id"]) == 16
    assert fwd["attributes"] == {"layer_count": 2, "i": 3}
    assert root["start"] <= fwd["start"] <= fwd["end"] <= bwd["start"] <= bwd["end"] <= root["end"]
    assert root["status"] == "ok"
    bad = spans["bad"]
    assert bad["status"] == "error" and bad["attributes"]["error.type"] == "ZeroDivisionError"
    assert bad["trace_id"] != root["trace_id"]


def test_non_finite_values_are_sent_as_protocol_strings(platform, make_run):
    run = make_run()
    run.log_metric("x", float("nan"), step=0)
    run.log_metric("x", float("inf"), step=1)
    run.log_metric("x", float("-inf"), step=2)
    run.log_metric("x", 2, step=3)  # ints are numbers too
    run.log_event("weird", {"v": float("nan"), "nested": [float("inf")]})
    run.set_params(eps=float("-inf"))
    run.finish(timeout=5)
    assert platform.metric_values("x") == [(0, "NaN"), (1, "Infinity"), (2, "-Infinity"), (3, 2.0)]
    assert [e for _, e in platform.events][0]["payload"] == {"v": "NaN", "nested": ["Infinity"]}
    assert platform.run()["header"]["params"]["eps"] == "-Infinity"


def test_values_that_are_not_numbers_are_dropped_without_raising(platform, make_run):
    class Tensorish(object):
        def item(self):
            return 0.25

    run = make_run()
    run.log_metric("a", "not a number", step=0)
    run.log_metric("a", None, step=1)
    run.log_metric("a", Tensorish(), step=2)
    run.log_metric("a", True, step=3)
    run.log_metric("a", 1.0, step=-5)  # invalid step is sent without step rather than refused
    run.finish(timeout=5)
    assert platform.metric_values("a") == [(2, 0.25), (3, 1.0), (None, 1.0)]


def test_batches_are_cut_by_size(platform, make_run):
    run = make_run(batch_size=100, flush_interval=5.0)
    for i in range(1000):
        run.log_metric("m", float(i), step=i)
    run.finish(timeout=5)
    sizes = [len(b.get("metrics", [])) for b in platform.batches]
    assert max(sizes) <= 100 and sum(sizes) == 1000
    assert [v for _, v in platform.metric_values("m")] == [float(i) for i in range(1000)]


def test_two_batches_in_flight_store_every_point_once_and_keep_the_newest_metadata(platform, make_run):
    platform.batch_delay = 0.05
    run = make_run(batch_size=200, flush_interval=5.0, max_inflight=2, tags={"phase": "a"})
    for i in range(3000):
        run.log_metric("m", float(i), step=i)
        if i == 1500:
            run.set_tags(phase="b")
    assert run.finish(timeout=30) is True
    # Arrival order is not kept with two in flight; the platform orders points by step.
    assert sorted(platform.metric_values("m")) == [(i, float(i)) for i in range(3000)]
    assert platform.max_concurrent == 2
    header = platform.run(run.client_run_id)["header"]
    assert header["tags"] == {"phase": "b"} and header["status"] == "finished"
    assert platform.batches[-1]["run"]["status"] == "finished"


def test_status_mapping():
    assert normalize_status("success") == "finished"
    assert normalize_status("FINISHED") == "finished"
    assert normalize_status("failed") == "failed"
    assert normalize_status("killed") == "killed"
    with pytest.raises(ValueError):
        normalize_status("maybe")


def test_retryable_answers_are_retried_honouring_retry_after(platform, make_run):
    platform.script(503, times=2)
    platform.script(429, headers={"Retry-After": "1"})
    run = make_run()
    t0 = time.monotonic()
    run.log_metric("loss", 0.5, step=1)
    assert run.flush(timeout=15)
    elapsed = time.monotonic() - t0
    run.finish(timeout=5)
    assert platform.metric_values("loss") == [(1, 0.5)]
    assert elapsed >= 1.0  # the Retry-After second was respected
    statuses = [s for p, s, h in platform.request_log if p.startswith("/api/v1/ingest")]
    assert statuses[:3] == [503, 503, 429]


def test_lost_answer_resend_is_stored_once(platform, make_run):
    # The platform stores the batch but the 202 never arrives (502 from a proxy): the SDK must resend
    # the same batch_id, and the platform keeps one copy.
    run = make_run(flush_interval=10.0)
    run.flush(timeout=5)  # the run-creating header batch goes first, unaffected
    platform.script(502, store_first=True)
    for i in range(5):
        run.log_metric("loss", float(i), step=i)
    run.finish(timeout=10)
    assert platform.duplicates >= 1
    assert platform.metric_values("loss") == [(i, float(i)) for i in range(5)]


def test_non_retryable_4xx_drops_the_batch_and_continues(platform, make_run, capfd, caplog):
    run = make_run(flush_interval=10.0)
    run.flush(timeout=5)
    platform.script(400)
    run.log_metric("loss", 1.0, step=1)
    run.flush(timeout=5)
    run.log_metric("loss", 2.0, step=2)
    run.finish(timeout=5)
    assert platform.metric_values("loss") == [(2, 2.0)]
    assert run.stats["batches_rejected"] == 1 and run.stats["items_dropped"] == 1
    assert "rejected" in capfd.readouterr().err + caplog.text


def _outage_seconds():
    return float(os.environ.get("SDK_OUTAGE_SECONDS", "3"))


def test_outage_mid_run_every_point_once_and_in_order(platform, make_run):
    """The spec's scenario (platform down for a while during training), scaled by SDK_OUTAGE_SECONDS."""
    outage = _outage_seconds()
    run = make_run(flush_interval=0.1, max_backoff=1.0)
    stop = threading.Event()
    count = [0]

    def train():
        step = 0
        while not stop.is_set():
            run.log_metric("loss", 1.0 / (step + 1), step=step)
            run.log_text("step %d" % step)
            step += 1
            time.sleep(0.002)
        count[0] = step

    t = threading.Thread(target=train)
    t.start()
    time.sleep(0.5)
    platform.stop()
    time.sleep(outage)
    spooled_during_outage = run.stats["batches_spooled"]
    platform.start()
    time.sleep(0.5)
    stop.set()
    t.join()
    assert run.finish(timeout=max(30.0, 2 * outage)) is True
    n = count[0]
    steps = [s for s, _ in platform.metric_values("loss")]
    assert steps == list(range(n)), "points lost, duplicated or reordered"
    assert [l["message"] for _, l in platform.logs] == ["step %d" % i for i in range(n)]
    assert spooled_during_outage > 0
    assert platform.run()["header"]["status"] == "finished"
    assert not os.path.exists(run.spool_dir)
    print("\noutage %.1fs: %d points, %d batches spooled then replayed" % (outage, n, spooled_during_outage))


def test_outage_with_two_in_flight_replays_every_point_once(platform, make_run):
    """max_inflight=2 sends and replays the spool on two connections: arrival order is not kept, but no
    point is lost or stored twice, and the final status still comes last."""
    platform.batch_delay = 0.01
    run = make_run(flush_interval=0.1, max_backoff=1.0, batch_size=50, max_inflight=2)
    stop = threading.Event()
    count = [0]

    def train():
        step = 0
        while not stop.is_set():
            run.log_metric("loss", 1.0 / (step + 1), step=step)
            step += 1
            time.sleep(0.001)
        count[0] = step

    t = threading.Thread(target=train)
    t.start()
    time.sleep(0.5)
    platform.stop()
    time.sleep(min(_outage_seconds(), 3.0))
    spooled_during_outage = run.stats["batches_spooled"]
    platform.start()
    time.sleep(0.5)
    stop.set()
    t.join()
    assert run.finish(timeout=30.0) is True
    assert spooled_during_outage > 1
    assert sorted(s for s, _ in platform.metric_values("loss")) == list(range(count[0]))
    assert platform.max_concurrent == 2
    assert platform.batches[-1]["run"]["status"] == "finished"
    assert not os.path.exists(run.spool_dir)


def test_finish_never_hangs_when_the_platform_is_down(tmp_path):
    run = OneServiceRun(base_url=free_port_url(), api_token="t", project="p", run_name="down",
                        spool_dir=str(tmp_path), capture_console=False, system_metrics=False,
                        exit_hooks=False)
    for i in range(100):
        run.log_metric("loss", float(i), step=i)
    t0 = time.monotonic()
    assert run.finish(timeout=2) is False
    assert time.monotonic() - t0 < 4
    assert len([n for n in os.listdir(run.spool_dir) if n.endswith(".json.gz")]) >= 1


def test_finish_never_hangs_when_the_platform_does_not_answer(tmp_path):
    hole = Blackhole()
    try:
        run = OneServiceRun(base_url=hole.url, project="p", run_name="hung", spool_dir=str(tmp_path),
                            capture_console=False, system_metrics=False, exit_hooks=False, request_timeout=60)
        run.log_metric("loss", 1.0, step=0)
        time.sleep(0.2)
        t0 = time.monotonic()
        run.finish(timeout=2)
        took = time.monotonic() - t0
        assert took < 4.5, took
        files = [n for n in os.listdir(run.spool_dir) if n.endswith(".json.gz")]
        assert files, "unsent data must be in the spool"
    finally:
        hole.close()


def test_spool_files_are_complete_gzip_bodies_with_batch_ids(tmp_path):
    run = OneServiceRun(base_url=None, project="p", run_name="offline", spool_dir=str(tmp_path),
                        capture_console=False, system_metrics=False, exit_hooks=False)
    run.log_metric("loss", 0.1, step=0)
    run.finish(timeout=2)
    names = sorted(n for n in os.listdir(run.spool_dir) if n.endswith(".json.gz"))
    assert names[0] == "000000000001.json.gz"
    bodies = [json.loads(gzip.decompress(open(os.path.join(run.spool_dir, n), "rb").read())) for n in names]
    assert len({b["batch_id"] for b in bodies}) == len(bodies)
    assert bodies[-1]["run"]["status"] == "finished"
    assert not [n for n in os.listdir(run.spool_dir) if ".tmp" in n]


def test_bounded_memory_spills_to_disk(tmp_path, platform):
    platform.stop()
    run = OneServiceRun(base_url=platform.url, api_token="tok-test", project="p", run_name="flood", spool_dir=str(tmp_path),
                        capture_console=False, system_metrics=False, exit_hooks=False,
                        batch_size=500, max_queue=2000, flush_interval=60)
    high = 0
    for i in range(20000):
        run.log_metric("m", float(i), step=i)
        if len(run._q) > high:
            high = len(run._q)
    assert high <= 2000
    run.finish(timeout=1)
    platform.start()
    from monitor_sdk.cli import sync_run_dir
    sent, aside, arts, complete = sync_run_dir(run.spool_dir, base_url=platform.url, api_token="tok-test")
    assert complete and aside == 0
    assert [s for s, _ in platform.metric_values("m")] == list(range(20000))


def test_resume_by_client_run_id(platform, make_run):
    first = make_run(run_name="resumable")
    first.log_metric("loss", 1.0, step=1)
    first.finish(status="failed", timeout=5)
    second = make_run(run_id=first.client_run_id, run_name="resumable")
    second.log_metric("loss", 0.5, step=2)
    second.finish(timeout=5)
    assert len(platform.runs) == 1
    assert second.server_run_id == first.server_run_id
    assert platform.metric_values("loss") == [(1, 1.0), (2, 0.5)]
    resumed_headers = [b["run"] for b in platform.batches if b["run"]["status"] != "failed"][-1]
    assert "started_at" not in resumed_headers  # a resume must not move the original start
    assert platform.run()["status_history"][-1] == "finished"


def test_params_from_config_object_and_tags_update(platform, make_run):
    class Cfg(object):
        def __init__(self):
            self.lr = 0.1
            self.layers = [64, 32]
            self._private = 1

    run = make_run(config=Cfg(), params={"seed": 7})
    run.set_tags(stage="pretrain")
    run.finish(timeout=5)
    h = platform.run()["header"]
    assert h["params"] == {"lr": 0.1, "layers": [64, 32], "seed": 7}
    assert h["tags"] == {"stage": "pretrain"}


def test_artifact_upload_streams_the_file(platform, make_run, tmp_path):
    model = tmp_path / "model.onnx"
    payload = os.urandom(3 * 1024 * 1024 + 17)
    model.write_bytes(payload)
    run = make_run()
    job = run.upload_artifact(str(model), wait=True, timeout=10)
    assert job.result and job.result["size"] == len(payload)
    run.finish(timeout=5)
    import hashlib
    art = platform.artifacts[0]
    assert art["sha256"] == hashlib.sha256(payload).hexdigest()
    assert art["type"] == "model" and art["path"] == "model.onnx"
    assert art["run_id"] == run.server_run_id


def test_artifact_type_guess():
    assert guess_artifact_type("/x/events.out.tfevents.123.host") == "tensorboard"
    assert guess_artifact_type("/x/model.onnx") == "model"
    assert guess_artifact_type("/out/checkpoint-500/trainer_state.json") == "checkpoint"
    assert guess_artifact_type("/x/notes.txt") == "other"


def test_offline_run_then_sync_cli_uploads_in_order_and_cleans_up(tmp_path, platform):
    import subprocess
    import sys
    art = tmp_path / "events.out.tfevents.1.host"
    art.write_bytes(b"tb-data")
    run = OneServiceRun(base_url=free_port_url(), project="p", run_name="later", spool_dir=str(tmp_path / "s"),
                        capture_console=False, system_metrics=False, exit_hooks=False, batch_size=10)
    for i in range(55):
        run.log_metric("loss", float(i), step=i)
    job = run.upload_artifact(str(art))
    assert run.finish(timeout=1.5) is False
    assert job.pending
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(os.path.dirname(__file__)), "src"))
    res = subprocess.run([sys.executable, "-m", "monitor_sdk", "sync", str(tmp_path / "s"),
                          "--base-url", platform.url, "--api-token", "tok-test"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=60)
    out = res.stdout.decode()
    assert res.returncode == 0, out
    assert [s for s, _ in platform.metric_values("loss")] == list(range(55))
    assert platform.run()["header"]["status"] == "finished"
    assert platform.artifacts and platform.artifacts[0]["type"] == "tensorboard"
    assert not os.path.exists(run.spool_dir), out
    # a second sync finds nothing and succeeds
    res2 = subprocess.run([sys.executable, "-m", "monitor_sdk", "sync", str(tmp_path / "s"),
                           "--base-url", platform.url], stdout=subprocess.PIPE, env=env, timeout=60)
    assert res2.returncode == 0


def test_console_capture_tees_lines_into_run_logs(platform, make_run, capsys):
    import sys
    run = make_run(capture_console=True)
    print("hello from training")
    sys.stdout.write("partial ")
    sys.stdout.write("line\nprogress 10%\rprogress 100%\n")
    print("oops", file=sys.stderr)
    run.finish(timeout=5)
    print("after finish")
    got = [(l.get("stream"), l["message"]) for _, l in platform.logs]
    assert got == [("stdout", "hello from training"), ("stdout", "partial line"), ("stdout", "progress 100%"),
                   ("stderr", "oops")]
    out = capsys.readouterr()
    assert "hello from training" in out.out and "oops" in out.err  # the terminal still sees everything


def test_console_capture_off(platform, make_run):
    run = make_run(capture_console=False)
    print("not captured")
    run.finish(timeout=5)
    assert platform.logs == []


def test_items_are_kept_within_the_platform_schema_limits(platform, make_run):
    run = make_run(tags={"list": [1, 2], "n": 3, "d": {"a": 1}})
    run.log_metric("x" * 500, 1.0, step=0)
    run.log_text("y" * 100000)
    run.log_event("evt", ["not", "an", "object"])
    run.finish(timeout=5)
    assert [m["name"] for _, m in platform.metrics] == ["x" * 200]
    assert len(platform.logs[0][1]["message"]) < 65536
    assert platform.events[0][1]["payload"] == {"value": ["not", "an", "object"]}
    assert platform.run()["header"]["tags"] == {"list": "[1, 2]", "n": 3, "d": "{\"a\": 1}"}
