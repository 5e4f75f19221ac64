"""When batches go: a slow training loop is seen step by step, a fast one still sends few, large batches."""
import time

import pytest


def _metric_batches(platform):
    with platform.lock:
        return [b["metrics"] for b in platform.batches if b.get("metrics")]


def _wait_for_points(platform, n, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with platform.lock:
            if len(platform.metrics) >= n:
                return True
        time.sleep(0.01)
    return False


def test_a_slow_logger_gets_one_batch_per_step_without_waiting_for_the_flush_interval(platform, make_run):
    # flush_interval=60: only the linger can send these before the test gives up waiting.
    run = make_run(flush_interval=60.0, flush_linger=0.2)
    names = ["loss", "accuracy", "lr", "grad_norm"]
    for step in range(5):
        run.log_metrics({name: float(step) for name in names}, step=step)
        assert _wait_for_points(platform, 4 * (step + 1)), "step %d not sent within the linger" % step
    assert run.finish(timeout=10) is True
    batches = _metric_batches(platform)
    # Each step's metrics went together (the linger gathered them), and alone.
    assert [sorted(m["name"] for m in b) for b in batches] == [sorted(names)] * 5
    assert [{m["step"] for m in b} for b in batches] == [{step} for step in range(5)]


@pytest.mark.parametrize("max_inflight", [1, 2])
def test_a_fast_logger_gets_few_large_batches(platform, make_run, max_inflight):
    # Each batch takes 0.1 s to store: items queue behind it and go together once it is answered.
    platform.batch_delay = 0.1
    run = make_run(batch_size=1000, flush_interval=60.0, flush_linger=0.02, max_inflight=max_inflight)
    n = 20000
    for i in range(n):
        run.log_metric("m", float(i), step=i)
    assert run.finish(timeout=60) is True
    sizes = [len(b) for b in _metric_batches(platform)]
    assert sum(sizes) == n and max(sizes) <= 1000
    # 20 full batches and a few partial ones around the start and the end — not one per linger.
    full = sum(1 for s in sizes if s == 1000)
    assert len(sizes) <= 25 and full >= 15, sizes
    assert sorted(platform.metric_values("m")) == [(i, float(i)) for i in range(n)]


def test_flush_linger_never_exceeds_flush_interval(platform, make_run):
    # A linger longer than the flush interval is cut to it: flush_interval stays the most any item waits.
    run = make_run(flush_interval=0.1, flush_linger=60.0)
    run.log_metric("loss", 1.0, step=0)
    assert _wait_for_points(platform, 1)
    assert run.finish(timeout=10) is True
