"""The run header's revision (newest header wins on the platform) and the run's id and page."""
import gzip
import json
import logging
import os

from fakeserver import free_port_url
from monitor_sdk import OneServiceRun
from monitor_sdk.cli import sync_run_dir
from monitor_sdk.transport import run_page_url


def _revisions(bodies):
    return [b["run"]["revision"] for b in bodies]


def _strictly_increasing(values):
    return all(isinstance(v, int) for v in values) and all(a < b for a, b in zip(values, values[1:]))


def test_revisions_strictly_increase_across_batches_finish_and_resume(platform, make_run):
    first = make_run(batch_size=10, flush_interval=5.0)
    for i in range(35):
        first.log_metric("loss", float(i), step=i)
    first.set_tags(phase="late")
    assert first.finish(status="failed", timeout=5) is True
    resumed = make_run(run_id=first.client_run_id, batch_size=10, flush_interval=5.0)
    for i in range(35, 50):
        resumed.log_metric("loss", float(i), step=i)
    assert resumed.finish(timeout=5) is True

    revisions = _revisions(platform.batches)
    assert len(revisions) >= 7, revisions  # 35 + 15 points in batches of 10, plus the headers
    assert _strictly_increasing(revisions), revisions
    statuses = [b["run"]["status"] for b in platform.batches]
    assert statuses.index("failed") < len(statuses) - 1 and statuses[-1] == "finished"
    # The resumed run's headers are newer than the finished one's, so the platform applies them.
    assert platform.run(first.client_run_id)["header"]["status"] == "finished"
    assert platform.metric_values("loss") == [(i, float(i)) for i in range(50)]


def test_spooled_batches_keep_the_revision_they_were_built_with(tmp_path, platform):
    run = OneServiceRun(base_url=free_port_url(), project="p", run_name="later", spool_dir=str(tmp_path),
                        capture_console=False, system_metrics=False, exit_hooks=False, batch_size=10)
    for i in range(35):
        run.log_metric("loss", float(i), step=i)
    assert run.finish(timeout=1.5) is False
    names = sorted(n for n in os.listdir(run.spool_dir) if n.endswith(".json.gz"))
    spooled = [json.loads(gzip.decompress(open(os.path.join(run.spool_dir, n), "rb").read())) for n in names]
    assert _strictly_increasing(_revisions(spooled))

    sent, aside, arts, complete = sync_run_dir(run.spool_dir, base_url=platform.url, api_token="tok-test")
    assert complete and sent == len(spooled)
    assert _revisions(platform.batches) == _revisions(spooled)
    assert platform.run()["header"]["status"] == "finished"


def test_run_id_and_url_are_known_once_the_platform_created_the_run(platform, make_run, capfd, caplog):
    caplog.set_level(logging.INFO, logger="monitor_sdk")
    run = make_run()
    assert run.wait_until_created(timeout=5) == run.id
    assert run.id == platform.run(run.client_run_id)["id"] == run.server_run_id
    assert run.url == "%s/training/runs/%s" % (platform.url, run.id)
    for i in range(5):  # five more batches, and still one line
        run.log_metric("loss", float(i), step=i)
        run.flush(timeout=5)
    run.finish(timeout=5)
    said = capfd.readouterr().err + caplog.text
    assert said.count("View run") == 1 and run.url in said


def test_print_url_false_keeps_quiet(platform, make_run, capfd, caplog):
    caplog.set_level(logging.INFO, logger="monitor_sdk")
    run = make_run(print_url=False)
    assert run.wait_until_created(timeout=5) is not None
    run.finish(timeout=5)
    assert "View run" not in capfd.readouterr().err + caplog.text


def test_an_offline_run_has_no_id_and_no_url(tmp_path):
    run = OneServiceRun(base_url=None, project="p", run_name="offline", spool_dir=str(tmp_path),
                        capture_console=False, system_metrics=False, exit_hooks=False)
    assert run.id is None and run.url is None
    assert run.wait_until_created(timeout=0.2) is None
    run.finish(timeout=2)


def test_run_page_url_keeps_the_base_path_prefix():
    assert run_page_url("https://obs.example.com/oneservice/", "r-1") == \
        "https://obs.example.com/oneservice/training/runs/r-1"
    assert run_page_url("127.0.0.1:8080", "r-1") == "http://127.0.0.1:8080/training/runs/r-1"
