"""Getting batches to the platform, or to the spool while it cannot take them.

`send_batch` is the one place that posts a batch and says what the answer means; the live path, the spool
replay and `monitor-sdk sync` all act on its Outcome. `Sender` is the background thread of a run: it cuts
batches from the queue, sends them (optionally several at once on poster threads), spools what cannot be
sent, and replays the spool oldest first before anything newer.

When batches go (Nagle-like, so that a slow loop is seen at once and a fast one still sends few large batches):
a full batch (batch_size items) goes as soon as it is full; a partial one goes once nothing is in flight and
its oldest item has waited `linger` seconds — the rest of a training step's metrics join it meanwhile. Items
that queued behind a batch on the wire count from that batch's cut, so they go as soon as it is answered
(when that took longer than the linger). `flush_interval` bounds the linger and is the fallback timer should
a wake-up be missed; while the platform is away the spool is cut every `offline_flush_interval` instead."""
import json
import queue
import random
import threading
import time
import traceback

from ._util import warn
from .batches import Batch
from .transport import HttpClient, RejectedError, RetryableError

_monotonic = time.monotonic

# What an answer to a batch means for the batch.
OK = "ok"                # 202: stored
DUPLICATE = "duplicate"  # 202: this batch_id was stored before (a resend); nothing more to do
RETRY = "retry"          # network error, 429 or 5xx: the same bytes may succeed later (retry_after: the server's wish)
AUTH = "auth"            # 401/403: the token is wrong, not the data; keep the batch for a sync with a good one
REJECTED = "rejected"    # any other 4xx: these bytes can never succeed; problem names the field


class Outcome(object):
    __slots__ = ("kind", "answer", "error", "retry_after", "problem")

    def __init__(self, kind, answer=None, error=None, retry_after=None, problem=None):
        self.kind = kind
        self.answer = answer or {}
        self.error = error
        self.retry_after = retry_after
        self.problem = problem

    @property
    def accepted(self):
        return self.kind in (OK, DUPLICATE)

    @property
    def run_id(self):
        rid = self.answer.get("run_id")
        return str(rid) if rid else None

    def __str__(self):
        if self.accepted:
            return self.kind
        detail = (self.problem.get("detail") or self.problem.get("title")) if self.problem else None
        if detail:
            return "HTTP %s: %s" % (self.error.status, detail)
        return str(self.error)


def _problem(body):
    """The application/problem+json answer as a dict, when it is one."""
    try:
        problem = json.loads(body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body)
    except (ValueError, TypeError, AttributeError):
        return None
    return problem if isinstance(problem, dict) else None


def send_batch(client, body, timeout=None):
    """POST one encoded batch and classify the answer; never raises for an HTTP or network failure."""
    try:
        answer = client.post_batch(body, timeout=timeout)
    except RetryableError as e:
        return Outcome(RETRY, error=e, retry_after=e.retry_after)
    except RejectedError as e:
        return Outcome(AUTH if e.status in (401, 403) else REJECTED, error=e, problem=_problem(e.body))
    if not isinstance(answer, dict):
        answer = {}
    return Outcome(DUPLICATE if answer.get("duplicate") else OK, answer=answer)


def retry_delay(attempt, retry_after=None, ceiling=30.0):
    """Seconds to wait before retry number `attempt` (1, 2, …): the server's Retry-After when it gave one
    (capped at 5 minutes), else exponential backoff up to `ceiling` with jitter, so clients that failed
    together do not retry in step."""
    if retry_after is not None:
        return min(retry_after, 300.0)
    ceiling = min(ceiling, 0.5 * (2 ** min(attempt - 1, 16)))
    return ceiling / 2.0 + random.random() * ceiling / 2.0


class Sender(object):
    def __init__(self, batches, spool, client, stats, batch_size, flush_interval, offline_flush_interval,
                 max_inflight, request_timeout, max_backoff, meta, on_run_id, linger=None):
        """meta() is the spool's meta.json content; on_run_id(id) is called once, when the platform's
        run id is first known."""
        self._batches = batches
        self._spool = spool
        self._client = client
        self._stats = stats
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._linger = flush_interval if linger is None else max(0.0, min(float(linger), flush_interval))
        # Monotonic time from which the oldest queued item counts as waiting (None: the queue was empty when
        # last looked at). Set when the sender first sees an item, or at the last cut for items that queued
        # behind it, so it never understates an item's wait.
        self._pending_since = None
        self._offline_flush_interval = offline_flush_interval
        self._request_timeout = request_timeout
        self._max_backoff = max_backoff
        self._meta = meta
        self._on_run_id = on_run_id
        self._meta_written = False
        self._last_spool_cut = 0.0

        self.run_id = None
        self.run_id_known = threading.Event()
        self.auth_failed = False
        self.closing = threading.Event()
        self.deadline = None   # monotonic time by which finish() must return
        self._final = None     # (status, ended_at) for the last batch
        self._wake = threading.Event()
        self._flush_requested = False
        self._retry_at = 0.0
        self._attempt = 0
        self._state_lock = threading.Lock()

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

        self._thread = threading.Thread(target=self._main, name="monitor_sdk-sender", daemon=True)

    # ------------------------------------------------------------------ control, from the run

    def start(self):
        self._thread.start()

    def wake(self):
        # Waking an already-woken sender costs a lock round-trip on every call; skip it.
        if not self._wake.is_set():
            self._wake.set()

    def request_flush(self):
        self._flush_requested = True
        self._wake.set()

    def settled(self):
        """Everything cut so far is acknowledged (or, offline, spooled)."""
        return self._batches.idle() and (self.offline() or not self._spool.count())

    def close(self, final, deadline):
        """Send what is left, then the final header; give up at `deadline` (monotonic)."""
        self._final = final
        self.deadline = deadline
        self.closing.set()
        self._wake.set()

    def join(self, timeout):
        self._thread.join(timeout)

    def is_alive(self):
        return self._thread.is_alive()

    def abort(self):
        """Cut requests still waiting on the platform, so the threads spool what they hold instead of
        waiting out a long socket timeout."""
        if self._client is not None:
            self._client.abort()
        for _, poster_client in self._posters:
            poster_client.abort()

    def shutdown(self):
        for _ in self._posters:
            self._post_q.put(None)
        if self._client is not None:
            self._client.close()

    def offline(self):
        return self._client is None or self.auth_failed

    def past_deadline(self):
        return self.deadline is not None and _monotonic() >= self.deadline

    def ensure_meta(self):
        if not self._meta_written:
            self._meta_written = True
            self._spool.write_meta(self._meta())

    def spool_batch(self, batch):
        try:
            self.ensure_meta()
            self._spool.write(batch.seq, batch.body)
            self._last_spool_cut = _monotonic()
            self._stats["batches_spooled"] += 1
        except OSError as e:
            self._stats["items_dropped"] += batch.items
            warn("could not write batch %d to spool %s (%s); %d items lost"
                 % (batch.seq, self._spool.dir, e, batch.items))
        finally:
            self._batches.done(batch)

    # ------------------------------------------------------------------ acting on an outcome

    def _timeout_now(self):
        if self.deadline is None:
            return self._request_timeout
        return max(0.1, min(self._request_timeout, self.deadline - _monotonic()))

    def _accepted(self, outcome, items):
        first = False
        with self._state_lock:  # poster threads report concurrently
            rid = outcome.run_id
            if rid and self.run_id is None:
                self.run_id = rid
                first = True
                self.run_id_known.set()
            if outcome.kind == DUPLICATE:
                self._stats["duplicates"] += 1
            self._stats["batches_sent"] += 1
            self._stats["items_sent"] += items
            self._attempt = 0
            self._retry_at = 0.0
        if first:
            self._on_run_id(rid)

    def _schedule_retry(self, outcome):
        with self._state_lock:
            self._attempt += 1
            attempt = self._attempt
        self._retry_at = _monotonic() + retry_delay(attempt, outcome.retry_after, self._max_backoff)
        if attempt == 1 or attempt % 10 == 0:
            warn("OneService at %s unreachable (%s); batches are kept in %s and retried" % (
                self._client.base_url, outcome, self._spool.dir))

    def _auth_refused(self, outcome):
        # A wrong or expired token says nothing about the data: keep every batch on disk for a
        # `monitor-sdk sync` with a good token, and stop knocking for the rest of the run.
        warn("OneService refused the API token (%s); this run's data is kept in %s for `monitor-sdk sync`"
             % (outcome, self._spool.dir))
        self.auth_failed = True

    def _must_spool(self):
        """A live batch goes to the spool instead of the wire: offline, behind older spooled batches (order
        matters), while backing off, or out of time."""
        return (self.offline() or self._spool.count() > 0 or _monotonic() < self._retry_at
                or self.past_deadline())

    def _dispatch(self, batch, client=None):
        """Send one live batch now, or spool it."""
        if self._must_spool():
            self.spool_batch(batch)
            return
        outcome = send_batch(client or self._client, batch.body, self._timeout_now())
        if outcome.kind == RETRY:
            self._schedule_retry(outcome)
            self.spool_batch(batch)
            return
        if outcome.kind == AUTH:
            self._auth_refused(outcome)
            self.spool_batch(batch)
            return
        if outcome.kind == REJECTED:
            self._stats["batches_rejected"] += 1
            self._stats["items_dropped"] += batch.items
            warn("batch %d rejected by OneService, %d items dropped: %s" % (batch.seq, batch.items, outcome))
        else:
            self._accepted(outcome, batch.items)
        self._batches.done(batch)

    def _replay_one(self, seq, body, client):
        """One spooled batch: removed once acknowledged, set aside when refused, kept (and retried later)
        otherwise. Returns False when the replay must stop here."""
        outcome = send_batch(client, body, self._timeout_now())
        if outcome.kind == RETRY:
            self._schedule_retry(outcome)
            return False
        if outcome.kind == AUTH:
            self._auth_refused(outcome)
            return False
        if outcome.kind == REJECTED:
            self._stats["batches_rejected"] += 1
            warn("spooled batch %d rejected by OneService, set aside: %s" % (seq, outcome))
            self._spool.set_aside(seq, outcome)
            return True
        self._accepted(outcome, 0)
        self._spool.remove(seq)
        return True

    def _spooled(self):
        """(seq, bytes) of the spooled batches, oldest first, read one at a time."""
        for seq in self._spool.sequences():
            try:
                with open(self._spool.path_for(seq), "rb") as f:
                    body = f.read()
            except FileNotFoundError:
                continue
            yield seq, body

    def _replay_spool(self):
        """Send spooled batches oldest first; stop at the first retryable failure (order matters)."""
        if self._max_inflight > 1:
            return self._replay_concurrently()
        while self._spool.sequences():
            for seq, body in self._spooled():
                if self.past_deadline():
                    return False
                if not self._replay_one(seq, body, self._client):
                    return False
        return True

    # ------------------------------------------------------------------ several batches in flight

    def _submit(self, batch):
        """Post a batch on a poster thread when the platform is up; otherwise _dispatch decides at once
        (spool, or send in order behind the spool)."""
        if self._max_inflight <= 1 or self._must_spool():
            self._dispatch(batch)
            return
        if batch.header_changed:
            # New run metadata must not be overtaken by an older batch still on the wire.
            self._wait_posted()
            self._dispatch(batch)
            return
        self._post(batch)

    def _post(self, job):
        """Hand a Batch, or a spooled (seq, body), to a poster thread; blocks while max_inflight are out."""
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
                if isinstance(job, Batch):
                    self._dispatch(job, client)
                else:
                    self._replay_one(job[0], job[1], client)
            except Exception:
                warn("poster thread failed:\n" + traceback.format_exc())
            finally:
                self._post_slots.release()
                if self._batches.inflight == 0 and self._batches.items:
                    self.wake()  # a partial batch may have been lingering behind this one

    def _replay_concurrently(self):
        """_replay_spool with max_inflight posters: oldest first, up to max_inflight at once; each pass
        settles before the spool is listed again, so no file is sent twice at the same time."""
        while self._spool.sequences():
            for job in self._spooled():
                if self.past_deadline() or self.auth_failed or _monotonic() < self._retry_at:
                    self._wait_posted()
                    return False
                self._post(job)
            self._wait_posted()
        return True

    def _wait_posted(self):
        """Wait (up to the finish deadline) until no batch is on a poster thread, so the final batch goes
        last."""
        taken = 0
        try:
            while taken < self._max_inflight:
                wait = None if self.deadline is None else max(0.0, self.deadline - _monotonic())
                if not self._post_slots.acquire(timeout=wait):
                    return
                taken += 1
        finally:
            for _ in range(taken):
                self._post_slots.release()

    # ------------------------------------------------------------------ the thread

    def _drain_memory(self, flush_due, closing=False):
        batches = self._batches
        while True:
            n = len(batches.items)
            if n == 0 and not batches.header_dirty:
                return
            if n < self._batch_size:
                if not flush_due:
                    return
                if (not closing and self._spool.count()
                        and _monotonic() - self._last_spool_cut < self._offline_flush_interval):
                    # While the platform is away, one small file per flush interval would mean thousands of
                    # files, each replayed as its own request; cut fewer, larger spool batches instead.
                    return
            self._pending_since = _monotonic()
            batch = batches.cut(self._batch_size)
            if batch is None:
                return
            self._submit(batch)

    def _linger_at(self):
        """When the queued partial batch may go on the wire (monotonic), or None: nothing queued, a batch in
        flight (its answer wakes the sender), or no live sending now (the flush timer cuts the spool)."""
        if self._pending_since is None or self._batches.inflight or self._must_spool():
            return None
        return self._pending_since + self._linger

    def _main(self):
        try:
            self._loop()
        except Exception:
            # A bug here must not pass silently: the run would stop reporting without a word.
            warn("sender thread crashed:\n" + traceback.format_exc())

    def _loop(self):
        next_flush = _monotonic()  # the first pass sends the run header at once: the run appears early
        while True:
            closing = self.closing.is_set()
            if not closing:
                now = _monotonic()
                timeout = next_flush - now
                if not self.offline() and self._retry_at > now and self._spool.count():
                    timeout = min(timeout, self._retry_at - now)
                if self._pending_since is None and self._batches.items:
                    self._pending_since = now
                linger_at = self._linger_at()
                if linger_at is not None:
                    timeout = min(timeout, linger_at - now)
                if timeout > 0:
                    self._wake.wait(timeout)
                self._wake.clear()
                closing = self.closing.is_set()
            now = _monotonic()
            if self._pending_since is None and self._batches.items:
                self._pending_since = now
            linger_at = self._linger_at()
            flush_due = (closing or now >= next_flush or self._flush_requested
                         or (linger_at is not None and now >= linger_at))
            self._flush_requested = False
            if flush_due:
                next_flush = now + self._flush_interval
            if not self.offline() and now >= self._retry_at and self._spool.count():
                self._replay_spool()
            self._drain_memory(flush_due, closing)
            if not self._batches.items:
                self._pending_since = None
            if closing:
                break
        self._wait_posted()
        final = self._batches.cut(0, final=self._final)
        if final is not None:
            self._dispatch(final)
        while not self.offline() and self._spool.count() and not self.past_deadline():
            wait = self._retry_at - _monotonic()
            if wait > 0:
                time.sleep(min(wait, max(0.0, self.deadline - _monotonic()), 0.25))
                continue
            self._replay_spool()
