"""OneServiceRun: the object a training script holds.

Producer side (log_metric & co.) only appends a tuple to a deque; one sender thread turns the deque into
gzip batches, POSTs them, and when the platform cannot take them writes them to the spool, from which they
are replayed in order. Nothing on the producer side waits for the network."""
import array
import atexit
import base64
import collections
import gzip
import json
import os
import queue
import random
import re
import signal
import sys
import threading
import time
import traceback
import uuid

from ._util import encode_value, json_safe, to_float, to_step, warn, warn_once
from .spool import Spool, default_spool_root, safe_dir_name
from .tracing import SpanContext
from .transport import HttpClient, RejectedError, RetryableError

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
_MODEL_EXT = (".onnx", ".pt", ".pth", ".safetensors", ".bin", ".h5", ".keras", ".pb", ".tflite",
              ".ckpt", ".pkl", ".joblib", ".gguf", ".mar", ".torchscript")


def normalize_status(status):
    s = _STATUS.get(str(status).strip().lower())
    if s is None:
        raise ValueError("status must be one of success/finished/failed/killed, got %r" % (status,))
    return s


def guess_artifact_type(path):
    base = os.path.basename(path).lower()
    if "tfevents" in base:
        return "tensorboard"
    if "checkpoint" in path.lower() or base.endswith(".ckpt"):
        return "checkpoint"
    if base.endswith(_MODEL_EXT):
        return "model"
    return "other"


# Limits of the platform's batch schema; one item over them would make the whole batch a 400.
_MAX_NAME = 200
_MAX_STEP = 2 ** 53 - 1       # the platform keeps steps exactly up to here (docs/ingest-protocol.md)
_MAX_EPOCH = 2 ** 31 - 1      # epochs are stored as 32-bit integers
_BIG_ENDIAN = sys.byteorder == "big"
_MAX_MESSAGE = 60000


def _tag_values(tags):
    """Tag values on the wire are scalars; anything else is sent as its JSON text."""
    out = {}
    for k, v in tags.items():
        if v is None or isinstance(v, (str, bool, int)):
            out[str(k)] = v
        elif isinstance(v, float):
            out[str(k)] = encode_value(v) if v - v == 0.0 else str(encode_value(v))
        else:
            out[str(k)] = json.dumps(json_safe(v), sort_keys=True)
    return out


def _slug(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-")[:80] or "run"


def _metric_name(name):
    """A protocol-valid metric name (1 to 200 characters), or None (warned once) when there is none."""
    name = name if type(name) is str else str(name)
    if not name:
        warn_once(("name", ""), "a metric without a name was dropped")
        return None
    return name[:_MAX_NAME]


def _counter(value, limit):
    """A step or epoch the platform accepts (an integer from 0 to limit), else None."""
    value = to_step(value)
    return value if value is not None and value <= limit else None


def _packed(numbers):
    """A float column as the protocol's {"f64": base64 of little-endian doubles}: Python's float repr costs
    about 1 µs a number, packing next to nothing; NaN and ±Infinity need no special strings."""
    packed = array.array("d", numbers)
    if _BIG_ENDIAN:
        packed.byteswap()
    return {"f64": base64.b64encode(packed.tobytes()).decode("ascii")}


def _metric_columns(metrics):
    """Queued ("m", name, value, step, epoch, ts) tuples, already valid (see log_metric), as metric_columns."""
    _, names, values, steps, epochs, stamps = zip(*metrics)
    columns = {"name": names, "value": _packed(values), "step": steps, "ts": _packed(stamps)}
    if epochs.count(None) != len(epochs):
        columns["epoch"] = epochs
    return columns


class _Batch(object):
    __slots__ = ("seq", "body", "items", "header_changed")

    def __init__(self, seq, body, items, header_changed=False):
        self.seq = seq
        self.body = body
        self.items = items
        # Carries run metadata (tags, params, status) newer than the batches before it.
        self.header_changed = header_changed


class ArtifactUpload(object):
    """Handle of one queued upload; wait() blocks only the caller that asks to."""

    def __init__(self, path, name, artifact_type):
        self.path = path
        self.name = name
        self.type = artifact_type
        self.result = None
        self.error = None
        self.pending = False  # True when left in the spool for `monitor-sdk sync`
        self._done = threading.Event()

    @property
    def done(self):
        return self._done.is_set()

    def wait(self, timeout=None):
        self._done.wait(timeout)
        return self.result

    def _finish(self, result=None, error=None, pending=False):
        self.result, self.error, self.pending = result, error, pending
        self._done.set()

    def __repr__(self):
        state = "done" if self.result else ("pending" if self.pending else ("failed" if self.error else "queued"))
        return "<ArtifactUpload %s %s>" % (self.name, state)


class OneServiceRun(object):
    """One training run reported to OneService (see README.md and docs/ingest-protocol.md).

    run_id is the client-side run id: give the id of an earlier run to resume it; leave it out for a new one.
    base_url=None (and no ONESERVICE_URL) runs offline: everything goes to the spool for a later sync.
    """

    def __init__(self, base_url=None, api_token=None, tenant=None, project=None, run_name=None,
                 framework=None, tags=None, params=None, config=None, run_id=None,
                 spool_dir=None, batch_size=5000, flush_interval=0.5, max_queue=100000, max_inflight=1,
                 capture_console=True, system_metrics=True, system_metrics_interval=10.0,
                 exit_hooks=True, exit_timeout=10.0, request_timeout=30.0, max_backoff=30.0,
                 offline_flush_interval=2.0, otel=None):
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

        self._batch_size = max(1, int(batch_size))
        self._flush_interval = float(flush_interval)
        self._offline_flush_interval = max(self._flush_interval, float(offline_flush_interval))
        self._last_spool_cut = 0.0
        self._max_queue = max(self._batch_size * 2, int(max_queue))
        self._request_timeout = float(request_timeout)
        self._max_backoff = float(max_backoff)
        self._exit_timeout = float(exit_timeout)

        root = spool_dir or default_spool_root()
        self.spool_dir = os.path.join(root, safe_dir_name(self.client_run_id))
        self._spool = Spool(self.spool_dir)
        self._seq = self._spool.next_sequence()
        self._meta_written = False

        # A forked child (DataLoader workers, multiprocessing) inherits this object, the console tee and the
        # signal/exit hooks, but not the sender thread: it must neither report nor end the parent's run.
        self._pid = os.getpid()
        self._q = collections.deque()
        self._build_lock = threading.Lock()
        self._header_dirty = True
        self._closed = False
        self._finish_lock = threading.RLock()
        self._finish_result = None
        self._final = None
        self._deadline = None
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._inflight = 0
        self._flush_requested = False
        self._retry_at = 0.0
        self._attempt = 0
        self._server_run_id = None
        self._run_id_event = threading.Event()
        self.stats = {"batches_sent": 0, "items_sent": 0, "duplicates": 0, "batches_spooled": 0,
                      "batches_rejected": 0, "items_dropped": 0}

        self._client = HttpClient(base_url, api_token, tenant, request_timeout) if base_url else None
        # max_inflight > 1: up to that many batches are posted at once, each by a poster thread on its own
        # connection, while the sender builds the next — the platform writes concurrent batches on separate
        # database connections (~1.7x the points/s of one at a time). Batches may then arrive out of order
        # (the platform orders points by step and time, so that is harmless), except that a batch carrying
        # changed run metadata waits for the ones before it, so older tags never overwrite newer ones.
        # The default, 1, sends strictly in order.
        self._max_inflight = max(1, int(max_inflight))
        self._posters = []
        self._post_q = queue.Queue()
        self._post_slots = threading.Semaphore(self._max_inflight)
        self._state_lock = threading.Lock()
        self._auth_failed = False
        self._artifact_q = queue.Queue()
        self._artifact_thread = None
        self._artifacts_open = []

        self._otel_bridge = None
        if otel is not False:
            try:
                from .integrations.otel import make_bridge
                self._otel_bridge = make_bridge(force=bool(otel))
            except Exception as e:
                if otel:
                    warn("OpenTelemetry export requested but unavailable: %s" % e)

        self._sender = threading.Thread(target=self._sender_main, name="monitor_sdk-sender", daemon=True)
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

        self._hooks_installed = False
        self._prev_excepthook = None
        self._prev_sigterm = None
        self._sigterm_installed = False
        if exit_hooks:
            self._install_exit_hooks()

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
        if len(q) >= self._batch_size:
            self._pressure(len(q))

    def log_metrics(self, metrics, step=None, epoch=None):
        if self._closed:
            return self._late("log_metrics")
        if step is not None and (type(step) is not int or not 0 <= step <= _MAX_STEP):
            step = _counter(step, _MAX_STEP)
        if epoch is not None and (type(epoch) is not int or not 0 <= epoch <= _MAX_EPOCH):
            epoch = _counter(epoch, _MAX_EPOCH)
        ts = _time() * 1000.0
        q = self._q
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
        if len(q) >= self._batch_size:
            self._pressure(len(q))

    def log_text(self, msg, level="info", stream=None, fields=None):
        if self._closed:
            return self._late("log_text")
        lvl = _LEVELS.get(str(level).lower())
        if lvl is None:
            warn_once(("level", level), "unknown log level %r, sent as info" % (level,))
            lvl = "info"
        self._q.append(("l", _time() * 1000.0, lvl, str(msg), stream, fields))
        if len(self._q) >= self._batch_size:
            self._pressure(len(self._q))

    def log_event(self, type, payload=None):  # noqa: A002 - the spec names it `type`
        if self._closed:
            return self._late("log_event")
        self._q.append(("e", _time() * 1000.0, str(type), payload))
        if len(self._q) >= self._batch_size:
            self._pressure(len(self._q))

    def span(self, name, **attributes):
        """`with run.span("forward"):` or `@run.span("train_step")`; nested spans share the trace."""
        return SpanContext(self, name, attributes)

    def _record_span(self, span):
        if self._closed:
            return
        self._q.append(("s", span))
        if len(self._q) >= self._batch_size:
            self._pressure(len(self._q))

    def _console_line(self, line, stream):
        if not self._closed and os.getpid() == self._pid:
            self._q.append(("l", _time() * 1000.0, "info", line, stream, None))

    def set_tags(self, tags=None, **more):
        with self._meta_lock:
            self._tags.update(tags or {})
            self._tags.update(more)
            self._header_dirty = True
        self._wake.set()

    def set_params(self, params=None, **more):
        with self._meta_lock:
            if params:
                self._params.update(_as_dict(params))
            self._params.update(more)
            self._header_dirty = True
        self._wake.set()

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

    @property
    def server_run_id(self):
        """The platform's run id, known after the first accepted batch (None until then)."""
        return self._server_run_id

    def wait_until_created(self, timeout=10.0):
        self._wake.set()
        self._run_id_event.wait(timeout)
        return self._server_run_id

    def _late(self, what):
        warn_once(("late", what), "%s called after finish(); ignored" % what)

    def _pressure(self, n):
        if os.getpid() != self._pid:
            self._q.clear()  # nobody drains a forked child's copy of the queue
            return
        if n < self._max_queue:
            # Waking an already-woken sender costs a lock round-trip on every call; skip it.
            if not self._wake.is_set():
                self._wake.set()
            return
        # The sender cannot keep up (slow or absent platform): move the oldest items to disk here, in the
        # caller, because the only other way to keep memory bounded is to drop data.
        self._wake.set()
        target = self._max_queue // 2
        while len(self._q) > target:
            batch = self._make_batch(self._batch_size)
            if batch is None:
                break
            self._spool_batch(batch)

    # ------------------------------------------------------------------ batches

    def _header(self, final=None):
        with self._meta_lock:
            h = {"client_run_id": self.client_run_id, "project": self.project, "name": self.run_name,
                 "status": "running", "tags": _tag_values(self._tags), "params": json_safe(self._params)}
        if self.framework:
            h["framework"] = self.framework
        if not self.resumed:
            h["started_at"] = self.started_at
        if final is not None:
            h["status"], h["ended_at"] = final
        return h

    def _make_batch(self, max_items, final=None):
        # Metrics go as parallel columns (`metric_columns`, docs/ingest-protocol.md): four flat lists encode
        # several times faster than one dict per point, and the server checks them in tight loops.
        logs, events, spans = [], [], []
        with self._build_lock:
            q = self._q
            n = min(max_items, len(q))
            if n == 0 and not self._header_dirty and final is None:
                return None
            popleft = q.popleft
            items = [popleft() for _ in range(n)]
            metrics = [it for it in items if it[0] == "m"]
            for it in (items if len(metrics) < n else ()):
                kind = it[0]
                if kind == "m":
                    continue
                if kind == "l":
                    msg = it[3]
                    if len(msg) > _MAX_MESSAGE:
                        msg = msg[:_MAX_MESSAGE] + "…[truncated]"
                    rec = {"ts": it[1], "level": it[2], "message": msg}
                    if it[4]:
                        rec["stream"] = str(it[4])[:50]
                    if it[5]:
                        rec["fields"] = json_safe(it[5])
                    logs.append(rec)
                elif kind == "e":
                    payload = it[3]
                    if payload is None:
                        payload = {}
                    elif not isinstance(payload, dict):
                        payload = {"value": payload}  # the protocol's payload is an object
                    events.append({"ts": it[1], "type": it[2][:_MAX_NAME], "payload": json_safe(payload)})
                else:
                    d = it[1].to_dict()
                    d["name"] = d["name"][:300]
                    if d["end"] < d["start"]:
                        d["end"] = d["start"]  # the wall clock stepped back (NTP) while the span was open
                    d["attributes"] = json_safe(d["attributes"])
                    spans.append(d)
            seq = self._seq
            self._seq += 1
            header_changed = self._header_dirty or final is not None
            self._header_dirty = False
            self._inflight += 1
        body = {"batch_id": str(uuid.uuid4()), "run": self._header(final)}
        if metrics:
            body["metric_columns"] = _metric_columns(metrics)
        if logs:
            body["logs"] = logs
        if events:
            body["events"] = events
        if spans:
            body["spans"] = spans
        try:
            raw = json.dumps(body, separators=(",", ":"), allow_nan=False)
        except (ValueError, TypeError):
            raw = json.dumps(json_safe(body), separators=(",", ":"), allow_nan=False)
        # Level 1: most of the body is packed doubles, which no level compresses much.
        return _Batch(seq, gzip.compress(raw.encode("utf-8"), compresslevel=1), n, header_changed)

    def _done_with(self, batch):
        with self._build_lock:
            self._inflight -= 1

    def _spool_batch(self, batch):
        try:
            if not self._meta_written:
                self._write_meta()
            self._spool.write(batch.seq, batch.body)
            self._last_spool_cut = _monotonic()
            self.stats["batches_spooled"] += 1
        except OSError as e:
            self.stats["items_dropped"] += batch.items
            warn("could not write batch %d to spool %s (%s); %d items lost" % (batch.seq, self.spool_dir, e, batch.items))
        finally:
            self._done_with(batch)

    def _write_meta(self):
        self._meta_written = True
        self._spool.write_meta({"client_run_id": self.client_run_id, "base_url": self.base_url,
                                "tenant": self.tenant, "project": self.project, "name": self.run_name,
                                "run": self._header()})

    # ------------------------------------------------------------------ sender thread

    def _timeout_now(self):
        if self._deadline is None:
            return self._request_timeout
        return max(0.1, min(self._request_timeout, self._deadline - _monotonic()))

    def _past_deadline(self):
        return self._deadline is not None and _monotonic() >= self._deadline

    def _on_accepted(self, answer, items):
        with self._state_lock:  # poster threads report concurrently
            self._on_accepted_locked(answer, items)

    def _on_accepted_locked(self, answer, items):
        rid = answer.get("run_id") if isinstance(answer, dict) else None
        if rid and self._server_run_id is None:
            self._server_run_id = str(rid)
            self._run_id_event.set()
        if isinstance(answer, dict) and answer.get("duplicate"):
            self.stats["duplicates"] += 1
        self.stats["batches_sent"] += 1
        self.stats["items_sent"] += items
        self._attempt = 0
        self._retry_at = 0.0

    def _schedule_retry(self, err):
        with self._state_lock:
            self._attempt += 1
            attempt = self._attempt
        if err.retry_after is not None:
            delay = min(err.retry_after, 300.0)
        else:
            ceiling = min(self._max_backoff, 0.5 * (2 ** min(attempt - 1, 16)))
            delay = ceiling / 2.0 + random.random() * ceiling / 2.0  # jitter: clients do not retry in step
        self._retry_at = _monotonic() + delay
        if attempt == 1 or attempt % 10 == 0:
            warn("OneService at %s unreachable (%s); batches are kept in %s and retried" % (
                self.base_url, err, self.spool_dir))

    def _auth_refused(self, err):
        # A wrong or expired token says nothing about the data: keep every batch on disk for a
        # `monitor-sdk sync` with a good token, and stop knocking for the rest of the run.
        warn("OneService refused the API token (%s); this run's data is kept in %s for `monitor-sdk sync`"
             % (err, self.spool_dir))
        self._auth_failed = True

    def _offline(self):
        return self._client is None or self._auth_failed

    def _submit(self, batch):
        """Post a batch on a poster thread when the platform is up; otherwise _dispatch decides at once
        (spool, or send in order behind the spool)."""
        if (self._max_inflight <= 1 or self._offline() or self._spool.count() > 0
                or _monotonic() < self._retry_at or self._past_deadline()):
            self._dispatch(batch)
            return
        if batch.header_changed:
            # New run metadata must not be overtaken by an older batch still on the wire.
            self._wait_posted()
            self._dispatch(batch)
            return
        self._post(batch)

    def _post(self, job):
        """Hand a _Batch, or a spooled (seq, body), to a poster thread; blocks while max_inflight are out."""
        self._post_slots.acquire()
        if not self._posters:
            for i in range(self._max_inflight):
                client = HttpClient(self._client.base_url, self._client._token, self._client._tenant,
                                    self._request_timeout)
                t = threading.Thread(target=self._poster_loop, args=(client,), daemon=True,
                                     name="monitor_sdk-poster-%d" % i)
                self._posters.append((t, client))
                t.start()
        self._post_q.put(job)

    def _poster_loop(self, client):
        while True:
            job = self._post_q.get()
            if job is None:
                client.close()
                return
            try:
                if isinstance(job, _Batch):
                    self._dispatch(job, client)
                else:
                    self._post_spooled(job[0], job[1], client)
            except Exception:
                warn("poster thread failed:\n" + traceback.format_exc())
            finally:
                self._post_slots.release()

    def _post_spooled(self, seq, body, client):
        """One spooled batch, replayed by a poster: removed once acknowledged, kept (and retried later) when not."""
        try:
            answer = client.post_batch(body, timeout=self._timeout_now())
        except RetryableError as e:
            self._schedule_retry(e)
            return
        except RejectedError as e:
            if e.status in (401, 403):
                self._auth_refused(e)
                return
            self.stats["batches_rejected"] += 1
            warn("spooled batch %d rejected by OneService, set aside: %s" % (seq, e))
            self._spool.set_aside(seq, e)
            return
        self._on_accepted(answer, 0)
        self._spool.remove(seq)

    def _replay_concurrently(self):
        """_replay_spool with max_inflight posters: oldest first, up to max_inflight at once; each pass
        settles before the spool is listed again, so no file is sent twice at the same time."""
        while True:
            seqs = self._spool.sequences()
            if not seqs:
                return True
            for seq in seqs:
                if self._past_deadline() or self._auth_failed or _monotonic() < self._retry_at:
                    self._wait_posted()
                    return False
                try:
                    with open(self._spool.path_for(seq), "rb") as f:
                        body = f.read()
                except FileNotFoundError:
                    continue
                self._post((seq, body))
            self._wait_posted()

    def _wait_posted(self):
        """Wait (up to the finish deadline) until no batch is on a poster thread, so the final batch goes
        last."""
        taken = 0
        try:
            while taken < self._max_inflight:
                wait = None if self._deadline is None else max(0.0, self._deadline - _monotonic())
                if not self._post_slots.acquire(timeout=wait):
                    return
                taken += 1
        finally:
            for _ in range(taken):
                self._post_slots.release()

    def _stop_posters(self):
        for _ in self._posters:
            self._post_q.put(None)

    def _dispatch(self, batch, client=None):
        client = client or self._client
        if (self._offline() or self._spool.count() > 0 or _monotonic() < self._retry_at
                or self._past_deadline()):
            self._spool_batch(batch)
            return
        try:
            answer = client.post_batch(batch.body, timeout=self._timeout_now())
        except RetryableError as e:
            self._schedule_retry(e)
            self._spool_batch(batch)
            return
        except RejectedError as e:
            if e.status in (401, 403):
                self._auth_refused(e)
                self._spool_batch(batch)
                return
            self.stats["batches_rejected"] += 1
            self.stats["items_dropped"] += batch.items
            warn("batch %d rejected by OneService, %d items dropped: %s" % (batch.seq, batch.items, e))
            self._done_with(batch)
            return
        self._on_accepted(answer, batch.items)
        self._done_with(batch)

    def _replay_spool(self):
        """Send spooled batches oldest first; stop at the first retryable failure (order matters)."""
        if self._max_inflight > 1:
            return self._replay_concurrently()
        while True:
            seqs = self._spool.sequences()
            if not seqs:
                return True
            for seq in seqs:
                if self._past_deadline():
                    return False
                try:
                    with open(self._spool.path_for(seq), "rb") as f:
                        body = f.read()
                except FileNotFoundError:
                    continue
                try:
                    answer = self._client.post_batch(body, timeout=self._timeout_now())
                except RetryableError as e:
                    self._schedule_retry(e)
                    return False
                except RejectedError as e:
                    if e.status in (401, 403):
                        self._auth_refused(e)
                        return False
                    self.stats["batches_rejected"] += 1
                    warn("spooled batch %d rejected by OneService, set aside: %s" % (seq, e))
                    self._spool.set_aside(seq, e)
                    continue
                self._on_accepted(answer, 0)
                self._spool.remove(seq)

    def _drain_memory(self, flush_due, closing=False):
        while True:
            n = len(self._q)
            if n == 0 and not self._header_dirty:
                return
            if n < self._batch_size:
                if not flush_due:
                    return
                if (not closing and self._spool.count()
                        and _monotonic() - self._last_spool_cut < self._offline_flush_interval):
                    # While the platform is away, one small file per flush interval would mean thousands of
                    # files, each replayed as its own request; cut fewer, larger spool batches instead.
                    return
            batch = self._make_batch(self._batch_size)
            if batch is None:
                return
            self._submit(batch)

    def _sender_main(self):
        try:
            self._sender_loop()
        except Exception:
            # A bug here must not pass silently: the run would stop reporting without a word.
            warn("sender thread crashed:\n" + traceback.format_exc())

    def _sender_loop(self):
        next_flush = _monotonic()  # the first pass sends the run header at once: the run appears early
        while True:
            closing = self._closing.is_set()
            if not closing:
                now = _monotonic()
                timeout = next_flush - now
                if not self._offline() and self._retry_at > now and self._spool.count():
                    timeout = min(timeout, self._retry_at - now)
                if timeout > 0:
                    self._wake.wait(timeout)
                self._wake.clear()
                closing = self._closing.is_set()
            now = _monotonic()
            flush_due = closing or now >= next_flush or self._flush_requested
            self._flush_requested = False
            if flush_due:
                next_flush = now + self._flush_interval
            if not self._offline() and now >= self._retry_at and self._spool.count():
                self._replay_spool()
            self._drain_memory(flush_due, closing)
            if closing:
                break
        self._wait_posted()
        final = self._make_batch(0, final=self._final)
        if final is not None:
            self._dispatch(final)
        while not self._offline() and self._spool.count() and not self._past_deadline():
            wait = self._retry_at - _monotonic()
            if wait > 0:
                time.sleep(min(wait, max(0.0, self._deadline - _monotonic()), 0.25))
                continue
            self._replay_spool()

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
        with self._meta_lock:
            self._artifacts_open.append(job)
            if self._artifact_thread is None:
                self._artifact_thread = threading.Thread(target=self._artifact_loop,
                                                         name="monitor_sdk-artifacts", daemon=True)
                self._artifact_thread.start()
        self._artifact_q.put(job)
        self._wake.set()
        if wait:
            job.wait(timeout)
        return job

    def _artifact_loop(self):
        while True:
            try:
                job = self._artifact_q.get(timeout=0.2)
            except queue.Empty:
                if self._closing.is_set():
                    return
                continue
            try:
                self._upload_one(job)
            except Exception as e:
                job._finish(error=str(e))
                warn("artifact %s: %s" % (job.path, e))
            with self._meta_lock:
                if job in self._artifacts_open:
                    self._artifacts_open.remove(job)

    def _leave_pending(self, job, reason):
        if job.done:
            return
        try:
            size = os.path.getsize(job.path)
        except OSError:
            size = None
        if not self._meta_written:
            self._write_meta()
        self._spool.add_pending_artifact({"path": job.path, "name": job.name, "type": job.type, "size": size,
                                          "queued_at": _time() * 1000.0})
        job._finish(error=reason, pending=True)

    def _upload_one(self, job):
        if self._offline():
            self._leave_pending(job, "offline")
            return
        while not self._run_id_event.wait(0.2):
            if self._auth_failed or (self._closing.is_set() and (self._past_deadline() or not self._sender.is_alive())):
                self._leave_pending(job, "the platform never created the run")
                return
        attempt = 0
        while True:
            try:
                answer = self._client.upload_artifact(self._server_run_id, job.path, job.name, job.type,
                                                      timeout=self._request_timeout)
                job._finish(result=answer)
                return
            except RejectedError as e:
                warn("artifact %s rejected: %s" % (job.path, e))
                job._finish(error=str(e))
                return
            except RetryableError as e:
                attempt += 1
                delay = e.retry_after if e.retry_after is not None else min(self._max_backoff, 0.5 * 2 ** attempt)
                delay = delay / 2.0 + random.random() * delay / 2.0
                if attempt >= 8 or (self._deadline is not None and _monotonic() + delay >= self._deadline):
                    self._leave_pending(job, str(e))
                    return
                time.sleep(delay)

    # ------------------------------------------------------------------ finishing

    def flush(self, timeout=10.0):
        """Block until everything logged so far is sent (or spooled when the platform is down)."""
        end = _monotonic() + timeout
        while _monotonic() < end:
            if not self._q and self._inflight == 0 and not self._header_dirty and (
                    self._offline() or not self._spool.count()):
                return True
            self._flush_requested = True
            self._wake.set()
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
            self._final = (status, _time() * 1000.0)
            self._deadline = _monotonic() + max(0.0, float(timeout))
            self._closing.set()
            self._wake.set()
            self._sender.join(max(0.0, self._deadline - _monotonic()))
            if self._artifact_thread is not None:
                self._artifact_thread.join(max(0.0, self._deadline - _monotonic()))
            if self._client is not None and (self._sender.is_alive() or (
                    self._artifact_thread is not None and self._artifact_thread.is_alive())):
                # Out of time with a request still waiting on the platform: cut it, so the sender spools
                # what it holds instead of waiting out a long socket timeout.
                self._client.abort()
                for _, poster_client in self._posters:
                    poster_client.abort()
                self._sender.join(2.0)
                if self._artifact_thread is not None:
                    self._artifact_thread.join(0.5)
            with self._meta_lock:
                leftovers = list(self._artifacts_open)
            while True:
                try:
                    leftovers.append(self._artifact_q.get_nowait())
                except queue.Empty:
                    break
            for job in leftovers:
                self._leave_pending(job, "not uploaded before finish() timed out")
            self._stop_posters()
            if self._client is not None:
                self._client.close()
            self._uninstall_exit_hooks()
            if self._otel_bridge is not None:
                self._otel_bridge.flush()
            left = self._spool.count() + len(self._spool.pending_artifacts())
            if self._sender.is_alive():
                warn("run %s: the sender did not stop within finish(timeout=%s); data still in memory may be lost"
                     % (self.client_run_id, timeout))
            if left or self._sender.is_alive():
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

    # ------------------------------------------------------------------ exit paths

    def _install_exit_hooks(self):
        atexit.register(self._atexit)
        self._prev_excepthook = sys.excepthook
        sys.excepthook = self._excepthook
        if threading.current_thread() is threading.main_thread():
            try:
                self._prev_sigterm = signal.getsignal(signal.SIGTERM)
                signal.signal(signal.SIGTERM, self._on_sigterm)
                self._sigterm_installed = True
            except (ValueError, OSError, AttributeError):
                self._sigterm_installed = False
        self._hooks_installed = True

    def _uninstall_exit_hooks(self):
        if not self._hooks_installed:
            return
        self._hooks_installed = False
        try:
            atexit.unregister(self._atexit)
        except Exception:
            pass
        if sys.excepthook == self._excepthook:
            sys.excepthook = self._prev_excepthook or sys.__excepthook__
        if self._sigterm_installed and threading.current_thread() is threading.main_thread():
            try:
                if signal.getsignal(signal.SIGTERM) == self._on_sigterm:
                    signal.signal(signal.SIGTERM, self._prev_sigterm if self._prev_sigterm is not None
                                  else signal.SIG_DFL)
            except (ValueError, OSError):
                pass

    def _atexit(self):
        if os.getpid() == self._pid:
            self.finish("finished", timeout=self._exit_timeout)

    def _excepthook(self, exc_type, exc, tb):
        prev = self._prev_excepthook or sys.__excepthook__
        try:
            if self._finish_result is None and not self._closed and os.getpid() == self._pid:
                status = "killed" if issubclass(exc_type, KeyboardInterrupt) else "failed"
                self.log_text("".join(traceback.format_exception(exc_type, exc, tb))[-16000:], level="fatal")
                self.log_event("exception", {"type": exc_type.__name__, "message": str(exc)[:2000]})
                self.finish(status, timeout=self._exit_timeout)
        finally:
            prev(exc_type, exc, tb)

    def _on_sigterm(self, signum, frame):
        prev = self._prev_sigterm
        try:
            if os.getpid() == self._pid:
                self.log_event("signal", {"signal": "SIGTERM"})
                self.finish("killed", timeout=self._exit_timeout)
        finally:
            if callable(prev):
                prev(signum, frame)
            elif prev == signal.SIG_IGN:
                pass
            else:
                # Default action: die by the same signal so the parent sees the real cause of death.
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)


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
