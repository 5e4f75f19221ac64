"""SDK figures: the cost of one log_metric call, and end-to-end points/s from one client.

    python bench/bench_sdk.py                     # e2e against an in-process stand-in server
    BENCH_URL=http://127.0.0.1:8080 BENCH_TOKEN=... python bench/bench_sdk.py   # against the platform

Env: BENCH_URL / BENCH_TOKEN / BENCH_TENANT (fall back to ONESERVICE_URL / _TOKEN / _TENANT),
BENCH_CALLS (call-cost sample, default 200000), BENCH_POINTS (e2e points, default 500000)."""
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from monitor_sdk import OneServiceRun  # noqa: E402


def _pct(sorted_samples, q):
    return sorted_samples[min(len(sorted_samples) - 1, int(len(sorted_samples) * q))]


def call_cost(n, spool):
    """Per-call cost while the sender thread is running and spooling (offline), as in a real loop."""
    # Offline, so the background sender spools: it still competes for the GIL as it would when sending.
    run = OneServiceRun(base_url=None, project="bench", run_name="call-cost", spool_dir=spool,
                        capture_console=False, system_metrics=False, exit_hooks=False)
    perf = time.perf_counter
    lm = run.log_metric
    for i in range(2000):  # warm-up: first allocations of the deque blocks
        lm("warmup", 0.0, step=i)
    samples = [0.0] * n
    t_all = perf()
    for i in range(n):
        t0 = perf()
        lm("loss", 0.5, step=i)
        samples[i] = perf() - t0
    wall = perf() - t_all
    run.finish(timeout=30)
    samples.sort()
    return (statistics.median(samples) * 1e6, _pct(samples, 0.99) * 1e6, _pct(samples, 0.999) * 1e6,
            wall / n * 1e6)


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

    med, p99, p999, amort = call_cost(calls, spool)
    print("log_metric call cost over %d calls: median %.2f us, p99 %.2f us, p99.9 %.2f us; "
          "wall per call incl. background sender %.2f us" % (calls, med, p99, p999, amort))

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
