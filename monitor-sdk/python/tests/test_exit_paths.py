"""Exit paths in real child processes: the hooks are process-wide, so they are tested where they live."""
import os
import signal
import subprocess
import sys
import textwrap
import time

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")

PRELUDE = """
import os, sys, time, signal
from monitor_sdk import OneServiceRun
run = OneServiceRun(base_url=os.environ["URL"], api_token="tok-test", tenant="demo", project="p",
                    run_name="child", spool_dir=os.environ["SPOOL"], system_metrics_interval=0.2,
                    flush_interval=0.05)
"""


def _spawn(tmp_path, url, body):
    script = tmp_path / "child.py"
    script.write_text(PRELUDE + textwrap.dedent(body))
    env = dict(os.environ, PYTHONPATH=SRC, URL=url, SPOOL=str(tmp_path / "spool"), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def test_sigterm_marks_the_run_killed_and_the_process_still_dies_by_it(tmp_path, platform):
    p = _spawn(tmp_path, platform.url, """
        print("ready", flush=True)
        step = 0
        while True:
            run.log_metric("loss", 1.0 / (step + 1), step=step)
            step += 1
            time.sleep(0.01)
    """)
    assert p.stdout.readline().strip() == b"ready"
    time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert p.returncode == -signal.SIGTERM, err.decode()
    run = platform.run()
    assert run["header"]["status"] == "killed"
    assert run["header"].get("ended_at")
    steps = [s for s, _ in platform.metric_values("loss")]
    assert steps and steps == list(range(len(steps)))
    assert any(e["type"] == "signal" for _, e in platform.events)
    # the console line printed before the signal was captured as a run log
    assert ("stdout", "ready") in [(l.get("stream"), l["message"]) for _, l in platform.logs]


def test_sigterm_chains_a_handler_installed_before_the_run(tmp_path, platform):
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent("""
        import os, signal, sys, time
        def mine(signum, frame):
            print("previous handler ran", flush=True)
            sys.exit(3)
        signal.signal(signal.SIGTERM, mine)
    """) + PRELUDE + textwrap.dedent("""
        print("ready", flush=True)
        while True:
            time.sleep(0.05)
    """))
    env = dict(os.environ, PYTHONPATH=SRC, URL=platform.url, SPOOL=str(tmp_path / "spool"))
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert p.stdout.readline().strip() == b"ready"
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 3, err.decode()
    assert b"previous handler ran" in out
    assert platform.run()["header"]["status"] == "killed"


def test_unhandled_exception_marks_the_run_failed(tmp_path, platform):
    p = _spawn(tmp_path, platform.url, """
        run.log_metric("loss", 0.5, step=0)
        raise RuntimeError("CUDA out of memory (simulated)")
    """)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 1
    assert b"CUDA out of memory (simulated)" in err  # the previous excepthook still printed it
    run = platform.run()
    assert run["header"]["status"] == "failed"
    fatal = [l for _, l in platform.logs if l["level"] == "fatal"]
    assert fatal and "RuntimeError: CUDA out of memory (simulated)" in fatal[0]["message"]
    assert [e["payload"]["type"] for _, e in platform.events if e["type"] == "exception"] == ["RuntimeError"]


def test_normal_exit_without_finish_marks_the_run_finished(tmp_path, platform):
    p = _spawn(tmp_path, platform.url, """
        for i in range(100):
            run.log_metric("loss", float(i), step=i)
        time.sleep(0.5)
    """)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err.decode()
    assert platform.run()["header"]["status"] == "finished"
    assert len(platform.metric_values("loss")) == 100
    # system metrics came from the background sampler (0.2 s interval)
    names = {m["name"] for _, m in platform.metrics}
    assert "system/cpu_percent" in names and "system/memory_used_bytes" in names


def test_exit_with_platform_down_is_bounded_and_leaves_a_spool(tmp_path):
    from fakeserver import free_port_url
    t0 = time.monotonic()
    p = _spawn(tmp_path, free_port_url(), """
        run._exit_timeout = 1.0
        run.log_metric("loss", 0.5, step=0)
    """)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0
    assert time.monotonic() - t0 < 15
    assert b"monitor-sdk sync" in err
    spool_root = tmp_path / "spool"
    files = [f for d in spool_root.iterdir() for f in d.iterdir() if f.name.endswith(".json.gz")]
    assert files


def test_a_forked_child_neither_reports_nor_ends_the_run(tmp_path, platform):
    # DataLoader workers are forks: their prints, their SIGTERM and their exit belong to no run.
    p = _spawn(tmp_path, platform.url, """
        run.log_metric("loss", 1.0, step=0)
        pid = os.fork()
        if pid == 0:
            print("from the child", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print("child signalled: %s" % os.WIFSIGNALED(status), flush=True)
        run.log_metric("loss", 2.0, step=1)
        run.finish(timeout=10)
    """)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err.decode()
    assert b"child signalled: True" in out
    run = platform.run()
    assert run["status_history"].count("killed") == 0
    assert run["header"]["status"] == "finished"
    assert platform.metric_values("loss") == [(0, 1.0), (1, 2.0)]
    assert "from the child" not in [l["message"] for _, l in platform.logs]
