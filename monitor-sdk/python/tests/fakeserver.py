"""A minimal in-process stand-in for the platform's ingest endpoints (docs/ingest-protocol.md).

It keeps only what the SDK's behaviour can be judged by: runs by client_run_id, items in arrival order,
batch_ids seen (a resent batch is stored once), artifacts with their sha256. It can be told to answer
errors, and can be stopped and started again on the same port to simulate an outage."""
import array
import base64
import gzip
import hashlib
import json
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_NONFINITE = ("NaN", "Infinity", "-Infinity")


class FakePlatform(object):
    def __init__(self, token=None, tenant=None):
        self.token = token
        self.tenant = tenant
        self.port = None
        self._server = None
        self._thread = None
        self._conns = set()
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.runs = {}            # client_run_id -> {"id", "header", "status_history", "revision"}
        self.batch_ids = set()
        self.batches = []         # accepted (non-duplicate) batch bodies, in arrival order
        self.duplicates = 0
        self.requests = 0
        self.request_log = []     # (path, status, headers) of every request
        self.metrics = []         # (client_run_id, metric) in arrival order
        self.logs = []
        self.events = []
        self.spans = []
        self.artifacts = []
        self.scripted = []        # answers for the next requests: (status, headers, store_first)
        self.always = None        # (status, headers): answer every batch with this while set
        self.batch_delay = 0.0    # seconds each batch takes, so that concurrent sends overlap
        self.concurrent = 0       # batches being handled now, and the most at once
        self.max_concurrent = 0

    # -- control ---------------------------------------------------------------------------------------

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        outer = self

        class Handler(_Handler):
            platform = outer

        server = _Server(("127.0.0.1", self.port or 0), Handler)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        # Kept-alive connections outlive the listening socket; an outage must cut them as well.
        with self.lock:
            conns, self._conns = list(self._conns), set()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                c.close()
            except OSError:
                pass

    def script(self, status, headers=None, store_first=False, times=1):
        with self.lock:
            for _ in range(times):
                self.scripted.append((status, headers or {}, store_first))

    def run(self, client_run_id=None):
        with self.lock:
            if client_run_id is None:
                assert len(self.runs) == 1, self.runs.keys()
                return list(self.runs.values())[0]
            return self.runs[client_run_id]

    def metric_values(self, name, client_run_id=None):
        with self.lock:
            return [(m.get("step"), m["value"]) for rid, m in self.metrics
                    if m["name"] == name and (client_run_id is None or rid == client_run_id)]

    # -- request handling ------------------------------------------------------------------------------

    def _check_auth(self, headers):
        if self.token and headers.get("Authorization") != "Bearer " + self.token:
            return 401
        if self.tenant and headers.get("X-OneService-Tenant") not in (None, self.tenant):
            return 403
        return None

    def handle_batch(self, headers, raw):
        with self.lock:
            self.concurrent += 1
            self.max_concurrent = max(self.max_concurrent, self.concurrent)
        try:
            if self.batch_delay:
                time.sleep(self.batch_delay)
            return self._handle_batch(headers, raw)
        finally:
            with self.lock:
                self.concurrent -= 1

    def _handle_batch(self, headers, raw):
        with self.lock:
            self.requests += 1
            scripted = self.scripted.pop(0) if self.scripted else None
            if scripted is None and self.always is not None:
                scripted = (self.always[0], self.always[1], False)
        denied = self._check_auth(headers)
        if denied:
            return denied, {}, {"title": "denied"}
        if headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        body = json.loads(raw.decode("utf-8"))
        errors = _validate(body)
        if errors:
            return 400, {}, {"title": "invalid batch", "errors": errors}
        if scripted is not None and not scripted[2]:
            return scripted[0], scripted[1], {"title": "scripted"}
        answer = self._store(body)
        if scripted is not None:  # stored, but the answer is lost: the client must resend, we must dedup
            return scripted[0], scripted[1], {"title": "scripted after store"}
        return 202, {}, answer

    def _store(self, body):
        with self.lock:
            header = body["run"]
            crid = header["client_run_id"]
            run = self.runs.get(crid)
            if run is None:
                run = self.runs[crid] = {"id": str(uuid.uuid4()), "header": {}, "status_history": []}
            if body["batch_id"] in self.batch_ids:
                self.duplicates += 1
                return {"run_id": run["id"], "batch_id": body["batch_id"], "duplicate": True,
                        "accepted": {"metrics": 0, "logs": 0, "events": 0, "spans": 0}}
            self.batch_ids.add(body["batch_id"])
            # As the platform does (docs/ingest-protocol.md, "Run header order"): a header applies only when
            # its revision is newer than the run's, so a late older batch cannot undo a newer header; one
            # without a revision applies only to a run that has none (an older client).
            revision, applied = header.get("revision"), run.get("revision")
            if applied is None or (revision is not None and revision > applied):
                run["header"].update({k: v for k, v in header.items() if v is not None})
                if header.get("status"):
                    run["status_history"].append(header["status"])
                if revision is not None:
                    run["revision"] = revision
            self.batches.append(body)
            for kind, store in (("metrics", self.metrics), ("logs", self.logs), ("events", self.events),
                                ("spans", self.spans)):
                for item in body.get(kind, []):
                    store.append((crid, item))
            return {"run_id": run["id"], "batch_id": body["batch_id"], "duplicate": False,
                    "accepted": {k: len(body.get(k, [])) for k in ("metrics", "logs", "events", "spans")}}

    def handle_artifact(self, headers, run_id, query, stream, length):
        denied = self._check_auth(headers)
        if denied:
            return denied, {}, {"title": "denied"}
        with self.lock:
            scripted = self.scripted.pop(0) if self.scripted else None
        h = hashlib.sha256()
        size = 0
        while size < length:
            chunk = stream.read(min(1 << 16, length - size))
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
        if scripted is not None:
            return scripted[0], scripted[1], {"title": "scripted"}
        with self.lock:
            if run_id not in {r["id"] for r in self.runs.values()}:
                return 404, {}, {"title": "no such run"}
            rec = {"id": str(uuid.uuid4()), "run_id": run_id, "path": query.get("path", [""])[0],
                   "type": query.get("type", ["other"])[0], "size": size, "sha256": h.hexdigest()}
            self.artifacts.append(rec)
        return 201, {}, rec


def _columns_to_rows(body):
    """The columnar metric form (docs/ingest-protocol.md) as rows, after the checks the platform makes:
    the fake stores and validates rows only. Returns errors naming the entry, like the platform."""
    cols = body.pop("metric_columns", None)
    if cols is None:
        return []
    if not isinstance(cols, dict) or not all(isinstance(cols.get(k), (list, dict)) for k in ("name", "value", "ts")):
        return [{"path": "metric_columns", "message": "expected name, value and ts arrays"}]
    for k in ("value", "ts"):
        if isinstance(cols[k], dict) and "f64" in cols[k]:
            packed = array.array("d", base64.b64decode(cols[k]["f64"]))
            if sys.byteorder == "big":
                packed.byteswap()
            # As the row form carries them: NaN and ±Infinity as the protocol's strings.
            cols[k] = [v if v - v == 0.0 else ("NaN" if v != v else ("Infinity" if v > 0 else "-Infinity"))
                       for v in packed]
    n = len(cols["name"])
    for k in ("value", "ts", "step", "epoch"):
        if k in cols and (not isinstance(cols[k], list) or len(cols[k]) != n):
            return [{"path": "metric_columns.%s" % k, "message": "expected %d entries" % n}]
    rows = []
    for i in range(n):
        row = {"name": cols["name"][i], "value": cols["value"][i], "ts": cols["ts"][i]}
        for k in ("step", "epoch"):
            if k in cols:
                row[k] = cols[k][i]
        rows.append(row)
    body["metrics"] = body.get("metrics", []) + rows
    return []


def _validate(body):
    errors = _columns_to_rows(body)
    if not isinstance(body.get("batch_id"), str) or not body["batch_id"]:
        errors.append({"path": "batch_id", "message": "required"})
    run = body.get("run")
    if not isinstance(run, dict) or not run.get("client_run_id"):
        errors.append({"path": "run.client_run_id", "message": "required"})
    if isinstance(run, dict):
        for k, v in (run.get("tags") or {}).items():
            if not (v is None or isinstance(v, (str, int, float, bool))):
                errors.append({"path": "run.tags.%s" % k, "message": "expected a scalar"})
    for i, e in enumerate(body.get("events", [])):
        if "payload" in e and not isinstance(e["payload"], dict):
            errors.append({"path": "events[%d].payload" % i, "message": "expected an object"})
    for i, l in enumerate(body.get("logs", [])):
        if len(l.get("message", "")) > 64 * 1024:
            errors.append({"path": "logs[%d].message" % i, "message": "too long"})
    for i, m in enumerate(body.get("metrics", [])):
        if not 0 < len(m.get("name", "")) <= 200:
            errors.append({"path": "metrics[%d].name" % i, "message": "1 to 200 characters"})
        v = m.get("value")
        if not (isinstance(v, (int, float)) and not isinstance(v, bool)) and v not in _NONFINITE:
            errors.append({"path": "metrics[%d].value" % i, "message": "expected a number or NaN/Infinity/-Infinity"})
        for k in ("step", "epoch"):
            s = m.get(k)
            if s is not None and (not isinstance(s, int) or s < 0):
                errors.append({"path": "metrics[%d].%s" % (i, k), "message": "expected an integer >= 0"})
    for i, l in enumerate(body.get("logs", [])):
        if l.get("level") not in ("trace", "debug", "info", "warn", "error", "fatal"):
            errors.append({"path": "logs[%d].level" % i, "message": "bad level"})
    for i, s in enumerate(body.get("spans", [])):
        if len(s.get("trace_id", "")) != 32 or len(s.get("span_id", "")) != 16:
            errors.append({"path": "spans[%d]" % i, "message": "bad ids"})
    return errors


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # stop() cuts live connections on purpose; the resets that follows are the simulated outage.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    platform = None

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        with self.platform.lock:
            self.platform._conns.add(self.connection)

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        finally:
            with self.platform.lock:
                self.platform._conns.discard(self.connection)

    def log_message(self, *args):
        pass

    def _answer(self, status, headers, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        ctype = "application/json" if status < 400 else "application/problem+json"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        with self.platform.lock:
            self.platform.request_log.append((self.path, status, dict(self.headers)))

    def do_GET(self):
        # Read side, shaped like the training plugin's run list and series answers, so the integration
        # tests' readers can be exercised without the platform.
        parts = urlsplit(self.path)
        q = parse_qs(parts.query)
        segs = parts.path.strip("/").split("/")
        p = self.platform
        answer = None
        with p.lock:
            if segs == ["api", "v1", "runs"]:
                runs = [dict(r["header"], id=r["id"]) for r in p.runs.values()
                        if "project" not in q or r["header"].get("project") == q["project"][0]]
                answer = {"runs": runs}
            elif len(segs) == 5 and segs[:3] == ["api", "v1", "runs"] and segs[4] == "metrics":
                crid = [c for c, r in p.runs.items() if r["id"] == segs[3]]
                name = q.get("name", [""])[0]
                by = q.get("by", ["step"])[0]
                pts = [m for c, m in p.metrics if crid and c == crid[0] and m["name"] == name]
                buckets = [{"x": m.get(by), "min": m["value"], "max": m["value"], "mean": m["value"],
                            "last": m["value"], "count": 1} for m in pts]
                answer = {"run_id": segs[3], "name": name, "by": by, "exact": True,
                          "buckets": sorted(buckets, key=lambda b: b["x"])}
        if answer is None:
            return self._answer(404, {}, {"title": "not found"})
        self._answer(200, {}, answer)

    def do_POST(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if parts.path == "/api/v1/ingest/batch":
            raw = self.rfile.read(length)
            status, headers, obj = self.platform.handle_batch(self.headers, raw)
            return self._answer(status, headers, obj)
        segs = parts.path.strip("/").split("/")
        if len(segs) == 5 and segs[:3] == ["api", "v1", "runs"] and segs[4] == "artifacts":
            status, headers, obj = self.platform.handle_artifact(
                self.headers, segs[3], parse_qs(parts.query), self.rfile, length)
            return self._answer(status, headers, obj)
        self.rfile.read(length)
        self._answer(404, {}, {"title": "not found"})


class Blackhole(object):
    """Accepts TCP connections (the kernel's backlog does) and never answers: a hung platform."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


def free_port_url():
    """A URL where nothing listens: connection refused, like a platform that is down."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return "http://127.0.0.1:%d" % port
