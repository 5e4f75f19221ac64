import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")
# Tests run against the source tree whether or not the package is pip-installed.
if SRC not in sys.path:
    sys.path.insert(0, SRC)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from fakeserver import FakePlatform  # noqa: E402


@pytest.fixture
def platform():
    p = FakePlatform(token="tok-test", tenant="demo").start()
    yield p
    p.stop()


@pytest.fixture
def make_run(tmp_path, platform):
    """OneServiceRun factory with test-friendly defaults: private spool, no console/system threads, no
    process-wide hooks (the exit paths are tested in subprocesses)."""
    from monitor_sdk import OneServiceRun
    runs = []

    def factory(**kw):
        opts = dict(base_url=platform.url, api_token="tok-test", tenant="demo", project="p", run_name="t",
                    spool_dir=str(tmp_path / "spool"), capture_console=False, system_metrics=False,
                    exit_hooks=False, flush_interval=0.05, max_backoff=1.0)
        opts.update(kw)
        r = OneServiceRun(**opts)
        runs.append(r)
        return r

    yield factory
    for r in runs:
        r.finish(timeout=2)
