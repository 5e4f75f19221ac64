"""The producer-side queue and the cutting of batches from it.

log_metric & co. append tuples (see encoding.py) to `BatchQueue.items`; the sender thread — or, under
memory pressure, the producer itself — cuts them into numbered, encoded batches."""
import collections
import threading
import time
import uuid

from .encoding import batch_body, gzip_json


class Batch(object):
    __slots__ = ("seq", "body", "items", "header_changed")

    def __init__(self, seq, body, items, header_changed):
        self.seq = seq            # order of the batch in this process, and its spool file name
        self.body = body          # the exact request bytes (gzip JSON): a resend sends these again
        self.items = items
        # Carries run metadata (tags, params, status) newer than the batches before it.
        self.header_changed = header_changed


class BatchQueue(object):
    def __init__(self, header, first_seq):
        """header(final) returns the run header to send; first_seq numbers the first batch."""
        self.items = collections.deque()
        self.header_dirty = True   # run metadata changed since the last batch: send a batch even if empty
        self.inflight = 0          # batches cut and neither acknowledged, dropped nor spooled yet
        self._header = header
        self._seq = first_seq
        self._revision = 0
        self._lock = threading.Lock()

    def idle(self):
        return not self.items and self.inflight == 0 and not self.header_dirty

    def cut(self, max_items, final=None):
        """The next batch of at most max_items, or None when there is nothing to send. final is the run's
        (status, ended_at) for the last batch."""
        with self._lock:
            q = self.items
            n = min(max_items, len(q))
            if n == 0 and not self.header_dirty and final is None:
                return None
            popleft = q.popleft
            items = [popleft() for _ in range(n)]
            seq = self._seq
            self._seq += 1
            header_changed = self.header_dirty or final is not None
            self.header_dirty = False
            # The platform applies a run header only when its revision is newer than the one it holds, so a
            # resent or late batch cannot undo a later change (a finished run back to running). Microseconds
            # since the epoch keep increasing across processes that resume the run; +1 when the clock has
            # not moved (or stepped back). Taken with the header, under the lock, so revision order is
            # header order.
            self._revision = max(time.time_ns() // 1000, self._revision + 1)
            header = self._header(final)
            header["revision"] = self._revision
            self.inflight += 1
        body = gzip_json(batch_body(str(uuid.uuid4()), header, items))
        return Batch(seq, body, n, header_changed)

    def done(self, batch):
        with self._lock:
            self.inflight -= 1
