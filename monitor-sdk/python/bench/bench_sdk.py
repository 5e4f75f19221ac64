"""SDK figures: the cost of one log_metric call and of encoding (bench/call_cost.py), and end-to-end
points/s from one client.

    python bench/bench_sdk.py                     # e2e against an in-process stand-in server
    BENCH_URL=http://127.0.0.1:8080 BENCH_TOKEN=... python bench/bench_sdk.py   # against the platform

Env: BENCH_URL / BENCH_TOKEN / BENCH_TENANT (fall back to ONESERVICE_URL / _TOKEN / _TENANT),
BENCH_CALLS (call-cost sample, default 200000), BENCH_POINTS (e2e points, default 500000)."""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))
sys.path.insert(0, HERE)

from monitor_sdk import OneServiceRun  # noqa: E402
from call_cost import encode_cost, log_metric_cost  # noqa: E402


def end_to_end(url, token, tenant, n, spool):
    run = OneServiceRun(base_url=url, api_token=token, tenant=tenant, project="bench",
                        run_name="e2e-throughput", spool_dir=spool, capture_console=False, system_metrics=False,
                        exit_hooks=False)
    if run.wait_until_created(timeout=30) is None:
        run.finish(timeout=5)
        raise SystemExit("the platform at %s did not create the run (check URL/token)" % url)
    t0 = time.perf_counter()
    lm = run.log_metric
    for i in range(n):
        lm("loss", 1.0 / (i + 1), step=i)
    t_logged = time.perf_counter() - t0
    ok = run.finish(timeout=600)
    total = time.perf_counter() - t0
    return n / total, t_logged, total, ok, dict(run.stats)


def main():
    calls = int(os.environ.get("BENCH_CALLS", "200000"))
    points = int(os.environ.get("BENCH_POINTS", "500000"))
    url = os.environ.get("BENCH_URL") or os.environ.get("ONESERVICE_URL")
    token = os.environ.get("BENCH_TOKEN") or os.environ.get("ONESERVICE_TOKEN")
    tenant = os.environ.get("BENCH_TENANT") or os.environ.get("ONESERVICE_TENANT")
    spool = tempfile.mkdtemp(prefix="monitor-sdk-bench-")
    print("python %s" % sys.version.split()[0])
    try:
        _figures(calls, points, url, token, tenant, spool)
    finally:
        shutil.rmtree(spool, ignore_errors=True)


def _figures(calls, points, url, token, tenant, spool):

    med, p99, p999, amort = log_metric_cost(calls, spool)
    print("log_metric call cost over %d calls: median %.2f us, p99 %.2f us, p99.9 %.2f us; "
          "wall per call incl. background sender %.2f us" % (calls, med, p99, p999, amort))
    print("batch encoding: %.3f us a point (batches of 5000)" % encode_cost(5000))

    fake = None
    if not url:
        sys.path.insert(0, os.path.join(HERE, "..", "tests"))
        from fakeserver import FakePlatform
        fake = FakePlatform().start()
        url = fake.url
        print("no BENCH_URL/ONESERVICE_URL: end-to-end against the in-process stand-in server at %s" % url)
    try:
        rate, t_logged, total, ok, stats = end_to_end(url, token, tenant, points, spool)
    finally:
        if fake is not None:
            fake.stop()
    print("end-to-end, one client: %d points in %.2f s = %.0f points/s (logging loop took %.2f s; all sent: %s; "
          "batches %d, spooled %d)" % (points, total, rate, t_logged, ok, stats["batches_sent"],
                                       stats["batches_spooled"]))


if __name__ == "__main__":
    main()
