"""The SDK's producer-side figures, no platform involved:

- log_metric: the cost of one call, median and p99 (µs), while the background sender runs (offline, so
  it cuts and spools batches and competes for the GIL as it would when sending);
- encoding: what the sender spends turning queued points into request bytes (columns, packed doubles,
  JSON, gzip), µs a point.

    python bench/call_cost.py          # a line of figures, then the same as JSON (scripts/bench-training.mjs reads it)

Env: BENCH_CALLS (default 200000), BENCH_BATCH (points a batch, default 5000)."""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from monitor_sdk import OneServiceRun  # noqa: E402
from monitor_sdk.batches import BatchQueue  # noqa: E402


def _pct(sorted_samples, q):
    return sorted_samples[min(len(sorted_samples) - 1, int(len(sorted_samples) * q))]


def _timer_cost_ns(n=100000):
    """What reading the clock twice costs, taken off every sample."""
    perf = time.perf_counter_ns
    samples = []
    for _ in range(n):
        t0 = perf()
        samples.append(perf() - t0)
    return statistics.median(samples)


def log_metric_cost(n, spool):
    """(median µs, p99 µs, p99.9 µs, wall µs a call including the sender's share of the GIL)."""
    run = OneServiceRun(base_url=None, project="bench", run_name="call-cost", spool_dir=spool,
                        capture_console=False, system_metrics=False, exit_hooks=False)
    perf = time.perf_counter_ns
    lm = run.log_metric
    for i in range(2000):  # warm-up: first allocations of the deque blocks
        lm("warmup", 0.0, step=i)
    overhead = _timer_cost_ns()
    samples = [0] * n
    t_all = perf()
    for i in range(n):
        t0 = perf()
        lm("loss", 0.5, step=i)
        samples[i] = perf() - t0
    wall = perf() - t_all
    run.finish(timeout=60)
    samples = sorted(max(0, s - overhead) / 1000.0 for s in samples)
    return statistics.median(samples), _pct(samples, 0.99), _pct(samples, 0.999), wall / n / 1000.0


def encode_cost(points_per_batch, batches=40):
    """Median µs a point to cut and encode a batch of metric points (the sender's work per batch)."""
    header = {"client_run_id": "bench", "project": "bench", "name": "bench", "status": "running",
              "tags": {"exp": "a"}, "params": {"lr": 3e-4}}
    queue = BatchQueue(lambda final: dict(header), 1)
    ts = time.time() * 1000.0
    per_point = []
    for b in range(batches):
        base = b * points_per_batch
        queue.items.extend(("m", "loss", 1.0 / (base + i + 1), base + i, None, ts + i)
                           for i in range(points_per_batch))
        t0 = time.perf_counter()
        batch = queue.cut(points_per_batch)
        per_point.append((time.perf_counter() - t0) / points_per_batch * 1e6)
        queue.done(batch)
    return statistics.median(per_point)


def main():
    calls = int(os.environ.get("BENCH_CALLS", "200000"))
    batch = int(os.environ.get("BENCH_BATCH", "5000"))
    spool = tempfile.mkdtemp(prefix="monitor-sdk-bench-")
    try:
        med, p99, p999, wall = log_metric_cost(calls, spool)
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    encode = encode_cost(batch)
    print("python %s: log_metric over %d calls: median %.2f us, p99 %.2f us, p99.9 %.2f us, wall %.2f us a call; "
          "encoding %.3f us a point (batches of %d)"
          % (sys.version.split()[0], calls, med, p99, p999, wall, encode, batch))
    print(json.dumps({"median_us": med, "p99_us": p99, "p999_us": p999, "wall_us": wall,
                      "encode_us_per_point": encode, "calls": calls, "batch": batch}))


if __name__ == "__main__":
    main()
