"""OneServiceRun: the object a training script holds.

The producer side (log_metric & co., here) only appends a tuple to a deque and never waits for the network.
The rest has a module each (README.md, "Module layout"): batches.py cuts the deque into batches, encoding.py
turns them into request bytes, sender.py sends them or spools them and replays the spool, artifacts.py
uploads files, exit_hooks.py ends the run on exit, exception or SIGTERM."""
import os
import re
import threading
import time
import uuid

from ._util import info, json_safe, to_float, warn, warn_once
from .artifacts import ArtifactUpload, ArtifactUploader, guess_artifact_type
from .batches import BatchQueue
from .encoding import MAX_EPOCH as _MAX_EPOCH, MAX_NAME as _MAX_NAME, MAX_STEP as _MAX_STEP
from .encoding import counter as _counter, metric_name as _metric_name, tag_values
from .exit_hooks import ExitHooks
from .sender import Sender
from .spool import Spool, default_spool_root, safe_dir_name
from .tracing import SpanContext
from .transport import HttpClient, run_page_url

__all__ = ["OneServiceRun", "ArtifactUpload", "normalize_status", "guess_artifact_type"]

_time = time.time
_monotonic = time.monotonic

_STATUS = {
    "success": "finished", "succeeded": "finished", "finished": "finished", "completed": "finished",
    "ok": "finished", "done": "finished",
    "failed": "failed", "failure": "failed", "error": "failed", "crashed": "failed",
    "killed": "killed", "cancelled": "killed", "canceled": "killed", "interrupted": "killed",
    "aborted": "killed",
}
_LEVELS = {
    "trace": "trace", "debug": "debug", "info": "info", "warn": "warn", "warning": "warn",
    "error": "error", "err": "error", "fatal": "fatal", "critical": "fatal",
}


def normalize_status(status):
    s = _STATUS.get(str(status).strip().lower())
    if s is None:
        raise ValueError("status must be one of success/finished/failed/killed, got %r" % (status,))
    return s


def _slug(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-")[:80] or "run"


class OneServiceRun(object):
    """One training run reported to OneService (see README.md and docs/ingest-protocol.md).

    run_id is the client-side run id: give the id of an earlier run to resume it; leave it out for a new one.
    base_url=None (and no ONESERVICE_URL) runs offline: everything goes to the spool for a later sync.
    print_url=False keeps the SDK from printing the run's page once the platform has created the run.
    Batches: a full one (batch_size items) goes at once; a partial one goes flush_linger seconds after its
    first item when nothing is in flight, else as soon as the batch in flight is answered, and never later
    than flush_interval (see sender.py).
    """

    def __init__(self, base_url=None, api_token=None, tenant=None, project=None, run_name=None,
                 framework=None, tags=None, params=None, config=None, run_id=None,
                 spool_dir=None, batch_size=5000, flush_interval=0.5, max_queue=100000, max_inflight=1,
                 capture_console=True, system_metrics=True, system_metrics_interval=10.0,
                 exit_hooks=True, exit_timeout=10.0, request_timeout=30.0, max_backoff=30.0,
                 offline_flush_interval=2.0, otel=None, print_url=True, flush_linger=0.025):
        if base_url is None:
            base_url = os.environ.get("ONESERVICE_URL") or None
        if api_token is None:
            api_token = os.environ.get("ONESERVICE_TOKEN") or None
        if tenant is None:
            tenant = os.environ.get("ONESERVICE_TENANT") or None
        self.base_url = base_url
        self.tenant = tenant
        self.project = project or os.environ.get("ONESERVICE_PROJECT") or "default"
        self.resumed = run_id is not None
        if run_id is None:
            run_id = "%s-%s-%s" % (_slug(run_name or "run"), time.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:8])
        self.client_run_id = str(run_id)
        if not 0 < len(self.client_run_id) <= 200:
            raise ValueError("run_id must be 1 to 200 characters")
        self.run_name = str(run_name or self.client_run_id)[:300]
        self.framework = framework
        self._meta_lock = threading.Lock()
        self._tags = dict(tags or {})
        self._params = {}
        if config:
            self._params.update(_as_dict(config))
        if params:
            self._params.update(_as_dict(params))
        self.started_at = _time() * 1000.0
        self._print_url = bool(print_url)

        self._batch_size = max(1, int(batch_size))
        flush_interval = float(flush_interval)
        self._max_queue = max(self._batch_size * 2, int(max_queue))
        self._exit_timeout = float(exit_timeout)

        root = spool_dir or default_spool_root()
        self.spool_dir = os.path.join(root, safe_dir_name(self.client_run_id))
        self._spool = Spool(self.spool_dir)

        # A forked child (DataLoader workers, multiprocessing) inherits this object, the console tee and the
        # signal/exit hooks, but not the sender thread: it must neither report nor end the parent's run.
        self._pid = os.getpid()
        self._closed = False
        self._finish_lock = threading.RLock()
        self._finish_result = None
        self.stats = {"batches_sent": 0, "items_sent": 0, "duplicates": 0, "batches_spooled": 0,
                      "batches_rejected": 0, "items_dropped": 0}

        self._batches = BatchQueue(self._header, self._spool.next_sequence())
        self._q = self._batches.items
        self._client = HttpClient(base_url, api_token, tenant, float(request_timeout)) if base_url else None
        self._sender = Sender(self._batches, self._spool, self._client, self.stats,
                              batch_size=self._batch_size, flush_interval=flush_interval,
                              offline_flush_interval=max(flush_interval, float(offline_flush_interval)),
                              max_inflight=max_inflight, request_timeout=float(request_timeout),
                              max_backoff=float(max_backoff), meta=self._spool_meta, on_run_id=self._announce,
                              linger=float(flush_linger))
        self._artifacts = ArtifactUploader(self._sender, self._client, self._spool, float(request_timeout),
                                           float(max_backoff))

        self._otel_bridge = None
        if otel is not False:
            try:
                from .integrations.otel import make_bridge
                self._otel_bridge = make_bridge(force=bool(otel))
            except Exception as e:
                if otel:
                    warn("OpenTelemetry export requested but unavailable: %s" % e)

        self._sender.start()

        self._console = None
        if capture_console:
            from .console import ConsoleCapture
            self._console = ConsoleCapture(self._console_line)
            self._console.start()
        self._sys_thread = None
        if system_metrics and system_metrics_interval and system_metrics_interval > 0:
            from .sysmetrics import SystemMetricsThread
            self._sys_thread = SystemMetricsThread(self, system_metrics_interval)
            self._sys_thread.start()

        self._exit_hooks = ExitHooks(self) if exit_hooks else None
        if self._exit_hooks is not None:
            self._exit_hooks.install()

    # ------------------------------------------------------------------ producer side

    def log_metric(self, name, value, step=None, epoch=None):
        if self._closed:
            return self._late("log_metric")
        if type(value) is not float:
            value = to_float(value)
            if value is None:
                warn_once(("value", name), "metric %r: value is not a number, dropped" % (name,))
                return
        # Names, steps and epochs are made protocol-valid here, once per call, so that the sender can turn
        # a batch into columns with zip() instead of checking every point again.
        if type(name) is not str or not 0 < len(name) <= _MAX_NAME:
            name = _metric_name(name)
            if name is None:
                return
        if step is not None and (type(step) is not int or not 0 <= step <= _MAX_STEP):
            step = _counter(step, _MAX_STEP)
        if epoch is not None and (type(epoch) is not int or not 0 <= epoch <= _MAX_EPOCH):
            epoch = _counter(epoch, _MAX_EPOCH)
        q = self._q
        q.append(("m", name, value, step, epoch, _time() * 1000.0))
        n = len(q)
        if n == 1:
            self._sender.wake()  # the first item after a quiet spell: the sender starts its linger
        elif n >= self._batch_size:
            self._pressure(n)

    def log_metrics(self, metrics, step=None, epoch=None):
        if self._closed:
            return self._late("log_metrics")
        if step is not None and (type(step) is not int or not 0 <= step <= _MAX_STEP):
            step = _counter(step, _MAX_STEP)
        if epoch is not None and (type(epoch) is not int or not 0 <= epoch <= _MAX_EPOCH):
            epoch = _counter(epoch, _MAX_EPOCH)
        ts = _time() * 1000.0
        q = self._q
        queued = len(q)
        for name, value in metrics.items():
            if type(value) is not float:
                value = to_float(value)
                if value is None:
                    warn_once(("value", name), "metric %r: value is not a number, dropped" % (name,))
                    continue
            if type(name) is not str or not 0 < len(name) <= _MAX_NAME:
                name = _metric_name(name)
                if name is None:
                    continue
            q.append(("m", name, value, step, epoch, ts))
        n = len(q)
        if n >= self._batch_size:
            self._pressure(n)
        elif queued == 0 and n:
            self._sender.wake()

    def log_text(self, msg, level="info", stream=None, fields=None):
        if self._closed:
            return self._late("log_text")
        lvl = _LEVELS.get(str(level).lower())
        if lvl is None:
            warn_once(("level", level), "unknown log level %r, sent as info" % (level,))
            lvl = "info"
        self._queued(("l", _time() * 1000.0, lvl, str(msg), stream, fields))

    def log_event(self, type, payload=None):  # noqa: A002 - the spec names it `type`
        if self._closed:
            return self._late("log_event")
        self._queued(("e", _time() * 1000.0, str(type), payload))

    def span(self, name, **attributes):
        """`with run.span("forward"):` or `@run.span("train_step")`; nested spans share the trace."""
        return SpanContext(self, name, attributes)

    def _record_span(self, span):
        if self._closed:
            return
        self._queued(("s", span))

    def _console_line(self, line, stream):
        if not self._closed and os.getpid() == self._pid:
            q = self._q
            q.append(("l", _time() * 1000.0, "info", line, stream, None))
            if len(q) == 1:
                self._sender.wake()

    def set_tags(self, tags=None, **more):
        with self._meta_lock:
            self._tags.update(tags or {})
            self._tags.update(more)
            self._batches.header_dirty = True
        self._sender.wake()

    def set_params(self, params=None, **more):
        with self._meta_lock:
            if params:
                self._params.update(_as_dict(params))
            self._params.update(more)
            self._batches.header_dirty = True
        self._sender.wake()

    log_params = set_params
    set_config = set_params

    def record_hf(self, model=None, tokenizer=None, dataset=None, datasets=None):
        """Hugging Face model/tokenizer/dataset names, revisions and hashes as run tags (spec §16)."""
        from .hf import hf_tags
        tags = hf_tags(model=model, tokenizer=tokenizer, dataset=dataset, datasets=datasets)
        self.set_tags(tags)
        return tags

    @property
    def tags(self):
        with self._meta_lock:
            return dict(self._tags)

    @property
    def params(self):
        with self._meta_lock:
            return dict(self._params)

    # ------------------------------------------------------------------ the platform's run

    @property
    def id(self):
        """The platform's run id, once the platform has acknowledged a batch of this run; None until then
        (and for as long as the run is offline). Never blocks: wait_until_created() waits for it."""
        return self._sender.run_id

    @property
    def server_run_id(self):
        """The same as `id` (its older name)."""
        return self._sender.run_id

    @property
    def url(self):
        """The run's page in the web console, once `id` is known; None until then."""
        run_id = self._sender.run_id
        if run_id is None or not self.base_url:
            return None
        return run_page_url(self.base_url, run_id)

    def wait_until_created(self, timeout=10.0):
        """Wait at most `timeout` seconds for the platform to create (or resume) the run; returns `id`,
        None when it is not known by then."""
        self._sender.wake()
        self._sender.run_id_known.wait(timeout)
        return self._sender.run_id

    def _announce(self, run_id):
        """Called once, on the sender thread, when the run id is first known."""
        if self._print_url and self.base_url:
            info("View run %s at %s" % (self.run_name, run_page_url(self.base_url, run_id)))

    def _late(self, what):
        warn_once(("late", what), "%s called after finish(); ignored" % what)

    def _queued(self, item):
        q = self._q
        q.append(item)
        n = len(q)
        if n == 1:
            self._sender.wake()
        elif n >= self._batch_size:
            self._pressure(n)

    def _pressure(self, n):
        if os.getpid() != self._pid:
            self._q.clear()  # nobody drains a forked child's copy of the queue
            return
        self._sender.wake()
        if n < self._max_queue:
            return
        # The sender cannot keep up (slow or absent platform): move the oldest items to disk here, in the
        # caller, because the only other way to keep memory bounded is to drop data.
        target = self._max_queue // 2
        while len(self._q) > target:
            batch = self._batches.cut(self._batch_size)
            if batch is None:
                break
            self._sender.spool_batch(batch)

    def _header(self, final=None):
        with self._meta_lock:
            h = {"client_run_id": self.client_run_id, "project": self.project, "name": self.run_name,
                 "status": "running", "tags": tag_values(self._tags), "params": json_safe(self._params)}
        if self.framework:
            h["framework"] = self.framework
        if not self.resumed:
            h["started_at"] = self.started_at
        if final is not None:
            h["status"], h["ended_at"] = final
        return h

    def _spool_meta(self):
        """What `monitor-sdk sync` needs to know about the run besides the batches (spool/meta.json)."""
        return {"client_run_id": self.client_run_id, "base_url": self.base_url, "tenant": self.tenant,
                "project": self.project, "name": self.run_name, "run": self._header()}

    # ------------------------------------------------------------------ artifacts

    def upload_artifact(self, path, type=None, name=None, wait=False, timeout=None):  # noqa: A002
        """Queue a file for a streamed upload to the run; returns an ArtifactUpload handle.

        The upload needs the platform's run id, so it runs in its own thread once the run exists; wait=True
        blocks for at most `timeout` seconds. Files not uploaded by finish() are listed in the spool."""
        path = os.path.abspath(os.fspath(path))
        if not os.path.isfile(path):
            raise FileNotFoundError(path)
        job = ArtifactUpload(path, name or os.path.basename(path), type or guess_artifact_type(path))
        if self._closed:
            self._late("upload_artifact")
            job._finish(error="run finished")
            return job
        self._artifacts.add(job)
        self._sender.wake()  # the upload waits for the run to exist: send its header now
        if wait:
            job.wait(timeout)
        return job

    # ------------------------------------------------------------------ finishing

    def flush(self, timeout=10.0):
        """Block until everything logged so far is sent (or spooled when the platform is down)."""
        end = _monotonic() + timeout
        while _monotonic() < end:
            if self._sender.settled():
                return True
            self._sender.request_flush()
            time.sleep(0.01)
        return False

    def finish(self, status="finished", timeout=30.0):
        """End the run with status success/finished, failed or killed. Waits at most `timeout` seconds;
        what could not be sent by then stays in the spool. Returns True when nothing was left behind."""
        if os.getpid() != self._pid:
            warn_once("fork-finish", "finish() called in a forked child process; only the parent ends the run")
            return False
        with self._finish_lock:
            if self._finish_result is not None or self._closed:
                return bool(self._finish_result)
            status = normalize_status(status)
            if self._sys_thread is not None:
                self._sys_thread.stop()
            if self._console is not None:
                self._console.stop()
            self._closed = True
            deadline = _monotonic() + max(0.0, float(timeout))
            sender, artifacts = self._sender, self._artifacts
            sender.close((status, _time() * 1000.0), deadline)
            sender.join(max(0.0, deadline - _monotonic()))
            artifacts.join(max(0.0, deadline - _monotonic()))
            if self._client is not None and (sender.is_alive() or artifacts.is_alive()):
                # Out of time with a request still waiting on the platform: cut it, so the sender spools
                # what it holds instead of waiting out a long socket timeout.
                sender.abort()
                sender.join(2.0)
                artifacts.join(0.5)
            for job in artifacts.leftovers():
                artifacts.leave_pending(job, "not uploaded before finish() timed out")
            sender.shutdown()
            if self._exit_hooks is not None:
                self._exit_hooks.uninstall()
            if self._otel_bridge is not None:
                self._otel_bridge.flush()
            left = self._spool.count() + len(self._spool.pending_artifacts())
            if sender.is_alive():
                warn("run %s: the sender did not stop within finish(timeout=%s); data still in memory may be lost"
                     % (self.client_run_id, timeout))
            if left or sender.is_alive():
                warn("run %s ended as %s, but %d batch/artifact file(s) could not be sent and are kept in %s.\n"
                     "Upload them when the platform is reachable with:\n"
                     "    monitor-sdk sync %s --base-url %s --api-token <token>"
                     % (self.client_run_id, status, left, self.spool_dir, self.spool_dir,
                        self.base_url or "<url>"))
                self._finish_result = False
            else:
                self._spool.cleanup_if_empty()
                self._finish_result = True
            return self._finish_result

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.finish("finished")
        else:
            self.finish("killed" if issubclass(exc_type, KeyboardInterrupt) else "failed")
        return False


def _as_dict(obj):
    if isinstance(obj, dict):
        return dict(obj)
    for attr in ("to_dict", "as_dict", "_asdict"):
        fn = getattr(obj, attr, None)
        if callable(fn):
            try:
                d = fn()
                if isinstance(d, dict):
                    return d
            except Exception:
                pass
    if hasattr(obj, "__dict__"):
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    raise TypeError("params/config must be a dict or an object with attributes, got %s" % type(obj).__name__)
