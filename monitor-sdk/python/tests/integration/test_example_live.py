"""examples/train_demo.py, run as the README says, against the real platform: the run is in the API
within moments of the script starting it (the time is printed; a benchmark figure, not an assertion)."""
import os
import subprocess
import sys
import time

import pytest

from . import platform_api as api

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not (api.URL and api.TOKEN), reason="set ONESERVICE_TEST_URL and ONESERVICE_TEST_TOKEN"),
]

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "examples",
                    "train_demo.py")


def test_the_example_script_shows_up_in_the_api_while_it_runs(tmp_path):
    project = "demo-classifier"
    env = dict(os.environ, ONESERVICE_URL=api.URL, ONESERVICE_TOKEN=api.TOKEN, ONESERVICE_TENANT=api.TENANT or "",
               ONESERVICE_SPOOL_DIR=str(tmp_path), ONESERVICE_PROJECT=project, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, DEMO, "--epochs", "3", "--step-delay", "0.005"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        first = ""
        while "client run id" not in first:  # SDK warnings (stderr) may come first
            line = proc.stdout.readline().decode()
            assert line, "the script ended before it started a run"
            first = line
        started = time.monotonic()
        client_run_id = first.rsplit("client run id ", 1)[1].strip().rstrip(")")
        run = None
        while run is None and proc.poll() is None:
            listed = [r for r in api.list_runs(project) if r["client_run_id"] == client_run_id]
            run = listed[0] if listed else None
        listed_after = time.monotonic() - started
        assert run is not None, "the run never showed up in GET /runs"
        while not api.get("/api/v1/runs/%s/metrics" % run["id"])["names"] and proc.poll() is None:
            pass
        metric_after = time.monotonic() - started
        print("\n[example] run listed by GET /runs %.0f ms after the script started it; first metric readable "
              "after %.0f ms" % (listed_after * 1000, metric_after * 1000))
        out = proc.communicate(timeout=300)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    final = api.get("/api/v1/runs/%s" % run["id"])
    assert final["status"] == "finished"
    names = {m["name"] for m in final["metrics"]}
    assert {"loss", "val/loss", "val/auc", "lr", "grad_norm"} <= names
    assert any(a["type"] == "model" for a in api.get("/api/v1/runs/%s/artifacts" % run["id"])["items"])
