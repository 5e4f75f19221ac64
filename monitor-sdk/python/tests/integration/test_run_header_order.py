"""Run header order on the real platform: every batch's header carries the revision it was built with, and
the platform applies only the newest, so a spool synced late cannot undo how the run ended."""
import uuid

import pytest

from monitor_sdk import OneServiceRun
from monitor_sdk.cli import sync_run_dir

from . import platform_api as api

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not (api.URL and api.TOKEN),
                       reason="set ONESERVICE_TEST_URL and ONESERVICE_TEST_TOKEN to run against a platform"),
]


def _run(spool, **kw):
    return OneServiceRun(api_token=api.TOKEN, tenant=api.TENANT, project="sdk-it", spool_dir=str(spool),
                         capture_console=False, system_metrics=False, exit_hooks=False, print_url=False, **kw)


def test_a_spool_synced_after_the_run_finished_elsewhere_keeps_it_finished(tmp_path):
    crid = "it-order-%s" % uuid.uuid4().hex[:8]
    # First on a machine without the platform: its batches (running, then failed) wait in its spool.
    offline = _run(tmp_path / "offline", base_url=None, run_id=crid, batch_size=5, tags={"where": "offline"})
    for step in range(10):
        offline.log_metric("loss", float(step), step=step)
    assert offline.finish(status="failed", timeout=5) is False
    # Later, elsewhere, the run is resumed and finishes online.
    online = _run(tmp_path / "online", base_url=api.URL, run_id=crid, tags={"where": "online"})
    for step in range(10, 20):
        online.log_metric("loss", float(step), step=step)
    assert online.finish(status="finished", timeout=60) is True

    sent, aside, _, complete = sync_run_dir(offline.spool_dir, base_url=api.URL, api_token=api.TOKEN,
                                            tenant=api.TENANT)
    assert complete and aside == 0 and sent >= 3
    run = api.find_run("sdk-it", crid)
    assert run["status"] == "finished"  # the older headers (running, failed) were not applied
    assert run["tags"] == {"where": "online"}
    assert [x for x, _ in api.series(online.id, "loss")] == list(range(20))  # their points were stored
