"""Artifact uploads: one background thread streams queued files to the run once the platform has created
it; what cannot be uploaded by finish() is listed in the spool (artifacts.jsonl) for `monitor-sdk sync`."""
import os
import queue
import threading
import time

from ._util import warn
from .sender import retry_delay
from .transport import RejectedError, RetryableError

_MODEL_EXT = (".onnx", ".pt", ".pth", ".safetensors", ".bin", ".h5", ".keras", ".pb", ".tflite",
              ".ckpt", ".pkl", ".joblib", ".gguf", ".mar", ".torchscript")
_MAX_ATTEMPTS = 8


def guess_artifact_type(path):
    base = os.path.basename(path).lower()
    if "tfevents" in base:
        return "tensorboard"
    if "checkpoint" in path.lower() or base.endswith(".ckpt"):
        return "checkpoint"
    if base.endswith(_MODEL_EXT):
        return "model"
    return "other"


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


class ArtifactUploader(object):
    """Uploads need the platform's run id, which the sender learns from the first acknowledged batch."""

    def __init__(self, sender, client, spool, request_timeout, max_backoff):
        self._sender = sender
        self._client = client
        self._spool = spool
        self._request_timeout = request_timeout
        self._max_backoff = max_backoff
        self._queue = queue.Queue()
        self._open = []
        self._lock = threading.Lock()
        self._thread = None

    def add(self, job):
        with self._lock:
            self._open.append(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="monitor_sdk-artifacts", daemon=True)
                self._thread.start()
        self._queue.put(job)

    def join(self, timeout):
        if self._thread is not None:
            self._thread.join(timeout)

    def is_alive(self):
        return self._thread is not None and self._thread.is_alive()

    def leftovers(self):
        """Jobs neither uploaded nor given up on: being uploaded, or still queued."""
        with self._lock:
            jobs = list(self._open)
        while True:
            try:
                jobs.append(self._queue.get_nowait())
            except queue.Empty:
                return jobs

    def leave_pending(self, job, reason):
        if job.done:
            return
        try:
            size = os.path.getsize(job.path)
        except OSError:
            size = None
        self._sender.ensure_meta()
        self._spool.add_pending_artifact({"path": job.path, "name": job.name, "type": job.type, "size": size,
                                          "queued_at": time.time() * 1000.0})
        job._finish(error=reason, pending=True)

    def _loop(self):
        while True:
            try:
                job = self._queue.get(timeout=0.2)
            except queue.Empty:
                if self._sender.closing.is_set():
                    return
                continue
            try:
                self._upload(job)
            except Exception as e:
                job._finish(error=str(e))
                warn("artifact %s: %s" % (job.path, e))
            with self._lock:
                if job in self._open:
                    self._open.remove(job)

    def _wait_run_id(self):
        """The platform's run id, or None once it will not come (refused token, out of time)."""
        sender = self._sender
        while not sender.run_id_known.wait(0.2):
            if sender.auth_failed or (sender.closing.is_set() and (sender.past_deadline() or not sender.is_alive())):
                return None
        return sender.run_id

    def _upload(self, job):
        if self._sender.offline():
            self.leave_pending(job, "offline")
            return
        run_id = self._wait_run_id()
        if run_id is None:
            self.leave_pending(job, "the platform never created the run")
            return
        attempt = 0
        while True:
            try:
                answer = self._client.upload_artifact(run_id, job.path, job.name, job.type,
                                                      timeout=self._request_timeout)
                job._finish(result=answer)
                return
            except RejectedError as e:
                warn("artifact %s rejected: %s" % (job.path, e))
                job._finish(error=str(e))
                return
            except RetryableError as e:
                attempt += 1
                delay = retry_delay(attempt, e.retry_after, self._max_backoff)
                deadline = self._sender.deadline
                if attempt >= _MAX_ATTEMPTS or (deadline is not None and time.monotonic() + delay >= deadline):
                    self.leave_pending(job, str(e))
                    return
                time.sleep(delay)
